// A datetime for templates that behaves like the pendulum DateTime Airflow puts in its context: it renders as
// isoformat (`2024-04-19T22:00:00+00:00`), compares by instant, and offers the methods templates call.
import { DateTime } from 'luxon';
import { formatOffset, strftime, type DateFields } from './strftime.js';
import { pyArgs } from './py-args.js';
import { isKnownZone } from '../schedule/zone.js';

export class PyDateTime {
  private cached?: DateFields;

  /** `ms` is the instant (epoch milliseconds), `zone` the IANA time zone it is shown in. */
  constructor(
    readonly ms: number,
    readonly zone: string = 'UTC',
  ) {}

  static from(d: Date, zone = 'UTC'): PyDateTime {
    if (!isKnownZone(zone)) throw new Error(`unknown time zone '${zone}'`);
    return new PyDateTime(d.getTime(), zone);
  }

  /** Wall-clock fields in this datetime's zone. */
  get fields(): DateFields {
    if (this.cached) return this.cached;
    const micro = (((this.ms % 1000) + 1000) % 1000) * 1000;
    if (this.zone === 'UTC') {
      const d = new Date(this.ms);
      this.cached = {
        year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), hour: d.getUTCHours(), minute: d.getUTCMinutes(),
        second: d.getUTCSeconds(), microsecond: micro, offsetMinutes: 0, tzName: 'UTC',
      };
    } else {
      const l = this.luxon();
      this.cached = {
        year: l.year, month: l.month, day: l.day, hour: l.hour, minute: l.minute, second: l.second, microsecond: micro,
        offsetMinutes: l.offset, tzName: null, // filled by strftime('%Z') only: naming a zone is costly
      };
    }
    return this.cached;
  }

  private luxon(): DateTime {
    return DateTime.fromMillis(this.ms, { zone: this.zone });
  }

  get year(): number { return this.fields.year; }
  get month(): number { return this.fields.month; }
  get day(): number { return this.fields.day; }
  get hour(): number { return this.fields.hour; }
  get minute(): number { return this.fields.minute; }
  get second(): number { return this.fields.second; }
  get microsecond(): number { return this.fields.microsecond; }
  /** pendulum's timezone_name. */
  get timezone_name(): string { return this.zone; }
  get int_timestamp(): number { return Math.floor(this.ms / 1000); }

  /** Python's isoformat(sep='T'): 2024-04-20T00:00:00+02:00, with .ffffff only when non-zero. */
  isoformat(...args: unknown[]): string {
    const { sep } = pyArgs('isoformat', args, ['sep'], { sep: 'T' });
    const f = this.fields;
    const p2 = (n: number) => String(n).padStart(2, '0');
    const micro = f.microsecond ? `.${String(f.microsecond).padStart(6, '0')}` : '';
    return `${String(f.year).padStart(4, '0')}-${p2(f.month)}-${p2(f.day)}${String(sep)}${p2(f.hour)}:${p2(f.minute)}:${p2(f.second)}${micro}${formatOffset(f.offsetMinutes ?? 0, ':')}`;
  }

  strftime(...args: unknown[]): string {
    const fmt = String(pyArgs('strftime', args, ['fmt'], {}).fmt);
    const f = this.fields;
    if (f.tzName === null && fmt.includes('%Z')) f.tzName = this.luxon().setLocale('en-GB').offsetNameShort;
    return strftime(f, fmt);
  }

  /** Seconds since the epoch, as a float (Python's timestamp()). */
  timestamp(): number {
    return this.ms / 1000;
  }

  /** Monday = 0 (Python's weekday()). */
  weekday(): number {
    return (new Date(Date.UTC(this.year, this.month - 1, this.day)).getUTCDay() + 6) % 7;
  }

  isoweekday(): number {
    return this.weekday() + 1;
  }

  /** pendulum's in_timezone / in_tz: the same instant shown in another zone. */
  in_timezone(...args: unknown[]): PyDateTime {
    const { tz } = pyArgs('in_timezone', args, ['tz'], {});
    return PyDateTime.from(new Date(this.ms), String(tz));
  }

  in_tz(...args: unknown[]): PyDateTime {
    return this.in_timezone(...args);
  }

  /** pendulum's add(years=, months=, weeks=, days=, hours=, minutes=, seconds=), calendar-aware in this zone. */
  add(...args: unknown[]): PyDateTime {
    return this.shift(pyArgs('add', args, DURATION_UNITS, DURATION_DEFAULTS), 1);
  }

  subtract(...args: unknown[]): PyDateTime {
    return this.shift(pyArgs('subtract', args, DURATION_UNITS, DURATION_DEFAULTS), -1);
  }

  private shift(d: Record<string, unknown>, sign: number): PyDateTime {
    const n = (k: string) => sign * Number(d[k]);
    if (this.zone === 'UTC' && !n('years') && !n('months')) {
      // UTC has no DST: weeks, days and smaller units are fixed lengths.
      const sec = n('weeks') * 604_800 + n('days') * 86_400 + n('hours') * 3600 + n('minutes') * 60 + n('seconds');
      return new PyDateTime(this.ms + sec * 1000, this.zone);
    }
    const moved = this.luxon().plus({ years: n('years'), months: n('months'), weeks: n('weeks'), days: n('days'), hours: n('hours'), minutes: n('minutes'), seconds: n('seconds') });
    return new PyDateTime(moved.toMillis(), this.zone);
  }

  /** pendulum's to_date_string(): 2024-04-20. */
  to_date_string(): string {
    return strftime(this.fields, '%Y-%m-%d');
  }

  /** pendulum's to_datetime_string(): 2024-04-20 00:00:00. */
  to_datetime_string(): string {
    return strftime(this.fields, '%Y-%m-%d %H:%M:%S');
  }

  toString(): string {
    return this.isoformat();
  }

  toJSON(): string {
    return this.isoformat();
  }

  /** Renders as isoformat; compares (`<`, `>`) by instant. */
  [Symbol.toPrimitive](hint: string): string | number {
    return hint === 'number' ? this.ms : this.isoformat();
  }
}

const DURATION_UNITS = ['years', 'months', 'weeks', 'days', 'hours', 'minutes', 'seconds'];
const DURATION_DEFAULTS = Object.fromEntries(DURATION_UNITS.map((u) => [u, 0]));
