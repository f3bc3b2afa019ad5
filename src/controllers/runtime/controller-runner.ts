/**
 * The worker loop of one controller (controller-runtime's internal controller): wires informer
 * events to its work queue and runs reconciles on a bounded number of workers.
 */
import PQueue from 'p-queue';
import type { KubeObject } from '../../model/types.js';
import type { Clock } from '../../clock/types.js';
import type { Informer, InformerHandler } from '../../client/informer.js';
import { WorkQueue } from './work-queue.js';
import type { RateLimiterOptions } from './rate-limiter.js';
import { isTerminalError } from './terminal-error.js';
import type { CacheReader, Controller, ControllerSetup, KindRef, ObservedChange, ReconcileContext, ReconcileRequest } from './types.js';

/** Group of an apiVersion: `apps/v1` -> `apps`, `v1` -> ''. */
function groupOf(apiVersion: string): string {
  const i = apiVersion.indexOf('/');
  return i < 0 ? '' : apiVersion.slice(0, i);
}

/** The requests of an object's controlling owners of kind `owner`. */
function controllerOwnerRequests(obj: KubeObject, owner: KindRef): ReconcileRequest[] {
  const group = groupOf(owner.apiVersion);
  return (obj.metadata.ownerReferences ?? [])
    .filter((r) => r.controller === true && r.kind === owner.kind && groupOf(r.apiVersion) === group)
    .map((r) => ({ namespace: obj.metadata.namespace || undefined, name: r.name }));
}

function requestKey(r: ReconcileRequest): string {
  return r.namespace ? `${r.namespace}/${r.name}` : r.name;
}

/** What the runner needs from its manager. */
export interface RunnerHost {
  /** The shared informer of a kind, started and synced. */
  informer<T extends KubeObject>(ref: KindRef<T>): Promise<Informer<T>>;
  /** True when the API serves the kind now. */
  isServed(ref: KindRef): Promise<boolean>;
  /** Resolves once the API serves the kind (rejects when `signal` aborts). */
  waitForKind(ref: KindRef, signal: AbortSignal): Promise<void>;
  cache: CacheReader;
  /** The context of this controller's reconciles. */
  context: ReconcileContext;
}

/** Runs one controller. */
export class ControllerRunner<TReq extends ReconcileRequest = ReconcileRequest> {
  readonly queue: WorkQueue<TReq>;
  private readonly workers: PQueue;
  private readonly removers: (() => void)[] = [];
  private running = 0;
  private stopped = false;
  private loop: Promise<void> | undefined;
  private waiting: Promise<void> | undefined;
  private pendingMaps = 0;

  constructor(
    readonly controller: Controller<TReq>,
    private readonly host: RunnerHost,
    clock: Clock,
    rateLimiter: RateLimiterOptions | undefined,
    concurrency: number,
    private readonly signal: AbortSignal,
  ) {
    this.queue = new WorkQueue<TReq>(clock, { ...rateLimiter, keyOf: requestKey });
    this.workers = new PQueue({ concurrency });
  }

  /** The kinds this controller's sources name. */
  private kinds(): KindRef[] {
    const c = this.controller;
    return [...(c.for ? [c.for] : []), ...(c.owns ?? []), ...(c.watches ?? [])];
  }

  /**
   * Starts the informers this controller needs, wires their events, and starts the workers.
   * When a kind is not served yet (a CRD not applied yet), resolves at once and starts once
   * every kind is served.
   */
  async start(): Promise<void> {
    if (this.loop || this.waiting || this.stopped) return;
    const served = await Promise.all(this.kinds().map((k) => this.host.isServed(k)));
    const missing = this.kinds().filter((_, i) => !served[i]);
    if (missing.length === 0) return this.run();
    this.host.context.log.info({ kinds: missing.map((k) => `${k.apiVersion}/${k.kind}`) }, 'waiting for kinds to be served');
    this.waiting = Promise.all(missing.map((k) => this.host.waitForKind(k, this.signal)))
      .then(() => (this.stopped ? undefined : this.run()))
      .catch((err: unknown) => {
        if (!this.signal.aborted) this.host.context.log.error({ err: String(err) }, 'controller failed to start');
      });
  }

