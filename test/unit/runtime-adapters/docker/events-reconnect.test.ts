import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { clusterEvents } from '../../../../src/runtime-adapters/docker/events.js';
import type { DockerScope } from '../../../../src/runtime-adapters/docker/scope.js';
import { RUNTIME_LABELS } from '../../../../src/runtime-adapters/types.js';

const event = (id: string, action: string, timeNano: number) =>
  JSON.stringify({
    Type: 'container',
    Action: action,
    Actor: { ID: id, Attributes: { exitCode: '1' } },
    time: Math.floor(timeNano / 1e9),
    timeNano,
  }) + '\n';

/** A scope whose daemon serves the given event streams one after the other, then fails. */
function fakeScope(streams: string[][]) {
  const calls: Array<{ since?: unknown; filters?: unknown }> = [];
  const scope = {
    clusterName: 'c1',
    docker: {
      getEvents: async (opts: { since?: unknown; filters?: unknown }) => {
        calls.push(opts);
        const next = streams.shift();
        if (!next) throw Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
        return Readable.from(next.map((s) => Buffer.from(s)));
      },
    },
  } as unknown as DockerScope;
  return { scope, calls };
}

describe('clusterEvents', () => {
  it('filters by the cluster label, reconnects after a drop from the last event, and repeats nothing', async () => {
    const t1 = 1_700_000_000_000_000_000;
    const t2 = t1 + 5_000_000_000;
    const { scope, calls } = fakeScope([
      [event('a', 'start', t1), event('a', 'die', t1).slice(0, 10)], // drops mid-line
      [event('a', 'start', t1), event('a', 'die', t2)], // the daemon replays from `since`
    ]);
    const ac = new AbortController();
    const got: string[] = [];
    for await (const e of clusterEvents(scope, ac.signal)) {
      got.push(`${e.type}:${e.containerId}`);
      if (got.length === 2) ac.abort();
    }
    expect(got).toEqual(['start:a', 'exit:a']);
    expect(calls).toHaveLength(2);
    expect(calls[0].filters).toMatchObject({ label: [`${RUNTIME_LABELS.cluster}=c1`] });
    expect(String(calls[1].since)).toMatch(/^1700000000\.\d{9}$/);
  });

  it('keeps retrying while the daemon is away and stops on abort', async () => {
    const { scope, calls } = fakeScope([]);
    const ac = new AbortController();
    const it = clusterEvents(scope, ac.signal);
    const done = it.next();
    await new Promise((r) => setTimeout(r, 400));
    ac.abort();
    expect(await done).toEqual({ done: true, value: undefined });
    expect(calls.length).toBeGreaterThan(1);
  });
});
