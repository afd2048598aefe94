// The arguments of openaq.extract: a region (a bounding box, or a point and a radius), parameter names and a
// concurrency. Checked twice by the same pure function: when the DAG file is loaded (zod) and when the task runs,
// after templates are rendered (FailTask).
import { z } from 'zod';
import { DEFAULT_PARAMETERS, UGM3_PARAMETER_IDS } from './parameter-table.js';

/** Île-de-France: minLon,minLat,maxLon,maxLat. */
export const DEFAULT_BBOX = '1.4462,48.1201,3.5592,49.2415';
export const MAX_RADIUS_M = 25_000;

const numberish = z.union([z.number(), z.string()]);

export const ExtractArgs = z
  .strictObject({
    /** "minLon,minLat,maxLon,maxLat" or [minLon, minLat, maxLon, maxLat]; default Île-de-France. */
    bbox: z.union([z.string(), z.array(z.number())]).nullable().optional(),
    /** "lat,lon" or [lat, lon], with `radius`. */
    coordinates: z.union([z.string(), z.array(z.number())]).optional(),
    /** Metres, at most 25000. */
    radius: numberish.optional(),
    /** Parameter names (µg/m³): default pm25, pm10, no2, o3. A string may list them separated by commas. */
    parameters: z.union([z.array(z.string()), z.string()]).optional(),
    /** Requests in flight at once (default OPENAQ_CONCURRENCY, 4). */
    concurrency: numberish.optional(),
  })
  .superRefine((args, ctx) => {
    for (const p of argProblems(args)) ctx.addIssue({ code: 'custom', path: [p.arg], message: p.message });
  });
export type ExtractArgs = z.infer<typeof ExtractArgs>;

export type Region =
  | { bbox: [minLon: number, minLat: number, maxLon: number, maxLat: number] }
  | { coordinates: [lat: number, lon: number]; radius: number };

export interface ResolvedArgs {
  region: Region;
  parameterNames: string[];
  parameterIds: number[];
  concurrency?: number;
}

export interface ArgProblem {
  arg: string;
  message: string;
}

const templated = (v: unknown) => typeof v === 'string' && v.includes('{{');

/** Every problem with the arguments; templated values (not rendered yet) are skipped. */
export function argProblems(a: ExtractArgs): ArgProblem[] {
  const r = resolve(a, true);
  return 'problems' in r ? r.problems : [];
}

/** The arguments as the extract uses them, or the problems found. */
export function resolveExtractArgs(a: ExtractArgs): ResolvedArgs | { problems: ArgProblem[] } {
  return resolve(a, false);
}

function resolve(a: ExtractArgs, skipTemplated: boolean): ResolvedArgs | { problems: ArgProblem[] } {
  const problems: ArgProblem[] = [];
  const skip = (v: unknown) => skipTemplated && templated(v);
  const region = resolveRegion(a, problems, skip);

  let parameterNames: string[] = [...DEFAULT_PARAMETERS];
  if (a.parameters !== undefined && !skip(a.parameters)) {
    parameterNames = (Array.isArray(a.parameters) ? a.parameters : a.parameters.split(',')).map((s) => s.trim().toLowerCase()).filter(Boolean);
    const valid = Object.keys(UGM3_PARAMETER_IDS).sort().join(', ');
    if (!parameterNames.length) problems.push({ arg: 'parameters', message: `parameters is empty: name at least one of ${valid}` });
    for (const name of parameterNames) {
      if (!(name in UGM3_PARAMETER_IDS)) problems.push({ arg: 'parameters', message: `parameters: unknown parameter "${name}"; valid names: ${valid}` });
    }
  }

  let concurrency: number | undefined;
  if (a.concurrency !== undefined && !skip(a.concurrency)) {
    concurrency = Number(a.concurrency);
    if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 16) {
      problems.push({ arg: 'concurrency', message: `concurrency ${JSON.stringify(a.concurrency)} is not a whole number from 1 to 16` });
    }
  }

  if (problems.length || !region) return { problems };
  const parameterIds = [...new Set(parameterNames.map((n) => UGM3_PARAMETER_IDS[n]))];
  return { region, parameterNames: [...new Set(parameterNames)], parameterIds, concurrency };
}

