/**
 * CronJob schedules: parsed by croner, evaluated as Kubernetes' parser (robfig/cron v3) does.
 * Five fields or a macro (@hourly, @daily, @midnight, @weekly, @monthly, @yearly, @annually,
 * @every <duration>), in `spec.timeZone` or the process's local zone. A time that a
 * daylight-saving jump skips does not run that day; a time that occurs twice runs twice.
 */
import { Cron } from 'croner';

/** A parsed schedule. */
export interface Schedule {
  /** The first activation strictly after `afterMs` (whole seconds), or undefined when there is none. */
  next(afterMs: number): number | undefined;
}

const MACROS: Readonly<Record<string, string>> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};
const FIELD_MAX = [59, 23, 31, 12, 6];
const UNITS: Readonly<Record<string, number>> = { ns: 1e-6, us: 1e-3, µs: 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** Go's time.ParseDuration for the units @every accepts; undefined when malformed. */
function parseDurationMs(text: string): number | undefined {
  const re = /([0-9]+(?:\.[0-9]+)?)(ns|us|µs|ms|s|m|h)/y;
  let total = 0;
  let at = 0;
  while (at < text.length) {
    re.lastIndex = at;
    const m = re.exec(text);
    if (!m) return undefined;
    total += Number(m[1]) * UNITS[m[2]];
    at = re.lastIndex;
  }
  return text.length > 0 ? total : undefined;
}

/** robfig's field syntax in croner's: `?` is `*`, `N/step` means `N-max/step`. */
function toCronerField(field: string, max: number): string {
  return field
    .split(',')
    .map((part) => {
      const p = part.replace(/^\?/, '*');
      const m = /^([0-9A-Za-z]+)\/([0-9]+)$/.exec(p);
      return m ? `${m[1]}-${max}/${m[2]}` : p;
    })
    .join(',');
}

/** A constant-delay schedule (@every): the next activation is `delay` after the given time, in whole seconds. */
function everySchedule(delayMs: number): Schedule {
  const delay = Math.max(1000, delayMs - (delayMs % 1000));
  return { next: (afterMs) => Math.floor((afterMs + delay) / 1000) * 1000 };
}

/**
 * Parses a schedule (already validated) in a time zone (IANA name; undefined: local time).
 * Throws when croner cannot parse it.
 */
export function parseSchedule(schedule: string, timeZone?: string): Schedule {
  const s = schedule.trim();
  if (s.startsWith('@every ')) {
    const d = parseDurationMs(s.slice(7).trim());
    if (d === undefined) throw new Error(`failed to parse duration ${s}`);
    return everySchedule(d);
  }
  const fields = (MACROS[s] ?? s).split(/\s+/);
  if (fields.length !== 5) throw new Error(`expected exactly 5 fields, found ${fields.length}: ${s}`);
  const pattern = fields.map((f, i) => toCronerField(f, FIELD_MAX[i])).join(' ');
  const cron = new Cron(pattern, { timezone: timeZone, paused: true, mode: '5-part', domAndDow: false });
  const offset = offsetReader(timeZone);
  return {
    next(afterMs) {
      // croner runs a fixed time that a spring-forward gap skips at the end of the gap, and a
      // time that occurs twice once. robfig (so Kubernetes) runs exactly the instants whose wall
      // clock matches: skip croner's shifted times, and look for the second occurrence of a
      // repeated time, which can only fall within the 2 hours after `afterMs` of a fall-back.
      let from = Math.floor(afterMs / 1000) * 1000 + 999;
      let c: number | undefined;
      for (let i = 0; i < 1000; i++) {
        const d = cron.nextRun(new Date(from));
        if (!d) return undefined;
        if (cron.match(d)) {
          c = d.getTime();
          break;
        }
        from = d.getTime();
      }
      if (c === undefined) return undefined;
      if (offset(afterMs) > offset(afterMs + FALL_BACK_WINDOW_MS)) {
        for (let m = Math.floor(afterMs / 60_000) * 60_000 + 60_000; m < c && m <= afterMs + FALL_BACK_WINDOW_MS; m += 60_000) {
          if (cron.match(new Date(m))) return m;
        }
      }
      return c;
    },
  };
}

/** The longest daylight-saving shift in use (Antarctica/Troll: 2 hours). */
const FALL_BACK_WINDOW_MS = 2 * 3_600_000;

/** Reads a zone's UTC offset (ms) at an instant. */
function offsetReader(timeZone: string | undefined): (ms: number) => number {
  const fmt = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  });
  return (ms) => {
    const p = Object.fromEntries(fmt.formatToParts(new Date(ms)).map((x) => [x.type, x.value]));
    const wall = Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour), Number(p.minute), Number(p.second));
    return wall - Math.floor(ms / 1000) * 1000;
  };
}
