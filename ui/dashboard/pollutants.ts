// The pollutants the dashboard shows, one at a time, each with its WHO 2021 guideline.
export type Pollutant = 'pm25' | 'pm10' | 'no2' | 'o3';

export interface PollutantInfo {
  id: Pollutant;
  label: string;
  /** µg/m³ */
  guideline: number;
  /** What the guideline is a limit of. */
  averaging: string;
}

export const POLLUTANTS: PollutantInfo[] = [
  { id: 'pm25', label: 'PM2.5', guideline: 15, averaging: '24-hour mean' },
  { id: 'pm10', label: 'PM10', guideline: 45, averaging: '24-hour mean' },
  { id: 'no2', label: 'NO₂', guideline: 25, averaging: '24-hour mean' },
  { id: 'o3', label: 'O₃', guideline: 100, averaging: 'maximum daily 8-hour mean' },
];

export const UNIT = 'µg/m³';

export const pollutant = (id: string): PollutantInfo => POLLUTANTS.find((p) => p.id === id) ?? POLLUTANTS[0]!;

/** A level relative to the guideline, in words (never by colour alone) and a colour. */
export interface Level {
  name: string;
  color: string;
}

export const NO_DATA: Level = { name: 'no valid data', color: '#9aa0a6' };
export const LEVELS: { upTo: number; level: Level }[] = [
  { upTo: 0.5, level: { name: 'under half the guideline', color: '#1a9850' } },
  { upTo: 1, level: { name: 'under the guideline', color: '#91bf3b' } },
  { upTo: 2, level: { name: 'above the guideline', color: '#f46d43' } },
  { upTo: Infinity, level: { name: 'over twice the guideline', color: '#a50026' } },
];

export function levelOf(mean: number | null, guideline: number): Level {
  if (mean === null || !Number.isFinite(mean)) return NO_DATA;
  return LEVELS.find((l) => mean / guideline <= l.upTo)!.level;
}