function resolveRegion(a: ExtractArgs, problems: ArgProblem[], skip: (v: unknown) => boolean): Region | undefined {
  const hasPoint = a.coordinates !== undefined || a.radius !== undefined;
  const bboxGiven = a.bbox !== undefined;
  if (bboxGiven && hasPoint) {
    problems.push({ arg: 'bbox', message: 'bbox and coordinates/radius exclude each other: give one region' });
    return undefined;
  }
  if (hasPoint) {
    if (a.coordinates === undefined) {
      problems.push({ arg: 'coordinates', message: 'radius needs coordinates ("lat,lon", e.g. "48.8621,2.3446")' });
      return undefined;
    }
    if (a.radius === undefined) {
      problems.push({ arg: 'radius', message: `coordinates needs radius (metres, at most ${MAX_RADIUS_M})` });
      return undefined;
    }
    if (skip(a.coordinates) || skip(a.radius)) return undefined;
    const c = numbers(a.coordinates);
    const radius = Number(a.radius);
    const before = problems.length;
    if (!c || c.length !== 2) problems.push({ arg: 'coordinates', message: `coordinates ${JSON.stringify(a.coordinates)} is not "lat,lon" (two numbers)` });
    else {
      if (Math.abs(c[0]) > 90) problems.push({ arg: 'coordinates', message: `coordinates: latitude ${c[0]} is out of range -90..90 (coordinates are "lat,lon")` });
      if (Math.abs(c[1]) > 180) problems.push({ arg: 'coordinates', message: `coordinates: longitude ${c[1]} is out of range -180..180` });
    }
    if (!Number.isFinite(radius) || radius <= 0 || radius > MAX_RADIUS_M) {
      problems.push({ arg: 'radius', message: `radius ${JSON.stringify(a.radius)} is out of range: more than 0 and at most ${MAX_RADIUS_M} metres` });
    }
    return problems.length === before ? { coordinates: [c![0], c![1]], radius } : undefined;
  }
  if (a.bbox === null || a.bbox === '' || (Array.isArray(a.bbox) && a.bbox.length === 0)) {
    problems.push({ arg: 'bbox', message: 'no region: set bbox ("minLon,minLat,maxLon,maxLat") or coordinates ("lat,lon") with radius (metres)' });
    return undefined;
  }
  const raw = a.bbox ?? DEFAULT_BBOX;
  if (skip(raw)) return undefined;
  const b = numbers(raw);
  if (!b || b.length !== 4) {
    problems.push({ arg: 'bbox', message: `bbox ${JSON.stringify(raw)} is not minLon,minLat,maxLon,maxLat (four numbers)` });
    return undefined;
  }
  const [minLon, minLat, maxLon, maxLat] = b;
  const before = problems.length;
  for (const [name, v, lim] of [['minLon', minLon, 180], ['minLat', minLat, 90], ['maxLon', maxLon, 180], ['maxLat', maxLat, 90]] as const) {
    if (Math.abs(v) > lim) problems.push({ arg: 'bbox', message: `bbox: ${name} ${v} is out of range -${lim}..${lim} (bbox is minLon,minLat,maxLon,maxLat)` });
  }
  if (minLon > maxLon) problems.push({ arg: 'bbox', message: `bbox: minLon ${minLon} is greater than maxLon ${maxLon} (bbox is minLon,minLat,maxLon,maxLat)` });
  if (minLat > maxLat) problems.push({ arg: 'bbox', message: `bbox: minLat ${minLat} is greater than maxLat ${maxLat} (bbox is minLon,minLat,maxLon,maxLat)` });
  return problems.length === before ? { bbox: [minLon, minLat, maxLon, maxLat] } : undefined;
}

function numbers(v: string | number[]): number[] | undefined {
  const parts = Array.isArray(v) ? v : v.split(',').map((s) => (s.trim() === '' ? NaN : Number(s)));
  return parts.every((n) => Number.isFinite(n)) ? parts : undefined;
}

/** The region as query parameters, and as recorded in the manifest. */
export function regionQuery(r: Region): Record<string, string | number> {
  return 'bbox' in r ? { bbox: r.bbox.join(',') } : { coordinates: r.coordinates.join(','), radius: r.radius };
}
