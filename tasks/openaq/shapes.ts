// OpenAQ v3 response shapes (zod), field for field as the API emits them (docs.openaq.org API v3 reference), checked against real
// payloads. Objects are not strict: the API may add fields, and the raw zone keeps the bytes anyway.
import { z } from 'zod';

const num = z.number();
const nullableNum = num.nullable();

export const DateTimePair = z.object({ utc: z.string(), local: z.string() });
export type DateTimePair = z.infer<typeof DateTimePair>;

export const Coordinates = z.object({ latitude: nullableNum, longitude: nullableNum });

/**
 * `found` is an exact total only where the SQL counts (parameters, countries); for locations, sensors and
 * measurements it is ">{limit}" on a full page, else the number of rows on the page (0 on an empty page).
 */
export const Meta = z.object({
  name: z.string(),
  website: z.string(),
  page: z.number().int(),
  limit: z.number().int(),
  found: z.union([z.number().int(), z.string()]).nullable(),
});
export type Meta = z.infer<typeof Meta>;

export function envelope<T extends z.ZodType>(result: T) {
  return z.object({ meta: Meta, results: z.array(result) });
}
export interface Envelope<T> {
  meta: Meta;
  results: T[];
}

export const ParameterRef = z.object({
  id: z.number().int(),
  name: z.string(),
  units: z.string(),
  displayName: z.string().nullable(),
});

export const Parameter = ParameterRef.extend({ description: z.string().nullable() });
export type Parameter = z.infer<typeof Parameter>;

const IdName = z.object({ id: z.number().int(), name: z.string() });

export const LocationSensor = z.object({ id: z.number().int(), name: z.string(), parameter: ParameterRef });

export const License = z.object({
  id: z.number().int(),
  name: z.string(),
  attribution: z.object({ name: z.string(), url: z.string().nullable() }),
  dateFrom: z.string().nullable(),
  dateTo: z.string().nullable(),
});

export const Location = z.object({
  id: z.number().int(),
  name: z.string().nullable(),
  locality: z.string().nullable(),
  timezone: z.string(),
  country: z.object({ id: z.number().int().nullable(), code: z.string(), name: z.string() }),
  owner: IdName,
  provider: IdName,
  isMobile: z.boolean(),
  isMonitor: z.boolean(),
  instruments: z.array(IdName),
  sensors: z.array(LocationSensor),
  coordinates: Coordinates,
  // Absent from the Python SDK's older fixtures.
  licenses: z.array(License).nullable().optional(),
  bounds: z.tuple([num, num, num, num]),
  distance: nullableNum,
  datetimeFirst: DateTimePair.nullable(),
  datetimeLast: DateTimePair.nullable(),
});
export type Location = z.infer<typeof Location>;

/** Sensor summaries fill only some statistics (min/max/avg/sd); measurement summaries may omit avg. */
export const Summary = z.object({
  min: nullableNum.optional(),
  q02: nullableNum.optional(),
  q25: nullableNum.optional(),
  median: nullableNum.optional(),
  q75: nullableNum.optional(),
  q98: nullableNum.optional(),
  max: nullableNum.optional(),
  avg: nullableNum.optional(),
  sd: nullableNum.optional(),
});

export const Coverage = z.object({
  expectedCount: z.number().int(),
  expectedInterval: z.string(),
  observedCount: z.number().int(),
  observedInterval: z.string(),
  percentComplete: num,
  percentCoverage: num,
  datetimeFrom: DateTimePair.nullable(),
  datetimeTo: DateTimePair.nullable(),
});

export const Sensor = z.object({
  id: z.number().int(),
  name: z.string(),
  parameter: ParameterRef,
  datetimeFirst: DateTimePair.nullable(),
  datetimeLast: DateTimePair.nullable(),
  coverage: Coverage.nullable(),
  latest: z.object({ datetime: DateTimePair, value: num, coordinates: Coordinates }).nullable(),
  summary: Summary.nullable(),
});
export type Sensor = z.infer<typeof Sensor>;

/** One row of /sensors/{id}/measurements, /hours, /days, /years and their rollups. Timestamps are period *end*. */
export const Measurement = z.object({
  value: nullableNum,
  flagInfo: z.object({ hasFlags: z.boolean() }).optional(),
  parameter: ParameterRef,
  period: z.object({
    label: z.string(),
    interval: z.string(),
    datetimeFrom: DateTimePair,
    datetimeTo: DateTimePair,
  }),
  coordinates: Coordinates.nullable(),
  summary: Summary.nullable(),
  coverage: Coverage.nullable(),
});
export type Measurement = z.infer<typeof Measurement>;

export const Latest = z.object({
  datetime: DateTimePair,
  value: num,
  coordinates: Coordinates,
  sensorsId: z.number().int(),
  locationsId: z.number().int(),
});

export const Country = z.object({
  id: z.number().int(),
  code: z.string(),
  name: z.string(),
  datetimeFirst: z.string().nullable(),
  datetimeLast: z.string().nullable(),
  parameters: z.array(ParameterRef).nullable(),
});

export const ParametersPage = envelope(Parameter);
export const LocationsPage = envelope(Location);
export const SensorsPage = envelope(Sensor);
export const MeasurementsPage = envelope(Measurement);
export const LatestPage = envelope(Latest);
export const CountriesPage = envelope(Country);
/** Any list endpoint, results unchecked (owners, providers, instruments, ...). */
export const AnyPage = envelope(z.unknown());

/** A zod error as one line: "results.0.sensors.2.parameter.id: Invalid input: expected number, received string". */
export function describeZodError(err: z.ZodError): string {
  const first = err.issues[0];
  if (!first) return 'invalid';
  const where = first.path.length ? first.path.join('.') : '(body)';
  const more = err.issues.length > 1 ? ` (and ${err.issues.length - 1} more)` : '';
  return `${where}: ${first.message}${more}`;
}
