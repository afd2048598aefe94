// The suite's temporary files: everything a run makes in os.tmpdir() is in one folder, gone when vitest ends
// (tests/support/run-tmp.ts). Before, each `npm test` left ~300 folders (~200 MB) in /tmp.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runToEnd } from '../support/cli.js';
import { ROOT } from '../support/paths.js';
import { createRunTmp, RUN_TMP_PREFIX, STALE_AFTER_MS, sweepStaleRunTmps } from '../support/run-tmp.js';
import { isRoot, openToOthers } from '../support/restricted-cli.js';
import { tempDir } from '../support/tmp.js';

describe("the suite's temporary folder", () => {
  it('is where this worker, its temporary folders and the processes it starts put their files', async () => {
    const run = os.tmpdir();
    expect(path.basename(run).startsWith(RUN_TMP_PREFIX), run).toBe(true);
    expect(fs.statSync(run).isDirectory()).toBe(true);
    expect(path.dirname(tempDir())).toBe(run);
    const child = await runToEnd([process.execPath, '-e', 'process.stdout.write(require("node:os").tmpdir())'], process.env);
    expect(child.stdout).toBe(run);
  });

  it('is removed whole, read-only folders included, without following a symlink out of it', async () => {
    const base = tempDir('run-tmp-');
    openToOthers(base);
    fs.chmodSync(base, 0o1777); // as /tmp is
    const outside = path.join(base, 'outside.txt');
    fs.writeFileSync(outside, 'keep');
    // Root ignores folder modes: the tree is made and removed by another user (nobody) when the tests run as root.
    const script = `import('${path.join(ROOT, 'dist/tests/support/run-tmp.js')}').then(({ createRunTmp, removeRunTmp }) => {
      const fs = require('node:fs'), path = require('node:path'), dir = createRunTmp(${JSON.stringify(base)});
      const mode = fs.statSync(dir).mode & 0o7777;
      fs.mkdirSync(path.join(dir, 'a', 'b'), { recursive: true });
      fs.writeFileSync(path.join(dir, 'a', 'b', 'f.txt'), 'x');
      fs.symlinkSync(${JSON.stringify(base)}, path.join(dir, 'a', 'link'));
      fs.chmodSync(path.join(dir, 'a', 'b'), 0o500);
      fs.chmodSync(path.join(dir, 'a'), 0o500);
      let plain = 'removed';
      try { fs.rmSync(dir, { recursive: true, force: true }); } catch (e) { plain = e.code; }
      removeRunTmp(dir);
      removeRunTmp(dir); // a second time: nothing to do, no error
      process.stdout.write(JSON.stringify({ mode, plain, gone: !fs.existsSync(dir) }));
    })`;
    const argv = [process.execPath, '-e', script];
    const r = await runToEnd(isRoot ? ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups', '--', ...argv] : argv, process.env);
    expect(r.code, r.stderr).toBe(0);
    // A plain recursive removal fails on the read-only folder; removeRunTmp does not.
    expect(JSON.parse(r.stdout)).toEqual({ mode: 0o1777, plain: 'EACCES', gone: true });
    expect(fs.readFileSync(outside, 'utf8')).toBe('keep');
  });

  it("of a run whose vitest was killed is removed by the next run, once untouched for a while; a live run's stays", () => {
    const parent = tempDir('run-tmp-');
    const mine = createRunTmp(parent);
    expect(path.basename(mine).startsWith(`${RUN_TMP_PREFIX}${process.pid}-`), mine).toBe(true);
    const dead = 2_000_000_000; // above Linux's pid_max
    const old = path.join(parent, `${RUN_TMP_PREFIX}${dead}-aaaaaa`);
    const young = path.join(parent, `${RUN_TMP_PREFIX}${dead}-bbbbbb`);
    const other = path.join(parent, 'windsock-test-cccccc');
    for (const d of [old, young, other]) fs.mkdirSync(path.join(d, 'home'), { recursive: true });
    const longAgo = (Date.now() - STALE_AFTER_MS - 60_000) / 1000;
    for (const d of [old, mine, other]) fs.utimesSync(d, longAgo, longAgo);
    expect(sweepStaleRunTmps(parent)).toEqual([old]);
    expect(fs.readdirSync(parent).sort()).toEqual([path.basename(mine), path.basename(young), 'windsock-test-cccccc'].sort());
    expect(sweepStaleRunTmps(parent, () => true)).toEqual([]);
  });

  it('goes when the process that set it up exits', async () => {
    const parent = tempDir('run-tmp-');
    const script = `import('${path.join(ROOT, 'dist/tests/support/run-tmp.js')}').then(({ setup }) => {
      setup();
      const fs = require('node:fs'), os = require('node:os'), path = require('node:path');
      fs.mkdirSync(path.join(os.tmpdir(), 'home', 'logs'), { recursive: true });
      fs.writeFileSync(path.join(os.tmpdir(), 'home', 'logs', 'attempt=1.log'), 'done');
      process.stdout.write(os.tmpdir());
    })`;
    const r = await runToEnd([process.execPath, '-e', script], { ...process.env, TMPDIR: parent });
    expect(r.code, r.stderr).toBe(0);
    expect(path.dirname(r.stdout)).toBe(parent);
    expect(path.basename(r.stdout).startsWith(RUN_TMP_PREFIX)).toBe(true);
    expect(fs.existsSync(r.stdout)).toBe(false);
    expect(fs.readdirSync(parent)).toEqual([]);
  });
});
