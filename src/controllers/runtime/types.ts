/**
 * The controller contract, modelled on controller-runtime's `reconcile.Reconciler`: one async
 * `reconcile(request, ctx)` per controller, driven by informers and a rate-limited work queue.
 */
import type { ApiContext } from '../../client/types.js';
import type { KubeObject, LabelSelector } from '../../model/types.js';
import type { Selector } from '../../model/selector.js';
import type { Logger } from '../../client/logger.js';
import type { KindRef } from '../../client/kinds.js';
import type { Informer, InformerHandler } from '../../client/informer.js';

export type { Logger, KindRef };

/** Which object a reconcile is about: its namespace (absent for cluster-scoped kinds) and name. */
export interface ReconcileRequest {
  namespace?: string;
  name: string;
}

/**
 * What a reconcile asks of the runtime when it succeeds. `requeueAfterMs` asks for another
 * reconcile of the same request after that long (on the context's clock); absent means done
 * until the next change.
 */
export interface ReconcileResult {
  requeueAfterMs?: number;
}

/** Filters of {@link CacheReader.list}. */
export interface CacheListOptions {
  /** Only objects of this namespace; absent (or '') means all namespaces. */
  namespace?: string;
  /** A matchLabels/matchExpressions selector or a parsed {@link Selector}. */
  labelSelector?: LabelSelector | Selector;
}

/**
 * CacheReader knows how to read objects from the informers' caches: what the controller has
 * observed, which may lag the store. Reads of a kind no informer serves yet start one (and
 * wait for its first list); reads of a kind the API does not serve reject.
 * Name the kind by a typed reference (`cache.list(kinds.Pod)` is a `Pod[]`) or by apiVersion and kind.
 */
export interface CacheReader {
  /** The cached object, or undefined. Pass '' or undefined as namespace for cluster-scoped kinds. */
  get<T extends KubeObject>(ref: KindRef<T>, namespace: string | undefined, name: string): Promise<T | undefined>;
  /** The cached object, or undefined. Pass '' or undefined as namespace for cluster-scoped kinds. */
  get<T extends KubeObject = KubeObject>(
    apiVersion: string,
    kind: string,
    namespace: string | undefined,
    name: string,
  ): Promise<T | undefined>;
  /** The cached objects of a kind, filtered by namespace and labels. */
  list<T extends KubeObject>(ref: KindRef<T>, options?: CacheListOptions): Promise<T[]>;
  /** The cached objects of a kind, filtered by namespace and labels. */
  list<T extends KubeObject = KubeObject>(apiVersion: string, kind: string, options?: CacheListOptions): Promise<T[]>;
  /** The cached objects of a kind that name `ownerUid` in their ownerReferences. */
  ownedBy<T extends KubeObject>(ref: KindRef<T>, ownerUid: string): Promise<T[]>;
  /** The cached objects of a kind that name `ownerUid` in their ownerReferences. */
  ownedBy<T extends KubeObject = KubeObject>(apiVersion: string, kind: string, ownerUid: string): Promise<T[]>;
}

/**
 * What a reconcile is handed: the {@link ApiContext} (clients, clock, events) plus the
 * informer caches, a logger bound to the controller and an abort signal.
 */
export interface ReconcileContext extends ApiContext {
  readonly cache: CacheReader;
  readonly log: Logger;
  /**
   * Aborted when the manager stops or the controller is removed: pass it to long waits and
   * watches a reconcile makes, so they end with it.
   */
  readonly signal: AbortSignal;
}

/**
 * What a controller's {@link Controller.setup} is handed to wire sources of its own, beyond
 * `for`, `owns` and `watches` (controller-runtime's `Controller.Watch`): handlers on any kind's
 * shared informer, added at any time, that enqueue requests. Used by controllers whose kinds
 * are known only at run time (the garbage collector and the namespace controller act on every
 * kind discovery lists).
 */
export interface ControllerSetup<TReq extends ReconcileRequest = ReconcileRequest> {
  /**
   * Adds handlers to a kind's shared informer, started and synced first (cached objects are
   * replayed to `onAdd`). Returns the remover; every handler is removed when the controller stops.
   */
  watch<T extends KubeObject>(ref: KindRef<T>, handler: InformerHandler<T>): Promise<() => void>;
  /** The shared informer of a kind, started and synced (read its cache and indexes). */
  informer<T extends KubeObject>(ref: KindRef<T>): Promise<Informer<T>>;
  /** Adds a request to the controller's work queue. */
  enqueue(request: TReq): void;
  /** The context reconciles are handed (clients, discovery, cache, log, signal). */
  readonly ctx: ReconcileContext;
}

/** What happened to an object seen by a watch. */
export type ObservedChange = 'ADDED' | 'MODIFIED' | 'DELETED';

/**
 * A secondary watch: events on `kind` objects enqueue the requests `map` returns. `map` is
 * called with the object (the new one for updates; for updates that change labels or owners,
 * the old one too), the cache, and what happened.
 */
export interface WatchSource<TReq = ReconcileRequest> extends KindRef {
  /** The requests an event on this kind enqueues. */
  map(obj: KubeObject, cache: CacheReader, change: ObservedChange): TReq[] | Promise<TReq[]>;
}

/**
 * A controller: makes the world match the objects of its `for` kind.
 *
 * Contract of `reconcile`:
 * - it is level-triggered: it reads the current state (from `ctx.cache` or clients) and acts on
 *   it, never on the event that woke it (there may have been several, or none);
 * - it is idempotent: running it twice in a row has the effect of running it once;
 * - the runtime never runs two reconciles of the same request at once;
 * - throwing means "retry": the request is requeued with per-item exponential back-off;
 * - throwing {@link terminalError}(err) means "do not retry": logged and recorded as a
 *   Warning Event on the object;
 * - returning `{ requeueAfterMs }` means "look again after that long" (a delayed retry).
 */
export interface Controller<TReq extends ReconcileRequest = ReconcileRequest> {
  /** Unique among the controllers of a manager. */
  name: string;
  /** The primary kind: its events enqueue the object itself. Required unless {@link setup} wires the sources. */
  for?: KindRef;
  /** Child kinds: their events enqueue the controlling owner of the `for` kind. */
  owns?: KindRef[];
  /** Other kinds, mapped to requests. */
  watches?: WatchSource<TReq>[];
  /**
   * Wires sources of the controller's own once its `for`, `owns` and `watches` kinds are served
   * and their informers synced; called once per start. Optional.
   */
  setup?(setup: ControllerSetup<TReq>): void | Promise<void>;
  /**
   * Brings the world to the object's desired state. Level-triggered and idempotent: it may run
   * any number of times for the same state. Throwing retries with back-off (a `terminalError`
   * does not retry); `{ requeueAfterMs }` asks for another run later.
   */
  reconcile(request: TReq, ctx: ReconcileContext): Promise<ReconcileResult | void>;
}
