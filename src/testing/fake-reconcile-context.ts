/**
 * A reconcile context over a bare store, for unit tests of a controller's `reconcile` (as
 * controller-runtime's `client/fake`): the real API server code (defaulting, validation,
 * admission, CRDs, events) over a MemoryStore, seeded with objects, with no controller,
 * scheduler, garbage collector or node agent running. Its cache reads the API directly, so a
 * reconcile sees its own writes at once.
 */
import type { KubeObject } from '../model/types.js';
import type { Clock } from '../clock/types.js';
import { FakeClock } from '../clock/fake-clock.js';
import type { ObjectStore } from '../store/types.js';
import { MemoryStore } from '../store/memory-store.js';
import { applyOrder, decodeManifests, type ManifestInput } from '../api/manifest.js';
import { ApiServer } from '../cluster/api-server.js';
import type { ClusterEventLog } from '../cluster/api-server.js';
import { parseSelector } from '../model/selector.js';
import { splitKindArgs } from '../client/kinds.js';
import type { CacheListOptions } from '../controllers/runtime/types.js';
import { silentLogger, type Logger } from '../client/logger.js';
import type { CacheReader, ReconcileContext } from '../controllers/runtime/types.js';

/** Options of {@link fakeReconcileContext}. */
export interface FakeReconcileContextOptions {
  /**
   * Objects to start with (YAML text, an object, or a list of objects and YAML texts), created through the API in
   * dependency order as `cluster.apply` orders them (namespaces and CRDs first); a `status`
   * given is written too.
   */
  objects?: ManifestInput | readonly (string | KubeObject)[];
  /** @default a new FakeClock at 2026-01-01T00:00:00Z */
  clock?: Clock;
  /** @default a new MemoryStore on the clock (closed by `close()`) */
  store?: ObjectStore;
  /** Where `ctx.log` goes. @default silent */
  logger?: Logger;
}

/** A {@link ReconcileContext} with the store and the event log behind it. `await using` closes it. */
export interface FakeReconcileContext extends ReconcileContext, AsyncDisposable {
  /** The store the context writes to (inspect it, or seed more). */
  readonly store: ObjectStore;
  /** The Events reconciles recorded: `await ctx.recorded.list('default')`. */
  readonly recorded: ClusterEventLog;
  /** Stops following CRDs, and closes the store when this context made it. */
  close(): Promise<void>;
}

/**
 * Builds a reconcile context over a fresh API and store, seeded with `objects`.
 *
 * @example
 * await using ctx = await fakeReconcileContext({ objects: [website] });
 * await websiteController.reconcile({ namespace: 'default', name: 'blog' }, ctx);
 * expect(await ctx.client('apps/v1', 'Deployment').find('blog')).toBeDefined();
 */
export async function fakeReconcileContext(options: FakeReconcileContextOptions = {}): Promise<FakeReconcileContext> {
  const clock = options.clock ?? new FakeClock(new Date('2026-01-01T00:00:00Z'));
  const store = options.store ?? new MemoryStore({ clock });
  const server = new ApiServer({ store, clock });
  await server.boot();
  const inputs = Array.isArray(options.objects) ? options.objects : [options.objects ?? []];
  const seeds = inputs
    .flatMap((input: ManifestInput) => decodeManifests(input))
    .map((obj, index) => ({ obj, index }))
    .sort((a, b) => applyOrder(a.obj) - applyOrder(b.obj) || a.index - b.index);
  for (const { obj } of seeds) {
    const client = server.client(obj.apiVersion, obj.kind, obj.metadata.namespace);
    const created = await client.create(obj);
    if (obj.status !== undefined) await client.updateStatus({ ...created, status: obj.status });
  }
  const all = async <T extends KubeObject>(apiVersion: string, kind: string): Promise<T[]> =>
    (await server.client<T>(apiVersion, kind, '').list()).items;
  // Each read names the kind by a KindRef or by apiVersion and kind (splitKindArgs takes either).
  const cache = {
    get: async (...args: unknown[]) => {
      const { ref, rest } = splitKindArgs(args);
      const [namespace, name] = rest as [string | undefined, string];
      return (await all(ref.apiVersion, ref.kind)).find(
        (o) => o.metadata.name === name && (o.metadata.namespace ?? '') === (namespace ?? ''),
      );
    },
    list: async (...args: unknown[]) => {
      const { ref, rest } = splitKindArgs(args);
      const listOptions = (rest[0] ?? {}) as CacheListOptions;
      const selector = listOptions.labelSelector ? parseSelector(listOptions.labelSelector) : undefined;
      return (await all(ref.apiVersion, ref.kind)).filter(
        (o) =>
          (!listOptions.namespace || o.metadata.namespace === listOptions.namespace) && (!selector || selector.matches(o.metadata.labels)),
      );
    },
    ownedBy: async (...args: unknown[]) => {
      const { ref, rest } = splitKindArgs(args);
      return (await all(ref.apiVersion, ref.kind)).filter((o) => o.metadata.ownerReferences?.some((r) => r.uid === rest[0]));
    },
  } as unknown as CacheReader;
  const abort = new AbortController();
  const close = async (): Promise<void> => {
    abort.abort();
    await server.stop();
    if (!options.store) await store.close();
  };
  // Everything of the real ApiContext (whatever members it grows), plus the cache and a logger.
  return Object.create(server.context, {
    cache: { value: cache, enumerable: true },
    log: { value: options.logger ?? silentLogger, enumerable: true },
    signal: { value: abort.signal, enumerable: true },
    store: { value: store, enumerable: true },
    recorded: { value: server.events, enumerable: true },
    close: { value: close },
    [Symbol.asyncDispose]: { value: close },
  }) as FakeReconcileContext;
}
