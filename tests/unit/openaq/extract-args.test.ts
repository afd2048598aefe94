import { describe, expect, it } from 'vitest';
import { ExtractArgs, resolveExtractArgs, type ResolvedArgs } from '../../../tasks/openaq/extract-args.js';

function ok(args: Record<string, unknown>): ResolvedArgs {
  const r = resolveExtractArgs(ExtractArgs.parse(args));
  if ('problems' in r) throw new Error(r.problems.map((p) => p.message).join('; '));
  return r;
}

function problems(args: Record<string, unknown>): string[] {
  const r = resolveExtractArgs(args as ExtractArgs);
  return 'problems' in r ? r.problems.map((p) => `${p.arg}: ${p.message}`) : [];
}

describe('openaq.extract arguments', () => {
  it('defaults to Île-de-France and PM2.5, PM10, NO2, O3 in µg/m³', () => {
    expect(ok({})).toEqual({ region: { bbox: [1.4462, 48.1201, 3.5592, 49.2415] }, parameterNames: ['pm25', 'pm10', 'no2', 'o3'], parameterIds: [2, 1, 5, 3], concurrency: undefined });
  });

  it('takes a point and a radius, or a bbox as a list', () => {
    expect(ok({ coordinates: '48.8621,2.3446', radius: 20000 }).region).toEqual({ coordinates: [48.8621, 2.3446], radius: 20000 });
    expect(ok({ bbox: [2.2, 48.8, 2.5, 48.9], parameters: 'no2, o3', concurrency: 2 })).toMatchObject({ region: { bbox: [2.2, 48.8, 2.5, 48.9] }, parameterIds: [5, 3], concurrency: 2 });
  });

  it('names the argument and lists the valid names for an unknown parameter', () => {
    expect(problems({ parameters: ['pm2.5', 'no2'] })).toEqual(['parameters: parameters: unknown parameter "pm2.5"; valid names: bc, co, no, no2, nox, o3, pm1, pm10, pm25, pm4, so2']);
    expect(problems({ parameters: [] })[0]).toMatch(/^parameters: parameters is empty/);
  });

  it('rejects a missing or contradictory region', () => {
    expect(problems({ bbox: null })[0]).toMatch(/^bbox: no region: set bbox/);
    expect(problems({ coordinates: '48.86,2.34' })).toEqual(['radius: coordinates needs radius (metres, at most 25000)']);
    expect(problems({ radius: 1000 })[0]).toMatch(/^coordinates: radius needs coordinates/);
    expect(problems({ bbox: '1,2,3,4', coordinates: '48,2', radius: 10 })[0]).toMatch(/exclude each other/);
  });

  it('checks ranges and order of the bbox, the coordinates and the radius', () => {
    expect(problems({ bbox: '1,2,3' })[0]).toMatch(/bbox "1,2,3" is not minLon,minLat,maxLon,maxLat/);
    expect(problems({ bbox: '200,48,3,49' })).toEqual(['bbox: bbox: minLon 200 is out of range -180..180 (bbox is minLon,minLat,maxLon,maxLat)', 'bbox: bbox: minLon 200 is greater than maxLon 3 (bbox is minLon,minLat,maxLon,maxLat)']);
    expect(problems({ bbox: '1,49,3,48' })).toEqual(['bbox: bbox: minLat 49 is greater than maxLat 48 (bbox is minLon,minLat,maxLon,maxLat)']);
    expect(problems({ coordinates: '2.34,248.86', radius: 100 })[0]).toMatch(/longitude 248.86 is out of range/);
    expect(problems({ coordinates: '48.86,2.34', radius: 30000 })[0]).toMatch(/^radius: radius 30000 is out of range/);
  });

  it('reports problems when the DAG file is loaded, and lets templated values through until they are rendered', () => {
    const r = ExtractArgs.safeParse({ parameters: ['pm2.5'] });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]).toMatchObject({ path: ['parameters'], message: expect.stringContaining('unknown parameter "pm2.5"') });
    expect(ExtractArgs.safeParse({ bbox: '{{ params.bbox }}', parameters: '{{ params.parameters }}' }).success).toBe(true);
    expect(ExtractArgs.safeParse({ region: 'paris' }).success).toBe(false);
  });
});
