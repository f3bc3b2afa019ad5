/**
 * The controller manager: runs each controller's work queue and workers over the shared
 * informers of a cluster (controller-runtime's `Manager`).
 */
import { setMaxListeners } from 'node:events';
import type { ApiContext } from '../../client/types.js';
import type { KubeObject } from '../../model/types.js';
import { TugboatError, fieldError } from '../../model/errors.js';
import { silentLogger } from '../../client/logger.js';
import type { Informer } from '../../client/informer.js';
import { InformerFactory } from '../../client/informer-factory.js';
import { splitKindArgs as refOf } from '../../client/kinds.js';
import { ControllerRunner } from './controller-runner.js';
import type { RateLimiterOptions } from './rate-limiter.js';
import type { CacheListOptions, CacheReader, Controller, KindRef, Logger, ReconcileContext, ReconcileRequest } from './types.js';

/** Options of {@link ControllerManager}. */
export interface ControllerManagerOptions {
  /** Concurrent reconciles per controller. @default 4 */
  workers?: number;
  /** Back-off and bucket of every controller's queue (client-go's defaults when absent). */
  rateLimiter?: RateLimiterOptions;
  /** Where controllers log. @default silent */
  logger?: Logger;
}

function childLogger(log: Logger, bindings: object): Logger {
  const l = log as Logger & { child?: (b: object) => Logger };
  return typeof l.child === 'function' ? l.child(bindings) : log;
}

/**
 * ControllerManager runs controllers against an {@link ApiContext}. Register controllers with
 * {@link register} (before or after {@link start}); names must be unique. Its informers come
 * from the {@link InformerFactory} it is given (the cluster's, shared with the scheduler and the
 * node agents), or from one of its own.
 */
export class ControllerManager {
  private readonly runners = new Map<string, ControllerRunner<any>>();
  private readonly aborts = new Map<string, AbortController>();
  private readonly workers: number;
  private readonly log: Logger;
  private readonly informers: InformerFactory;
  private readonly ownsInformers: boolean;
  private started = false;
  /** Reads the informer caches (shared by every controller of this manager). */
  readonly cache: CacheReader;

  /**
   * @param ctx - the API every controller reads and writes through
   * @param options - workers, rate limiter, logger
   * @param informers - the shared informer factory; without it the manager makes (and stops) its own
   */
  constructor(
    private readonly ctx: ApiContext,
    private readonly options: ControllerManagerOptions = {},
    informers?: InformerFactory,
  ) {
    this.workers = options.workers ?? 4;
    this.log = options.logger ?? silentLogger;
    this.ownsInformers = !informers;
    this.informers = informers ?? new InformerFactory(ctx, { logger: this.log });
    // A read of a synced informer answers without waiting on start() (every watch map and
    // reconcile reads here); the first read of a kind starts its informer.
    const read =
      <R>(fn: (inf: Informer<KubeObject>, rest: unknown[]) => R) =>
      (...args: unknown[]): Promise<R> => {
        try {
          const { ref, rest } = refOf(args);
          const inf = this.informers.synced(ref);
          return inf ? Promise.resolve(fn(inf, rest)) : this.informer(ref).then((i) => fn(i, rest));
        } catch (err) {
          return Promise.reject(err);
        }
      };
    const cache = {
      get: read((inf, rest) => inf.get((rest[0] as string | undefined) || undefined, rest[1] as string)),
      list: read((inf, rest) => inf.list(rest[0] as CacheListOptions | undefined)),
      ownedBy: read((inf, rest) => inf.ownedBy(rest[0] as string)),
    };
    this.cache = cache as unknown as CacheReader;
  }

