import { describe, expect, it } from 'vitest';
import { parseDurationFlag } from '../../../src/cli/duration-flag.js';
import { TugboatError } from '../../../src/model/errors.js';

describe('parseDurationFlag (Go durations)', () => {
  it.each([
    ['15s', 15_000],
    ['500ms', 500],
    ['1m30s', 90_000],
    ['2h', 7_200_000],
    ['1.5s', 1500],
    ['0', 0],
  ])('%s is %d ms', (text, ms) => {
    expect(parseDurationFlag('--x', text)).toBe(ms);
  });

  it.each(['', '15', 's', '-1s', '1.5ms', '10 s', '1d', 'abc'])('rejects %j as Invalid naming the flag', (text) => {
    try {
      parseDurationFlag('--leader-elect-lease-duration', text);
      expect.unreachable();
    } catch (err) {
      expect(TugboatError.is(err, 'Invalid')).toBe(true);
      expect((err as TugboatError).message).toContain('--leader-elect-lease-duration');
      expect((err as TugboatError).causes[0]?.field).toBe('--leader-elect-lease-duration');
    }
  });

  it('rejects a duration under the minimum', () => {
    expect(() => parseDurationFlag('--heartbeat-interval', '0', 1)).toThrow(/--heartbeat-interval.*at least 1ms/);
  });
});
