// Every real v3 payload in the fixtures' openaq/samples folder parses with the client's zod shapes (server-* recordings wrap the
// body with the request and headers; the body is what is checked).
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { AnyPage, CountriesPage, LatestPage, LocationsPage, MeasurementsPage, ParametersPage, SensorsPage } from '../../../tasks/openaq/shapes.js';
import { OPENAQ_DATA } from '../../support/paths.js';

const SAMPLES = path.join(OPENAQ_DATA, 'samples');

/** Which shape each sample is, by its name. */
function shapeOf(file: string): [string, z.ZodType] {
  const name = file.replace(/^(server|sdk|v3)[-_]/, '');
  if (/latest/.test(name)) return ['latest', LatestPage];
  if (/measurements/.test(name)) return ['measurements', MeasurementsPage];
  if (/sensor/.test(name)) return ['sensors', SensorsPage];
  if (/location/.test(name)) return ['locations', LocationsPage];
  if (/parameters/.test(name)) return ['parameters', ParametersPage];
  if (/countries/.test(name)) return ['countries', CountriesPage];
  return ['any list', AnyPage];
}

function body(file: string): unknown {
  const json = JSON.parse(fs.readFileSync(path.join(SAMPLES, file), 'utf8'));
  return file.startsWith('server-') ? json.body : json;
}

describe('OpenAQ v3 response shapes against the real samples', () => {
  const files = fs.readdirSync(SAMPLES).filter((f) => f.endsWith('.json')).sort();

  it('finds the samples', () => {
    expect(files.length).toBeGreaterThanOrEqual(25);
  });

  for (const file of files) {
    const [kind, schema] = shapeOf(file);
    it(`${file} parses as ${kind}`, () => {
      const r = schema.safeParse(body(file));
      expect(r.success ? 'ok' : JSON.stringify(r.error.issues.slice(0, 3))).toBe('ok');
    });
  }

  it('covers each typed shape with at least one sample', () => {
    const kinds = new Set(files.map((f) => shapeOf(f)[0]));
    for (const k of ['locations', 'sensors', 'measurements', 'parameters', 'latest', 'countries']) expect(kinds).toContain(k);
  });

  it('keeps meta.found as the API sends it: a string on a full page, a number otherwise', () => {
    const full = MeasurementsPage.parse(body('server-list_sensor_measurements_limit_5.json'));
    expect(full.meta.found).toBe('>5');
    expect(full.results).toHaveLength(5);
    const short = LocationsPage.parse(body('server-list_locations.json'));
    expect(short.meta.found).toBe(short.results.length);
  });

  it('rejects a location whose bounds are not four numbers', () => {
    const b = body('v3_locations_2178.json') as { results: { bounds: number[] }[] };
    b.results[0].bounds = [1, 2, 3];
    expect(LocationsPage.safeParse(b).success).toBe(false);
  });
});