  /**
   * Adds a controller. Throws a TugboatError when the name is taken or the controller is
   * malformed (synchronously). After {@link start}, the controller starts at once; the returned
   * promise resolves when it runs, or at once when one of its kinds is not served yet (a CRD's
   * kind before the CRD is applied): the controller then starts by itself once every kind is
   * served, as controller-runtime's do.
   */
  register<TReq extends ReconcileRequest>(controller: Controller<TReq>): Promise<void> {
    const causes = [];
    if (!controller?.name) causes.push(fieldError('name', 'Required value'));
    if (controller?.for || typeof controller?.setup !== 'function') {
      if (!controller?.for?.apiVersion) causes.push(fieldError('for.apiVersion', 'Required value'));
      if (!controller?.for?.kind) causes.push(fieldError('for.kind', 'Required value'));
    }
    if (typeof controller?.reconcile !== 'function') causes.push(fieldError('reconcile', 'must be a function'));
    if (causes.length) throw TugboatError.invalid({ kind: 'Controller' }, controller?.name ?? '', causes);
    if (this.runners.has(controller.name)) throw TugboatError.alreadyExists({ kind: 'Controller' }, controller.name);
    const abort = new AbortController();
    setMaxListeners(0, abort.signal);
    const context = this.makeContext(controller.name, abort.signal);
    const runner = new ControllerRunner<TReq>(
      controller,
      {
        informer: (ref) => this.informer(ref),
        isServed: (ref) => this.informers.isServed(ref),
        waitForKind: (ref, signal) => this.informers.waitForKind(ref, signal),
        cache: this.cache,
        context,
      },
      this.ctx.clock,
      this.options.rateLimiter,
      this.workers,
      abort.signal,
    );
    this.runners.set(controller.name, runner);
    this.aborts.set(controller.name, abort);
    if (!this.started) return Promise.resolve();
    // A controller that fails to start leaves nothing behind: its name is free again.
    return runner.start().catch(async (err: unknown) => {
      if (this.runners.get(controller.name) === runner) await this.remove(controller.name).catch(() => undefined);
      throw err;
    });
  }

  /**
   * Removes a controller: its reconcile context's signal aborts, it takes no more work and the
   * name is free again. Resolves when its running reconciles have returned.
   */
  async remove(name: string): Promise<void> {
    const runner = this.runners.get(name);
    if (!runner) throw TugboatError.notFound({ kind: 'Controller' }, name);
    this.runners.delete(name);
    this.aborts.get(name)?.abort();
    this.aborts.delete(name);
    await runner.stop();
  }

  /** Starts every registered controller (and the informers they need). */
  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    await Promise.all([...this.runners.values()].map((r) => r.start()));
  }

  /** Stops the controllers (their contexts' signals abort), then the informers when they are the manager's own. */
  async stop(): Promise<void> {
    this.started = false;
    for (const a of this.aborts.values()) a.abort();
    await Promise.all([...this.runners.values()].map((r) => r.stop()));
    if (this.ownsInformers) await this.informers.stop();
  }

  /** Names of the registered controllers. */
  names(): string[] {
    return [...this.runners.keys()];
  }

  /** True now when every controller's queue is empty and no reconcile runs (delayed requeues do not count). */
  isIdle(): boolean {
    for (const r of this.runners.values()) if (!r.isIdle()) return false;
    return true;
  }

  /**
   * Resolves when every controller's queue is empty and no reconcile runs, stably over a few
   * event-loop turns (so watch events in flight are delivered). Delayed requeues do not count.
   * Rejects after `maxTurns` turns (a guard for tests, not a timing assertion).
   */
  async waitForIdle(options: { stableTurns?: number; maxTurns?: number } = {}): Promise<void> {
    const stable = options.stableTurns ?? 5;
    const max = options.maxTurns ?? 200_000;
    let quiet = 0;
    for (let turn = 0; turn < max; turn++) {
      quiet = this.isIdle() ? quiet + 1 : 0;
      if (quiet >= stable) return;
      await new Promise((r) => setImmediate(r));
    }
    throw new Error('controllers did not become idle');
  }

  /** The shared informer of a kind, started (and synced) on first use. */
  informer<T extends KubeObject = KubeObject>(ref: KindRef<T>): Promise<Informer<T>> {
    return this.informers.start(ref);
  }

  private makeContext(name: string, signal: AbortSignal): ReconcileContext {
    // Everything of the ApiContext (whatever members it grows), plus the cache, a logger and the signal.
    return Object.create(this.ctx, {
      cache: { value: this.cache, enumerable: true },
      log: { value: childLogger(this.log, { controller: name }), enumerable: true },
      signal: { value: signal, enumerable: true },
    }) as ReconcileContext;
  }
}
