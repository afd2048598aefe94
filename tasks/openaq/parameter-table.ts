// OpenAQ v3 parameters ("measurands"): id, name, units, display name and description, as in openaq-db's lookup table.
// The extract resolves parameter names to ids with it (one id per pollutant *and unit*: no2 is 5 in µg/m³ but 7 in
// ppm), and the simulator serves it as /v3/parameters.
export interface ParameterInfo {
  id: number;
  name: string;
  units: string;
  displayName: string | null;
  description: string | null;
}

export const PARAMETERS: readonly ParameterInfo[] = [
  { id: 1, name: 'pm10', units: 'µg/m³', displayName: 'PM10', description: 'Particulate matter less than 10 micrometers in diameter mass concentration' },
  { id: 2, name: 'pm25', units: 'µg/m³', displayName: 'PM2.5', description: 'Particulate matter less than 2.5 micrometers in diameter mass concentration' },
  { id: 3, name: 'o3', units: 'µg/m³', displayName: 'O₃ mass', description: 'Ozone mass concentration' },
  { id: 4, name: 'co', units: 'µg/m³', displayName: 'CO mass', description: 'Carbon Monoxide mass concentration' },
  { id: 5, name: 'no2', units: 'µg/m³', displayName: 'NO₂ mass', description: 'Nitrogen Dioxide mass concentration' },
  { id: 6, name: 'so2', units: 'µg/m³', displayName: 'SO₂ mass', description: 'Sulfur Dioxide mass concentration' },
  { id: 7, name: 'no2', units: 'ppm', displayName: 'NO₂', description: 'Nitrogen Dioxide concentration' },
  { id: 8, name: 'co', units: 'ppm', displayName: 'CO', description: 'Carbon Monoxide concentration' },
  { id: 9, name: 'so2', units: 'ppm', displayName: 'SO₂', description: 'Sulfur Dioxide concentration' },
  { id: 10, name: 'o3', units: 'ppm', displayName: 'O₃', description: 'Ozone concentration' },
  { id: 11, name: 'bc', units: 'µg/m³', displayName: 'BC', description: 'Black Carbon mass concentration' },
  { id: 14, name: 'co2', units: 'umol/mol', displayName: 'CO2', description: null },
  { id: 15, name: 'no2', units: 'ppb', displayName: null, description: null },
  { id: 17, name: 'bc', units: 'ng/m3', displayName: null, description: null },
  { id: 19, name: 'pm1', units: 'µg/m³', displayName: 'PM1', description: 'Particulate matter less than 1 micrometer in diameter mass concentration' },
  { id: 21, name: 'co2', units: 'ppm', displayName: 'CO₂', description: 'Carbon Dioxide concentration' },
  { id: 22, name: 'wind_direction', units: 'deg', displayName: null, description: null },
  { id: 23, name: 'nox', units: 'ppb', displayName: 'NOX', description: null },
  { id: 24, name: 'no', units: 'ppb', displayName: null, description: null },
  { id: 25, name: 'rh', units: '%', displayName: null, description: null },
  { id: 27, name: 'nox', units: 'µg/m³', displayName: 'NOx mass', description: 'Nitrogen Oxides mass concentration' },
  { id: 28, name: 'ch4', units: 'ppm', displayName: 'CH₄', description: 'Methane concentration' },
  { id: 29, name: 'pn', units: 'particles/cm³', displayName: null, description: null },
  { id: 32, name: 'o3', units: 'ppb', displayName: null, description: null },
  { id: 33, name: 'ufp', units: 'particles/cm³', displayName: 'UFP count', description: 'Ultrafine Particles count concentration' },
  { id: 34, name: 'wind_speed', units: 'm/s', displayName: null, description: null },
  { id: 35, name: 'no', units: 'ppm', displayName: 'NO', description: 'Nitrogen Monoxide concentration' },
  { id: 36, name: 'pm', units: 'µg/m³', displayName: 'PM', description: null },
  { id: 37, name: 'ambient_temp', units: 'deg_c', displayName: null, description: null },
  { id: 95, name: 'pressure', units: 'hpa', displayName: null, description: null },
  { id: 98, name: 'relativehumidity', units: '%', displayName: null, description: null },
  { id: 100, name: 'temperature', units: 'c', displayName: null, description: null },
  { id: 101, name: 'so2', units: 'ppb', displayName: null, description: null },
  { id: 102, name: 'co', units: 'ppb', displayName: null, description: null },
  { id: 125, name: 'um003', units: 'particles/cm³', displayName: null, description: null },
  { id: 126, name: 'um010', units: 'particles/cm³', displayName: 'PM1 count', description: 'PM1 count' },
  { id: 128, name: 'temperature', units: 'f', displayName: null, description: null },
  { id: 129, name: 'um050', units: 'particles/cm³', displayName: null, description: null },
  { id: 130, name: 'um025', units: 'particles/cm³', displayName: 'PM2.5 count', description: 'PM2.5 count' },
  { id: 131, name: 'pm100', units: 'µg/m³', displayName: 'PM100', description: null },
  { id: 132, name: 'pressure', units: 'mb', displayName: null, description: null },
  { id: 133, name: 'um005', units: 'particles/cm³', displayName: null, description: null },
  { id: 134, name: 'humidity', units: '%', displayName: null, description: null },
  { id: 135, name: 'um100', units: 'particles/cm³', displayName: 'PM10 count', description: 'PM10 count' },
  { id: 676, name: 'ozone', units: 'ppb', displayName: null, description: null },
  { id: 19840, name: 'nox', units: 'ppm', displayName: 'NOx', description: 'Nitrogen Oxides concentration' },
  { id: 19843, name: 'no', units: 'µg/m³', displayName: 'NO mass', description: 'Nitrogen Monoxide mass concentration' },
  { id: 19844, name: 'pm4', units: 'µg/m³', displayName: null, description: 'Particulate matter less than 4 micrometers in diameter mass concentration' },
];

/** Names the extract accepts, each mapped to its mass-concentration (µg/m³) parameter id. */
export const UGM3_PARAMETER_IDS: Readonly<Record<string, number>> = Object.fromEntries(
  PARAMETERS.filter((p) => p.units === 'µg/m³' && ['pm10', 'pm25', 'o3', 'co', 'no2', 'so2', 'bc', 'pm1', 'nox', 'no', 'pm4'].includes(p.name))
    .map((p) => [p.name, p.id]),
);

export const DEFAULT_PARAMETERS = ['pm25', 'pm10', 'no2', 'o3'] as const;

export function parameterById(id: number): ParameterInfo | undefined {
  return PARAMETERS.find((p) => p.id === id);
}
