/**
 * Duration flags as Kubernetes' components take them (Go's time.ParseDuration): `15s`, `500ms`,
 * `1m30s`, `2h`; a bare `0` is zero. Anything else is Invalid naming the flag.
 */
import { TugboatError } from '../model/errors.js';

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** The milliseconds `value` of flag `flag` stands for (a whole number of milliseconds, at least `minMs`). */
export function parseDurationFlag(flag: string, value: string, minMs = 0): number {
  const text = value.trim();
  let ms: number | undefined = text === '0' ? 0 : undefined;
  if (ms === undefined && /^(\d+(\.\d+)?(ms|s|m|h))+$/.test(text)) {
    ms = 0;
    for (const [, n, , unit] of text.matchAll(/(\d+(\.\d+)?)(ms|s|m|h)/g)) ms += Number(n) * (UNIT_MS[unit as string] ?? 0);
  }
  if (ms !== undefined && Number.isInteger(ms) && ms >= minMs) return ms;
  const message = `must be a duration such as 500ms, 15s or 1m30s (whole milliseconds, at least ${minMs}ms)`;
  throw new TugboatError('Invalid', `${flag}: invalid value "${value}": ${message}`, {
    causes: [{ field: flag, reason: 'FieldValueInvalid', message }],
  });
}
