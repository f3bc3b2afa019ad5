import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Pod } from '../../../src/model/types.js';
import { compareForDeletion, podsToDelete } from '../../../src/controllers/replicaset/deletion-order.js';
import { Expectations } from '../../../src/controllers/replicaset/expectations.js';
import { slowStartBatch } from '../../../src/controllers/replicaset/slow-start.js';

const T0 = Date.parse('2026-01-01T00:00:00Z');
function pod(o: {
  name: string;
  node?: string;
  phase?: string;
  ready?: boolean;
  readyAt?: number;
  restarts?: number;
  created?: number;
}): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: o.name, creationTimestamp: o.created === undefined ? undefined : new Date(T0 + o.created).toISOString() },
    spec: { containers: [], nodeName: o.node },
    status: {
      phase: o.phase,
      conditions:
        o.ready === undefined
          ? []
          : [{ type: 'Ready', status: o.ready ? 'True' : 'False', lastTransitionTime: new Date(T0 + (o.readyAt ?? 0)).toISOString() }],
      containerStatuses: [{ name: 'c', restartCount: o.restarts ?? 0, ready: !!o.ready, image: 'x', imageID: '' }],
    },
  } as Pod;
}

describe('deletion order', () => {
  it.each([
    ['unassigned before assigned', pod({ name: 'a' }), pod({ name: 'b', node: 'n1' })],
    ['Pending before Running', pod({ name: 'a', node: 'n', phase: 'Pending' }), pod({ name: 'b', node: 'n', phase: 'Running' })],
    ['Pending before Unknown', pod({ name: 'a', node: 'n', phase: 'Pending' }), pod({ name: 'b', node: 'n', phase: 'Unknown' })],
    ['Unknown before Running', pod({ name: 'a', node: 'n', phase: 'Unknown' }), pod({ name: 'b', node: 'n', phase: 'Running' })],
    [
      'not ready before ready',
      pod({ name: 'a', node: 'n', phase: 'Running', ready: false }),
      pod({ name: 'b', node: 'n', phase: 'Running', ready: true }),
    ],
    [
      'ready for less time first',
      pod({ name: 'a', node: 'n', phase: 'Running', ready: true, readyAt: 5000 }),
      pod({ name: 'b', node: 'n', phase: 'Running', ready: true, readyAt: 1000 }),
    ],
    [
      'more restarts first',
      pod({ name: 'a', node: 'n', phase: 'Running', restarts: 3 }),
      pod({ name: 'b', node: 'n', phase: 'Running', restarts: 1 }),
    ],
    ['newer first', pod({ name: 'a', node: 'n', created: 2000 }), pod({ name: 'b', node: 'n', created: 1000 })],
    ['no creation time first', pod({ name: 'a', node: 'n' }), pod({ name: 'b', node: 'n', created: 1000 })],
  ])('%s', (_why, first, second) => {
    expect(compareForDeletion(first, second)).toBeLessThan(0);
    expect(compareForDeletion(second, first)).toBeGreaterThan(0);
  });

  it('deletes from doubled-up nodes first', () => {
    const ps = [
      pod({ name: 'a', node: 'n1', created: 5 }),
      pod({ name: 'b', node: 'n2', created: 1 }),
      pod({ name: 'c', node: 'n2', created: 2 }),
    ];
    expect(podsToDelete(ps, 1).map((p) => p.metadata.name)).toEqual(['c']);
  });

  let seq = 0;
  const podArb = fc
    .record({
      node: fc.constantFrom(undefined, 'n1', 'n2'),
      phase: fc.constantFrom('Pending', 'Running', 'Unknown'),
      ready: fc.option(fc.boolean(), { nil: undefined }),
      readyAt: fc.integer({ min: 0, max: 5 }),
      restarts: fc.integer({ min: 0, max: 3 }),
      created: fc.option(fc.integer({ min: 0, max: 5 }), { nil: undefined }),
    })
    .map((r) => pod({ name: `p${seq++}`, ...r }));

  it('is a consistent order (antisymmetric and transitive)', () => {
    fc.assert(
      fc.property(fc.array(podArb, { minLength: 3, maxLength: 3 }), ([a, b, c]) => {
        expect(Math.sign(compareForDeletion(a, b))).toBe(-Math.sign(compareForDeletion(b, a)) || 0);
        if (compareForDeletion(a, b) < 0 && compareForDeletion(b, c) < 0) expect(compareForDeletion(a, c)).toBeLessThan(0);
      }),
    );
  });

  it('never deletes an assigned pod while an unassigned one is kept, nor a ready one before a not-ready one of the same phase', () => {
    fc.assert(
      fc.property(fc.array(podArb, { maxLength: 12 }), fc.nat(12), (ps, n) => {
        const victims = podsToDelete(ps, n, []);
        expect(victims).toHaveLength(Math.min(n, ps.length));
        const kept = ps.filter((p) => !victims.includes(p));
        for (const v of victims) {
          for (const k of kept) {
            if (!k.spec?.nodeName) expect(v.spec?.nodeName ?? '').toBe('');
            if (!!v.spec?.nodeName === !!k.spec?.nodeName && v.status?.phase === k.status?.phase) {
              const vr = v.status?.conditions?.[0]?.status === 'True';
              const kr = k.status?.conditions?.[0]?.status === 'True';
              if (vr) expect(kr).toBe(true);
            }
          }
        }
      }),
    );
  });
});

describe('expectations', () => {
  it('blocks until every expected creation and deletion is observed, or the TTL passes', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10 }), fc.array(fc.string({ minLength: 1, maxLength: 3 }), { maxLength: 5 }), (adds, dels) => {
        const e = new Expectations(1000);
        const names = [...new Set(dels)];
        e.expectCreations('k', adds, 0);
        e.expectDeletions('k', names, 0);
        for (let i = 0; i < adds; i++) {
          expect(e.satisfied('k', 10)).toBe(false);
          e.creationObserved('k');
        }
        for (const n of names) {
          expect(e.satisfied('k', 10)).toBe(false);
          e.deletionObserved('k', n);
        }
        expect(e.satisfied('k', 10)).toBe(true);
        e.expectCreations('k', 1, 20);
        expect(e.satisfied('k', 1020)).toBe(false);
        expect(e.satisfied('k', 1021)).toBe(true);
      }),
    );
  });

  it('lowers creations that failed', () => {
    const e = new Expectations();
    e.expectCreations('k', 4, 0);
    e.creationObserved('k');
    e.lowerCreations('k', 3);
    expect(e.satisfied('k', 1)).toBe(true);
    expect(e.satisfied('other', 1)).toBe(true);
  });
});

describe('slowStartBatch', () => {
  it('runs batches of 1, 2, 4 and stops at the first failing batch', async () => {
    const calls: number[] = [];
    const res = await slowStartBatch(10, 1, async (i) => {
      calls.push(i);
      if (i === 4) throw new Error('boom');
    });
    expect(calls.sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(res).toMatchObject({ successes: 6, skipped: 3 });
    expect(await slowStartBatch(7, 1, async () => undefined)).toEqual({ successes: 7, skipped: 0 });
  });
});
