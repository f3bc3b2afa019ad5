import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { MemoryStore } from '../../../src/store/memory-store.js';
import { TugboatError } from '../../../src/model/errors.js';
import type { KubeObject, WatchEvent } from '../../../src/model/types.js';
import { parseSelector } from '../../../src/model/selector.js';
import { PODS, take } from '../../../src/testing/conformance/object-store-helpers.js';

const NAMES = ['a', 'b', 'c'];

const pod = (name: string, labels: Record<string, string> = {}): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'default', labels },
  spec: { n: 0 },
});

const appIsWeb = parseSelector('app=web');

type Command =
  | { op: 'create'; name: string; app: string }
  | { op: 'update'; name: string; app: string; n: number }
  | { op: 'delete'; name: string };

const command: fc.Arbitrary<Command> = fc.oneof(
  fc.record({ op: fc.constant('create' as const), name: fc.constantFrom(...NAMES), app: fc.constantFrom('web', 'db') }),
  fc.record({
    op: fc.constant('update' as const),
    name: fc.constantFrom(...NAMES),
    app: fc.constantFrom('web', 'db'),
    n: fc.integer({ min: 0, max: 2 }),
  }),
  fc.record({ op: fc.constant('delete' as const), name: fc.constantFrom(...NAMES) }),
);

/** A committed change: what the store accepted, with the state before and after. */
interface Committed {
  type: 'ADDED' | 'MODIFIED' | 'DELETED';
  name: string;
  rv: string;
  before?: KubeObject;
  after?: KubeObject;
}

/** Runs commands against the store; returns the changes it committed (no-ops and failures excluded). */
async function apply(store: MemoryStore, commands: Command[]): Promise<Committed[]> {
  const out: Committed[] = [];
  for (const c of commands) {
    const key = { resource: PODS, namespace: 'default', name: c.name };
    const before = await store.get(key);
    try {
      if (c.op === 'create') {
        const after = await store.create(PODS, pod(c.name, { app: c.app }));
        out.push({ type: 'ADDED', name: c.name, rv: after.metadata.resourceVersion!, after });
      } else if (c.op === 'update') {
        if (!before) {
          await expect(store.update(PODS, pod(c.name, { app: c.app }))).rejects.toThrow(TugboatError);
          continue;
        }
        const after = await store.update(PODS, { ...before, metadata: { ...before.metadata, labels: { app: c.app } }, spec: { n: c.n } });
        if (after.metadata.resourceVersion !== before.metadata.resourceVersion) {
          out.push({ type: 'MODIFIED', name: c.name, rv: after.metadata.resourceVersion!, before, after });
        } else {
          expect(after).toBe(before);
        }
      } else {
        await store.delete(key);
        out.push({ type: 'DELETED', name: c.name, rv: await store.currentResourceVersion(), before });
      }
    } catch (err) {
      if (!TugboatError.is(err, 'AlreadyExists') && !TugboatError.is(err, 'NotFound')) throw err;
    }
  }
  return out;
}

/** Asserts the watch has nothing more before `marker`'s ADDED. */
async function expectNothingBefore(store: MemoryStore, it: AsyncIterator<WatchEvent>, labels: Record<string, string>): Promise<void> {
  const marker = await store.create(PODS, pod('zz-marker', labels));
  const [next] = await take(it, 1);
  expect(`${next.type} ${next.object.metadata.name}`).toBe(`ADDED zz-marker`);
  expect(next.object.metadata.resourceVersion).toBe(marker.metadata.resourceVersion);
}

describe('MemoryStore properties', () => {
  it('loses no update under concurrent read-modify-write with retries on Conflict', async () => {
    let totalConflicts = 0;
    await fc.assert(
      fc.asyncProperty(fc.scheduler(), fc.integer({ min: 2, max: 6 }), fc.integer({ min: 1, max: 8 }), async (s, writers, perWriter) => {
        const store = new MemoryStore();
        const created = await store.create(PODS, { ...pod('counter'), spec: { count: 0 } });
        const get = s.scheduleFunction(store.get.bind(store));
        const update = s.scheduleFunction(store.update.bind(store));
        let successes = 0;
        let conflicts = 0;
        const writer = async (): Promise<void> => {
          for (let done = 0; done < perWriter; ) {
            const cur = (await get({ resource: PODS, namespace: 'default', name: 'counter' }))!;
            const count = (cur.spec as { count: number }).count;
            try {
              await update(PODS, { ...cur, spec: { count: count + 1 } });
              successes++;
              done++;
            } catch (err) {
              if (!TugboatError.is(err, 'Conflict')) throw err;
              conflicts++;
            }
          }
        };
        await s.waitFor(Promise.all(Array.from({ length: writers }, writer)));
        const final = (await store.get({ resource: PODS, namespace: 'default', name: 'counter' }))!;
        expect((final.spec as { count: number }).count).toBe(successes);
        expect(successes).toBe(writers * perWriter);
        expect(Number(final.metadata.resourceVersion) - Number(created.metadata.resourceVersion)).toBe(successes);
        totalConflicts += conflicts;
      }),
      { numRuns: 60 },
    );
    // The scheduler interleaved writers: some increments had to be retried.
    expect(totalConflicts).toBeGreaterThan(0);
  });

  it('replays, from any resourceVersion, every later change in order', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(command, { maxLength: 40 }), fc.array(command, { maxLength: 40 }), async (prefix, suffix) => {
        const store = new MemoryStore();
        await apply(store, prefix);
        const from = await store.currentResourceVersion();
        const committed = await apply(store, suffix);
        const it = store.watch({ resource: PODS }, { resourceVersion: from })[Symbol.asyncIterator]();
        const events = await take(it, committed.length);
        expect(events.map((e) => `${e.type} ${e.object.metadata.name} ${e.object.metadata.resourceVersion}`)).toEqual(
          committed.map((c) => `${c.type} ${c.name} ${c.rv}`),
        );
        const rvs = events.map((e) => Number(e.object.metadata.resourceVersion));
        rvs.forEach((rv, i) => expect(i === 0 ? rv > Number(from) : rv > rvs[i - 1]).toBe(true));
        await expectNothingBefore(store, it, {});
        await it.return?.();
      }),
      { numRuns: 150 },
    );
  });

  it('shows a label-selected watch the ADDED/DELETED transitions of objects entering and leaving the selection', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(command, { maxLength: 50 }), async (commands) => {
        const store = new MemoryStore();
        const it = store.watch({ resource: PODS }, { labelSelector: appIsWeb })[Symbol.asyncIterator]();
        const committed = await apply(store, commands);
        const web = (o?: KubeObject): boolean => o?.metadata.labels?.app === 'web';
        const expected: string[] = [];
        for (const c of committed) {
          const was = c.type !== 'ADDED' && web(c.before);
          const is = c.type !== 'DELETED' && web(c.after);
          const type = was && is ? 'MODIFIED' : is ? 'ADDED' : was ? 'DELETED' : undefined;
          if (type) expected.push(`${type} ${c.name} ${c.rv} app=${type === 'DELETED' ? 'web' : c.after!.metadata.labels!.app}`);
        }
        const events = await take(it, expected.length);
        expect(
          events.map(
            (e) => `${e.type} ${e.object.metadata.name} ${e.object.metadata.resourceVersion} app=${e.object.metadata.labels?.app}`,
          ),
        ).toEqual(expected);
        await expectNothingBefore(store, it, { app: 'web' });
        await it.return?.();
      }),
      { numRuns: 150 },
    );
  });
});
