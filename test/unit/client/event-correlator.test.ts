/**
 * client-go's EventCorrelator rules on a FakeClock: repeats become count patches, similar Events
 * (10 messages in 10 minutes) are combined, and the spam filter lets 25 Events per source and
 * object through, then one per 5 minutes.
 */
import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../../src/clock/fake-clock.js';
import { EventCorrelator } from '../../../src/client/event-correlator.js';
import { COMBINED_PREFIX } from '../../../src/client/event-aggregator.js';
import { TokenBucket } from '../../../src/client/event-spam-filter.js';
import type { Event } from '../../../src/model/types.js';

const MIN = 60_000;

function event(message: string, overrides: { name?: string; uid?: string; reason?: string; component?: string } = {}): Event {
  return {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name: `${overrides.name ?? 'web'}.${Math.random().toString(16).slice(2)}`, namespace: 'default' },
    involvedObject: {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      name: overrides.name ?? 'web',
      namespace: 'default',
      uid: overrides.uid ?? 'u1',
    },
    type: 'Normal',
    reason: overrides.reason ?? 'SuccessfulCreate',
    message,
    count: 1,
    firstTimestamp: '2026-01-01T00:00:00Z',
    lastTimestamp: '2026-01-01T00:00:00Z',
    source: { component: overrides.component ?? 'replicaset-controller' },
  };
}

/** Correlates and stores as a server would (name kept, resourceVersion given), as the recorder does. */
function written(c: EventCorrelator, e: Event, rv = '1'): ReturnType<EventCorrelator['correlate']> {
  const r = c.correlate(e);
  if (!r.skip) c.updateState({ ...r.event, metadata: { ...r.event.metadata, resourceVersion: rv } });
  return r;
}

describe('EventCorrelator', () => {
  it('an identical Event becomes a patch of the first one: same name, count and lastTimestamp rise, firstTimestamp kept', async () => {
    const clock = new FakeClock();
    const c = new EventCorrelator(clock);
    const first = written(c, event('Created pod: a'));
    expect(first.patch).toBeUndefined();
    await clock.advance(MIN);
    const again = written(c, { ...event('Created pod: a'), lastTimestamp: '2026-01-01T00:01:00Z' });
    expect(again.skip).toBe(false);
    expect(again.event.metadata.name).toBe(first.event.metadata.name);
    expect(again.patch).toEqual({ count: 2, lastTimestamp: '2026-01-01T00:01:00Z', message: 'Created pod: a' });
    expect(again.event.firstTimestamp).toBe(first.event.firstTimestamp);
    expect(written(c, event('Created pod: a')).patch?.count).toBe(3);
  });

  it('Events about another object, or with another reason, are not repeats', () => {
    const c = new EventCorrelator(new FakeClock());
    written(c, event('m'));
    expect(written(c, event('m', { uid: 'u2' })).patch).toBeUndefined();
    expect(written(c, event('m', { reason: 'Other' })).patch).toBeUndefined();
    expect(written(c, event('m', { component: 'other' })).patch).toBeUndefined();
  });

  it('the 10th distinct message of one reason within 10 minutes is combined; later ones bump the combined Event', () => {
    const c = new EventCorrelator(new FakeClock());
    for (let i = 0; i < 9; i++) {
      const r = written(c, event(`Created pod: p${i}`));
      expect(r.event.message).toBe(`Created pod: p${i}`);
      expect(r.patch).toBeUndefined();
    }
    const combined = written(c, event('Created pod: p9'));
    expect(combined.event.message).toBe(`${COMBINED_PREFIX}Created pod: p9`);
    expect(combined.event.count).toBe(1);
    expect(combined.patch).toBeUndefined();
    const next = written(c, event('Created pod: p10'));
    expect(next.event.metadata.name).toBe(combined.event.metadata.name);
    expect(next.patch).toEqual({ count: 2, lastTimestamp: expect.any(String), message: `${COMBINED_PREFIX}Created pod: p10` });
  });

  it('similar Events more than 10 minutes apart start a new group (no combining)', async () => {
    const clock = new FakeClock();
    const c = new EventCorrelator(clock);
    for (let i = 0; i < 9; i++) written(c, event(`m${i}`));
    await clock.advance(10 * MIN + 1);
    const r = written(c, event('m9'));
    expect(r.event.message).toBe('m9');
    // Within the window again: each one restarts the window (the group's last time moves).
    for (let i = 10; i < 18; i++) {
      await clock.advance(9 * MIN);
      expect(written(c, event(`m${i}`)).event.message).toBe(`m${i}`);
    }
    await clock.advance(9 * MIN);
    expect(written(c, event('m18')).event.message).toBe(`${COMBINED_PREFIX}m18`);
  });

  it('the spam filter lets 25 Events of one source about one object through, then one per 5 minutes', async () => {
    const clock = new FakeClock();
    const c = new EventCorrelator(clock);
    const reasons = Array.from({ length: 30 }, (_, i) => `R${i}`);
    const passed = reasons.map((reason) => !written(c, event('m', { reason })).skip);
    expect(passed.filter(Boolean)).toHaveLength(25);
    expect(passed.slice(25)).toEqual([false, false, false, false, false]);
    // Another object, or another source, has its own bucket.
    expect(written(c, event('m', { uid: 'u2', name: 'api' })).skip).toBe(false);
    expect(written(c, event('m', { component: 'kubelet', reason: 'X' })).skip).toBe(false);
    await clock.advance(5 * MIN - 1000);
    expect(written(c, event('m', { reason: 'late1' })).skip).toBe(true);
    await clock.advance(1000);
    expect(written(c, event('m', { reason: 'late2' })).skip).toBe(false);
    expect(written(c, event('m', { reason: 'late3' })).skip).toBe(true);
  });

  it('a token bucket starts full, refills at its rate and never above its size', async () => {
    const clock = new FakeClock();
    const b = new TokenBucket(2, 1, clock);
    expect([b.tryTake(), b.tryTake(), b.tryTake()]).toEqual([true, true, false]);
    await clock.advance(500);
    expect(b.tryTake()).toBe(false);
    await clock.advance(500);
    expect(b.tryTake()).toBe(true);
    await clock.advance(60_000);
    expect([b.tryTake(), b.tryTake(), b.tryTake()]).toEqual([true, true, false]);
  });
});
