/**
 * Syntax check of CronJob schedules as Kubernetes accepts them: five fields (minute hour
 * day-of-month month day-of-week) or a macro (@hourly, @daily, @every 1h30m, ...).
 */

const MACROS = new Set(['@yearly', '@annually', '@monthly', '@weekly', '@daily', '@midnight', '@hourly']);
const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const DAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];
const FIELDS: ReadonlyArray<{ name: string; min: number; max: number; names?: string[]; nameBase?: number }> = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: MONTHS, nameBase: 1 },
  { name: 'day of week', min: 0, max: 6, names: DAYS, nameBase: 0 },
];
const DURATION_RE = /^([0-9]+(\.[0-9]+)?(ns|us|µs|ms|s|m|h))+$/;

function valueOf(text: string, f: (typeof FIELDS)[number]): number | undefined {
  if (/^[0-9]+$/.test(text)) return Number(text);
  const idx = f.names?.indexOf(text.toUpperCase()) ?? -1;
  return idx >= 0 ? idx + (f.nameBase ?? 0) : undefined;
}

function fieldErrors(text: string, f: (typeof FIELDS)[number]): string | undefined {
  for (const part of text.split(',')) {
    const [range, step, extra] = part.split('/');
    if (extra !== undefined || range === '') return `invalid ${f.name} "${text}"`;
    if (step !== undefined && !/^[0-9]+$/.test(step)) return `invalid step in ${f.name} "${text}"`;
    if (step !== undefined && Number(step) === 0) return `step of ${f.name} must be positive`;
    if (range === '*' || range === '?') continue;
    const bounds = range.split('-');
    if (bounds.length > 2) return `invalid range in ${f.name} "${text}"`;
    const nums = bounds.map((b) => valueOf(b, f));
    if (nums.some((n) => n === undefined)) return `invalid value in ${f.name} "${text}"`;
    const [lo, hi = lo] = nums as number[];
    if (lo < f.min || hi > f.max) return `${f.name} out of range (${f.min}-${f.max}): "${text}"`;
    if (lo > hi) return `beginning of range after end in ${f.name}: "${text}"`;
  }
  return undefined;
}

/** The problems of a cron schedule string, empty when it is valid. */
export function cronScheduleErrors(schedule: string): string[] {
  const s = schedule.trim();
  if (s === '') return ['empty spec string'];
  if (/^(CRON_)?TZ=/.test(s)) return ['cannot use TZ or CRON_TZ in schedule, use timeZone field instead'];
  if (s.startsWith('@')) {
    if (MACROS.has(s)) return [];
    if (s.startsWith('@every ')) {
      const d = s.slice(7).trim();
      return DURATION_RE.test(d) ? [] : [`failed to parse duration ${s}`];
    }
    return [`unrecognized descriptor: ${s}`];
  }
  const parts = s.split(/\s+/);
  if (parts.length !== 5) return [`expected exactly 5 fields, found ${parts.length}: ${s}`];
  const errs: string[] = [];
  parts.forEach((p, i) => {
    const e = fieldErrors(p, FIELDS[i]);
    if (e) errs.push(e);
  });
  return errs;
}

/** True when Kubernetes would accept the schedule. */
export function isValidCronSchedule(schedule: string): boolean {
  return cronScheduleErrors(schedule).length === 0;
}