  private async run(): Promise<void> {
    const c = this.controller;
    if (c.for) {
      const forInf = await this.host.informer(c.for);
      const self = (o: KubeObject): void =>
        this.queue.add({ namespace: o.metadata.namespace || undefined, name: o.metadata.name ?? '' } as TReq);
      this.wire(forInf, { onAdd: self, onUpdate: (_o, n) => self(n), onDelete: self });
    }
    for (const owned of c.owns ?? []) {
      const inf = await this.host.informer(owned);
      const forRef = c.for;
      const enqueueOwner = (o: KubeObject): void => {
        if (!forRef) return;
        for (const r of controllerOwnerRequests(o, forRef)) this.queue.add(r as TReq);
      };
      this.wire(inf, {
        onAdd: enqueueOwner,
        onUpdate: (o, n) => {
          enqueueOwner(n);
          if (o.metadata.ownerReferences !== n.metadata.ownerReferences) enqueueOwner(o);
        },
        onDelete: enqueueOwner,
      });
    }
    for (const w of c.watches ?? []) {
      const inf = await this.host.informer(w);
      const failed = (err: unknown): void => this.host.context.log.error({ err: String(err) }, 'watch map failed');
      const enqueue = (reqs: TReq[]): void => {
        for (const r of reqs) this.queue.add(r);
      };
      // A map that answers at once enqueues at once; only an async one costs a promise (every
      // watched event of every controller passes here: thousands per second at scale).
      const mapped = (o: KubeObject, change: ObservedChange): void => {
        let reqs: TReq[] | Promise<TReq[]>;
        try {
          reqs = w.map(o, this.host.cache, change);
        } catch (err) {
          failed(err);
          return;
        }
        if (Array.isArray(reqs)) return enqueue(reqs);
        this.pendingMaps++;
        Promise.resolve(reqs).then(
          (r) => {
            this.pendingMaps--;
            enqueue(r);
          },
          (err: unknown) => {
            this.pendingMaps--;
            failed(err);
          },
        );
      };
      this.wire(inf, {
        onAdd: (o) => mapped(o, 'ADDED'),
        onUpdate: (o, n) => {
          mapped(n, 'MODIFIED');
          if (o.metadata.labels !== n.metadata.labels || o.metadata.ownerReferences !== n.metadata.ownerReferences) mapped(o, 'MODIFIED');
        },
        onDelete: (o) => mapped(o, 'DELETED'),
      });
    }
    if (c.setup) await c.setup(this.setupHandle());
    if (this.stopped) return;
    this.loop = this.dispatch();
  }

  private setupHandle(): ControllerSetup<TReq> {
    return {
      ctx: this.host.context,
      enqueue: (req) => this.queue.add(req),
      informer: (ref) => this.host.informer(ref),
      watch: async (ref, handler) => {
        const inf = await this.host.informer(ref);
        if (this.stopped) return () => undefined;
        const remove = inf.addHandler(handler);
        this.removers.push(remove);
        return remove;
      },
    };
  }

  /** Stops taking work and waits for running reconciles. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const r of this.removers.splice(0)) r();
    this.queue.shutDown();
    await this.waiting;
    await this.loop;
    await this.workers.onIdle();
  }

  /** True when nothing is queued, running or being mapped. */
  isIdle(): boolean {
    return this.queue.len() === 0 && this.running === 0 && this.pendingMaps === 0 && this.queue.processingCount() === 0;
  }

  private wire<T extends KubeObject>(inf: Informer<T>, handler: InformerHandler<T>): void {
    this.removers.push(inf.addHandler(handler));
  }

  private async dispatch(): Promise<void> {
    for (;;) {
      if (this.queue.len() === 0 && !this.queue.isShuttingDown()) {
        // Idle: wait for work, then let the rest of the burst that woke us (watch events are
        // delivered in microtasks) reach the queue before taking, so events for one object
        // coalesce into one reconcile, as they do in client-go while its workers are busy.
        await this.queue.whenReady();
        await new Promise<void>((r) => setImmediate(r));
      }
      const req = await this.queue.get();
      if (req === undefined || this.stopped) {
        if (req !== undefined) this.queue.done(req);
        return;
      }
      this.running++;
      void this.workers.add(() => this.process(req));
      await this.workers.onSizeLessThan(1);
    }
  }

  private async process(req: TReq): Promise<void> {
    const c = this.controller;
    const ctx = this.host.context;
    try {
      const result = await c.reconcile(req, ctx);
      this.queue.forget(req);
      const after = result?.requeueAfterMs;
      if (after !== undefined && after >= 0) this.queue.addAfter(req, after);
    } catch (err) {
      if (isTerminalError(err)) {
        this.queue.forget(req);
        ctx.log.error({ request: req, err: String(err) }, 'reconcile failed terminally');
        const obj = c.for ? await this.host.cache.get(c.for, req.namespace, req.name).catch(() => undefined) : undefined;
        if (obj) await ctx.events.record(obj, 'Warning', 'ReconcileError', err.message, c.name).catch(() => undefined);
      } else {
        ctx.log.warn({ request: req, err: String(err) }, 'reconcile failed; retrying with back-off');
        this.queue.addRateLimited(req);
      }
    } finally {
      this.queue.done(req);
      this.running--;
    }
  }
}
