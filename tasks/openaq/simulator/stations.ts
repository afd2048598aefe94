// The simulator's station catalogue: the 29 Paris / Île-de-France stations of the original Paris-AQ data (names,
// coordinates and parameters exactly as OpenAQ relayed them), with stable, made-up OpenAQ ids. Shipped with the
// product: nothing is read from outside the project at run time.
//
// Ids are fixed here, never derived from list order: location ids 4001..4029; a sensor's id is its location id
// times ten plus its parameter id (pm10 1, pm25 2, o3 3, no2 5), e.g. 40185 = no2 at PARIS 1er Les Halles.
export type StationKind = 'traffic' | 'urban' | 'suburban';
export type SimParameter = 'pm10' | 'pm25' | 'o3' | 'no2';

export interface Station {
  id: number;
  name: string;
  locality: string;
  latitude: number;
  longitude: number;
  /** Airparif's classification: traffic stations sit by a road, the others measure background air. */
  kind: StationKind;
  parameters: readonly SimParameter[];
}

export const STATIONS: readonly Station[] = [
  { id: 4001, name: 'ARGENTEUIL', locality: 'Argenteuil', latitude: 48.951389999837261, longitude: 2.2236109996198161, kind: 'urban', parameters: ['no2'] },
  { id: 4002, name: 'AUBERVILLIERS', locality: 'Aubervilliers', latitude: 48.903899999756625, longitude: 2.3847000000474359, kind: 'urban', parameters: ['no2'] },
  { id: 4003, name: 'Auto A1 -Saint-Denis', locality: 'Saint-Denis', latitude: 48.925277999828751, longitude: 2.3566669999163521, kind: 'traffic', parameters: ['no2', 'pm10', 'pm25'] },
  { id: 4004, name: 'Av Champs Elysees', locality: 'Paris', latitude: 48.868889999916711, longitude: 2.3119439997973035, kind: 'traffic', parameters: ['no2', 'pm25'] },
  { id: 4005, name: 'BOBIGNY', locality: 'Bobigny', latitude: 48.9025040001429, longitude: 2.4525000002649722, kind: 'urban', parameters: ['no2', 'pm10', 'pm25'] },
  { id: 4006, name: 'Bld peripherique Est', locality: 'Paris', latitude: 48.838615000187268, longitude: 2.4127809998590957, kind: 'traffic', parameters: ['no2', 'pm10', 'pm25'] },
  { id: 4007, name: 'Boulevard Haussmann', locality: 'Paris', latitude: 48.873333000004415, longitude: 2.3302780002985286, kind: 'traffic', parameters: ['no2', 'pm10', 'pm25'] },
  { id: 4008, name: 'CHAMPIGNY-SUR-MARNE', locality: 'Champigny-sur-Marne', latitude: 48.81638700018852, longitude: 2.5175000002509331, kind: 'urban', parameters: ['no2', 'o3'] },
  { id: 4009, name: 'GENNEVILLIERS', locality: 'Gennevilliers', latitude: 48.929719999760437, longitude: 2.2947220004300926, kind: 'urban', parameters: ['no2', 'pm10', 'pm25'] },
  { id: 4010, name: 'GONESSE', locality: 'Gonesse', latitude: 48.990830000130721, longitude: 2.4447220002594934, kind: 'suburban', parameters: ['no2', 'pm25'] },
  { id: 4011, name: 'LA DEFENSE', locality: 'Puteaux', latitude: 48.8913880002415, longitude: 2.2405559998759084, kind: 'urban', parameters: ['no2', 'pm25'] },
  { id: 4012, name: 'MONTGERON', locality: 'Montgeron', latitude: 48.706699999881124, longitude: 2.4572000002045304, kind: 'suburban', parameters: ['no2', 'o3'] },
  { id: 4013, name: 'NEUILLY-SUR-SEINE', locality: 'Neuilly-sur-Seine', latitude: 48.881390000028482, longitude: 2.2780559998332586, kind: 'urban', parameters: ['no2', 'o3'] },
  { id: 4014, name: 'NOGENT-SUR-MARNE', locality: 'Nogent-sur-Marne', latitude: 48.8405569997725, longitude: 2.4844440001401038, kind: 'urban', parameters: ['pm10'] },
  { id: 4015, name: 'PARIS 12eme', locality: 'Paris', latitude: 48.837223000098149, longitude: 2.39389999991001, kind: 'urban', parameters: ['no2'] },
  { id: 4016, name: 'PARIS 13eme', locality: 'Paris', latitude: 48.828610000235969, longitude: 2.3602780000847456, kind: 'urban', parameters: ['no2', 'o3'] },
  { id: 4017, name: 'PARIS 18eme', locality: 'Paris', latitude: 48.891665999897555, longitude: 2.3466669999876131, kind: 'urban', parameters: ['no2', 'o3', 'pm10', 'pm25'] },
  { id: 4018, name: 'PARIS 1er Les Halles', locality: 'Paris', latitude: 48.862119999872711, longitude: 2.3446159997685769, kind: 'urban', parameters: ['no2', 'o3', 'pm10', 'pm25'] },
  { id: 4019, name: 'PARIS 7eme', locality: 'Paris', latitude: 48.85719999977259, longitude: 2.2932999996746815, kind: 'urban', parameters: ['no2'] },
  { id: 4020, name: 'PARIS Stade Lenglen', locality: 'Paris', latitude: 48.830386999745706, longitude: 2.2698889996653513, kind: 'urban', parameters: ['no2', 'pm10'] },
  { id: 4021, name: 'Place de l\'Opéra', locality: 'Paris', latitude: 48.8702740002815, longitude: 2.3325000002217888, kind: 'traffic', parameters: ['no2', 'pm10'] },
  { id: 4022, name: 'Quai des Celestins', locality: 'Paris', latitude: 48.852779999795274, longitude: 2.3605559999190917, kind: 'traffic', parameters: ['no2'] },
  { id: 4023, name: 'RN2-PANTIN', locality: 'Pantin', latitude: 48.902219999821838, longitude: 2.3908329997147431, kind: 'traffic', parameters: ['no2', 'pm10'] },
  { id: 4024, name: 'Rue Bonaparte', locality: 'Paris', latitude: 48.856387999919122, longitude: 2.3352779998137407, kind: 'traffic', parameters: ['no2'] },
  { id: 4025, name: 'SAINT-DENIS', locality: 'Saint-Denis', latitude: 48.937220000258563, longitude: 2.3616670003298794, kind: 'urban', parameters: ['no2'] },
  { id: 4026, name: 'TREMBLAY-EN-FRANCE', locality: 'Tremblay-en-France', latitude: 48.955549999954066, longitude: 2.5752779999001074, kind: 'suburban', parameters: ['no2', 'o3', 'pm10'] },
  { id: 4027, name: 'VERSAILLES', locality: 'Versailles', latitude: 48.7991680000162, longitude: 2.1305559997614636, kind: 'suburban', parameters: ['no2', 'o3'] },
  { id: 4028, name: 'VILLEMOMBLE', locality: 'Villemomble', latitude: 48.881946999811, longitude: 2.5072219995895328, kind: 'urban', parameters: ['no2', 'o3'] },
  { id: 4029, name: 'VITRY-SUR-SEINE', locality: 'Vitry-sur-Seine', latitude: 48.775799999896485, longitude: 2.3757999997605155, kind: 'urban', parameters: ['no2', 'o3', 'pm10', 'pm25'] },
];

