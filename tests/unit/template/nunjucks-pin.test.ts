// The Python-flavoured runtime is handed to nunjucks through two private members (Template.rootRenderFunc and
// nunjucks.runtime). This fails if an upgrade moves them, or if package.json lets nunjucks float again.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileTemplate } from '../../../engine/template/environment.js';
import { ROOT } from '../../support/paths.js';

const require = createRequire(import.meta.url);

describe('nunjucks patch', () => {
  it('is pinned to the exact version installed', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
    expect(pkg.dependencies.nunjucks).toMatch(/^\d+\.\d+\.\d+$/);
    expect(require('nunjucks/package.json').version).toBe(pkg.dependencies.nunjucks);
  });

  it('still applies: values print the Python way and an undefined name is worded like Jinja', () => {
    expect(compileTemplate('{{ d }} {{ t }} {{ n }}')({ d: { a: 1 }, t: true, n: null })).toBe("{'a': 1} True None");
    expect(() => compileTemplate('{{ missing }}')({})).toThrow(/'missing' is undefined/);
  });
});
