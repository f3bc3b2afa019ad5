import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { isSameLiveProcess, parseProcStat } from '../../../../src/runtime-adapters/process/proc.js';

function statLine(comm: string, state: string, ticks: number[], start: number): string {
  // fields 4..13 are filler, 14..17 cpu ticks, 18..21 filler, 22 start time
  const filler = (n: number) => Array.from({ length: n }, () => '0');
  return `1234 (${comm}) ${state} ${[...filler(10), ...ticks.map(String), ...filler(4), String(start), '0', '0'].join(' ')}\n`;
}

describe('parseProcStat', () => {
  it('reads state, cpu ticks and start time, whatever the command name holds', () => {
    fc.assert(
      fc.property(
        fc.string().filter((s) => !s.includes('\n')),
        fc.constantFrom('R', 'S', 'Z'),
        fc.array(fc.nat(1e6), { minLength: 4, maxLength: 4 }),
        fc.nat(1e9),
        (comm, state, ticks, start) => {
          const s = parseProcStat(statLine(comm, state, ticks, start));
          expect(s).toEqual({ state, cpuTicks: ticks.reduce((a, b) => a + b, 0), startTicks: start });
        },
      ),
    );
  });

  it('the pid-reuse guard: same start time and not a zombie', () => {
    const live = { state: 'S', cpuTicks: 1, startTicks: 500 };
    expect(isSameLiveProcess(live, 500)).toBe(true);
    expect(isSameLiveProcess(live, 501)).toBe(false);
    expect(isSameLiveProcess(live, undefined)).toBe(false);
    expect(isSameLiveProcess({ ...live, state: 'Z' }, 500)).toBe(false);
    expect(isSameLiveProcess(undefined, 500)).toBe(false);
  });
});