export const SIM_PARAMETER_IDS: Readonly<Record<SimParameter, number>> = { pm10: 1, pm25: 2, o3: 3, no2: 5 };

export interface SimSensor {
  id: number;
  locationId: number;
  parameter: SimParameter;
  parameterId: number;
  station: Station;
}

export function simSensorId(locationId: number, parameterId: number): number {
  return locationId * 10 + parameterId;
}

/** Every sensor of every station, by id. */
export const SENSORS: ReadonlyMap<number, SimSensor> = new Map(
  STATIONS.flatMap((station) =>
    station.parameters.map((parameter): [number, SimSensor] => {
      const parameterId = SIM_PARAMETER_IDS[parameter];
      const id = simSensorId(station.id, parameterId);
      return [id, { id, locationId: station.id, parameter, parameterId, station }];
    }),
  ),
);

const BY_STATION = new Map<number, SimSensor[]>();
for (const s of SENSORS.values()) BY_STATION.set(s.locationId, [...(BY_STATION.get(s.locationId) ?? []), s]); // 62 sensors, once

/** The sensors of a station (none for an unknown id). */
export function sensorsOf(stationId: number): readonly SimSensor[] {
  return BY_STATION.get(stationId) ?? [];
}

export function stationById(id: number): Station | undefined {
  return STATIONS.find((s) => s.id === id);
}
