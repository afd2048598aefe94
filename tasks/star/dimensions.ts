// The dimensions of one raw partition: parameters from /v3/parameters, locations and their sensors from
// /v3/locations (a parameter seen only in a location's sensor list is added from there). A location listed twice
// (pages that shifted while paging) keeps its last listing.
import { FieldReader, type Obj } from './json-fields.js';
import { kindOf, SchemaDriftError } from './raw-errors.js';

export interface LocationRow {
  location_id: number;
  name: string | null;
  locality: string | null;
  timezone: string | null;
  country_code: string;
  country_name: string;
  provider: string;
  owner: string;
  latitude: number | null;
  longitude: number | null;
  is_mobile: boolean;
  is_monitor: boolean;
}

export interface ParameterRow {
  parameter_id: number;
  name: string;
  units: string;
  display_name: string | null;
}

export interface SensorRow {
  sensor_id: number;
  location_id: number;
  parameter_id: number;
  name: string;
}

export class Dimensions {
  readonly locations = new Map<number, LocationRow>();
  readonly sensors = new Map<number, SensorRow>();
  /** From /v3/parameters: these win over the copies inside location sensor lists. */
  private readonly listedParameters = new Map<number, ParameterRow>();
  private readonly sensorParameters = new Map<number, ParameterRow>();

  addParametersPage(page: unknown, file: string): void {
    const f = new FieldReader(file);
    f.results(page).forEach((r, i) => {
      const p = parameterRow(f, r, `results[${i}]`);
      this.listedParameters.set(p.parameter_id, p);
    });
  }

  addLocationsPage(page: unknown, file: string): void {
    const f = new FieldReader(file);
    f.results(page).forEach((r, i) => {
      const at = `results[${i}]`;
      const id = f.int(r, 'id', at);
      const country = f.obj(r, 'country', at);
      const coords = f.obj(r, 'coordinates', at);
      this.locations.set(id, {
        location_id: id,
        name: f.strOrNull(r, 'name', at),
        locality: f.strOrNull(r, 'locality', at),
        timezone: f.strOrNull(r, 'timezone', at),
        country_code: f.str(country, 'code', `${at}.country`),
        country_name: f.str(country, 'name', `${at}.country`),
        provider: f.str(f.obj(r, 'provider', at), 'name', `${at}.provider`),
        owner: f.str(f.obj(r, 'owner', at), 'name', `${at}.owner`),
        latitude: f.numOrNull(coords, 'latitude', `${at}.coordinates`),
        longitude: f.numOrNull(coords, 'longitude', `${at}.coordinates`),
        is_mobile: f.bool(r, 'isMobile', at),
        is_monitor: f.bool(r, 'isMonitor', at),
      });
      f.arr(r, 'sensors', at).forEach((s, j) => {
        const sAt = `${at}.sensors[${j}]`;
        if (s === null || typeof s !== 'object' || Array.isArray(s)) throw new SchemaDriftError(file, sAt, `is ${kindOf(s)} (expected an object)`);
        const sensor = s as Obj;
        const parameter = parameterRow(f, f.obj(sensor, 'parameter', sAt), `${sAt}.parameter`);
        this.sensorParameters.set(parameter.parameter_id, parameter);
        const sensorId = f.int(sensor, 'id', sAt);
        this.sensors.set(sensorId, { sensor_id: sensorId, location_id: id, parameter_id: parameter.parameter_id, name: f.str(sensor, 'name', sAt) });
      });
    });
  }

  /** Every parameter, by id. */
  parameters(): Map<number, ParameterRow> {
    const out = new Map(this.sensorParameters);
    for (const [id, p] of this.listedParameters) out.set(id, p);
    return out;
  }
}

function parameterRow(f: FieldReader, o: Obj, at: string): ParameterRow {
  return { parameter_id: f.int(o, 'id', at), name: f.str(o, 'name', at), units: f.str(o, 'units', at), display_name: f.strOrNull(o, 'displayName', at) };
}
