// Numeric command-line flags, checked before a command does anything: one line naming the flag and a value that works.
import { UserError } from '../engine/types.js';

export interface WholeFlag {
  min: number;
  max?: number;
  /** A value that works, shown in the error. */
  example: number;
  /** What the number counts, e.g. "milliseconds". */
  unit?: string;
  /** What to do instead of "pass e.g. FLAG EXAMPLE" (for positional arguments). */
  hint?: string;
}

export function wholeFlag(flag: string, raw: string, o: WholeFlag): number {
  const n = /^\s*-?\d+\s*$/.test(raw) ? Number(raw) : NaN;
  if (Number.isSafeInteger(n) && n >= o.min && (o.max === undefined || n <= o.max)) return n;
  const range = o.max === undefined ? `>= ${o.min}` : `from ${o.min} to ${o.max}`;
  throw new UserError(`${flag} ${raw} is not a whole number${o.unit ? ` of ${o.unit}` : ''} ${range}: ${o.hint ?? `pass e.g. ${flag} ${o.example}`}`);
}
