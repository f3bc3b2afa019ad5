/** The CronJob schedule evaluation and missed-schedule rules as pure functions (robfig/cron semantics). */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parseSchedule } from '../../../../src/controllers/cronjob/schedule.js';
import { mostRecentSchedule } from '../../../../src/controllers/cronjob/missed.js';
import { jobNameFor } from '../../../../src/controllers/cronjob/job-template.js';
import { jobsBeyondHistory } from '../../../../src/controllers/cronjob/history.js';
import type { Job } from '../../../../src/model/types.js';

const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());
const START = Date.parse('2026-01-01T00:00:00Z');

describe('schedule', () => {
  it('next is strictly later, on a whole minute, and matches the fields (UTC)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 59 }),
        fc.integer({ min: 1, max: 23 }),
        fc.integer({ min: 0, max: 400 * 86_400_000 }),
        (minute, step, offset) => {
          const s = parseSchedule(`${minute} */${step} * * *`, 'UTC');
          const after = START + offset;
          const n = s.next(after)!;
          expect(n).toBeGreaterThan(after);
          expect(n % 60_000).toBe(0);
          const d = new Date(n);
          expect(d.getUTCMinutes()).toBe(minute);
          expect(d.getUTCHours() % step).toBe(0);
          // Nothing matches in between.
          const prev = new Date(n - 3_600_000);
          if (prev.getTime() > after) expect(prev.getUTCHours() % step === 0 && prev.getUTCMinutes() === minute).toBe(false);
        },
      ),
    );
  });

  it('macros are the schedules Kubernetes gives them', () => {
    const at = Date.parse('2026-05-13T10:17:00Z');
    expect(iso(parseSchedule('@hourly', 'UTC').next(at))).toBe('2026-05-13T11:00:00.000Z');
    expect(iso(parseSchedule('@daily', 'UTC').next(at))).toBe('2026-05-14T00:00:00.000Z');
    expect(iso(parseSchedule('@midnight', 'UTC').next(at))).toBe('2026-05-14T00:00:00.000Z');
    expect(iso(parseSchedule('@weekly', 'UTC').next(at))).toBe('2026-05-17T00:00:00.000Z');
    expect(iso(parseSchedule('@monthly', 'UTC').next(at))).toBe('2026-06-01T00:00:00.000Z');
    expect(iso(parseSchedule('@yearly', 'UTC').next(at))).toBe('2027-01-01T00:00:00.000Z');
    expect(iso(parseSchedule('@annually', 'UTC').next(at))).toBe('2027-01-01T00:00:00.000Z');
    expect(iso(parseSchedule('@every 1h30m', 'UTC').next(at))).toBe('2026-05-13T11:47:00.000Z');
  });

  it('robfig field rules: N/step is N-max/step, ? is *, day-of-month OR day-of-week when both are set', () => {
    expect(iso(parseSchedule('50/5 * * * *', 'UTC').next(Date.parse('2026-01-01T00:56:00Z')))).toBe('2026-01-01T01:50:00.000Z');
    expect(iso(parseSchedule('0 0 ? * ?', 'UTC').next(START))).toBe('2026-01-02T00:00:00.000Z');
    // 2026-02-01 is a Sunday; the 13th of Feb is a Friday: "13th or Friday".
    expect(iso(parseSchedule('0 0 13 * 5', 'UTC').next(Date.parse('2026-02-07T00:00:00Z')))).toBe('2026-02-13T00:00:00.000Z');
    expect(iso(parseSchedule('0 0 13 * 5', 'UTC').next(Date.parse('2026-02-13T00:00:00Z')))).toBe('2026-02-20T00:00:00.000Z');
  });

  it('daylight saving in America/New_York: a skipped time does not run, a repeated time runs twice', () => {
    const s = parseSchedule('30 2 * * *', 'America/New_York');
    expect(iso(s.next(Date.parse('2026-03-07T08:00:00Z')))).toBe('2026-03-09T06:30:00.000Z');
    const f = parseSchedule('30 1 * * *', 'America/New_York');
    const first = f.next(Date.parse('2026-10-31T12:00:00Z'))!;
    expect(iso(first)).toBe('2026-11-01T05:30:00.000Z'); // 01:30 EDT
    expect(iso(f.next(first))).toBe('2026-11-01T06:30:00.000Z'); // 01:30 EST
  });
});

describe('missed schedules', () => {
  it('counts the schedule times in (earliest, now] and returns the latest', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 30 }), fc.integer({ min: 0, max: 99 * 60_000 }), (every, elapsed) => {
        const s = parseSchedule(`*/${every} * * * *`, 'UTC');
        const now = START + elapsed;
        const r = mostRecentSchedule(s, START, now);
        const times: number[] = [];
        for (let t = START + 60_000; t <= now; t += 60_000) if (new Date(t).getUTCMinutes() % every === 0) times.push(t);
        expect(r.missed).toBe(times.length);
        expect(r.mostRecentMs).toBe(times.at(-1));
      }),
    );
  });

  it('past 100 missed times it still finds the latest one', () => {
    const s = parseSchedule('* * * * *', 'UTC');
    const r = mostRecentSchedule(s, START, START + 5 * 3_600_000 + 30_000);
    expect(r.missed).toBeGreaterThan(100);
    expect(iso(r.mostRecentMs)).toBe('2026-01-01T05:00:00.000Z');
  });
});

describe('names and history', () => {
  it('a Job is named <cronjob>-<schedule time in Unix minutes>', () => {
    expect(jobNameFor('backup', Date.parse('2026-01-01T00:05:00Z'))).toBe(`backup-${Date.parse('2026-01-01T00:05:00Z') / 60_000}`);
  });

  it('deletes the oldest finished Jobs beyond each limit, never a running one', () => {
    const mk = (name: string, start: string, cond?: 'Complete' | 'Failed'): Job => ({
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name },
      status: { startTime: start, ...(cond ? { conditions: [{ type: cond, status: 'True' }] } : {}) },
    });
    const jobs = [
      mk('a', '2026-01-01T00:01:00Z', 'Complete'),
      mk('b', '2026-01-01T00:02:00Z', 'Failed'),
      mk('c', '2026-01-01T00:03:00Z', 'Complete'),
      mk('d', '2026-01-01T00:04:00Z', 'Failed'),
      mk('e', '2026-01-01T00:00:00Z'),
    ];
    expect(jobsBeyondHistory(jobs, 1, 1).map((j) => j.metadata.name)).toEqual(['a', 'b']);
    expect(jobsBeyondHistory(jobs, 0, 0).map((j) => j.metadata.name)).toEqual(['a', 'c', 'b', 'd']);
    expect(jobsBeyondHistory(jobs, undefined, undefined)).toEqual([]);
  });
});
