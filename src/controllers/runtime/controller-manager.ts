/**
 * The controller manager: shares informers between controllers and runs each controller's
 * work queue and workers (controller-runtime's `Manager`).
 */
import type { ApiContext } from '../../client/types.js';
import type { KubeObject } from '../../model/types.js';
import { TugboatError, fieldError } from '../../model/errors.js';
import { silentLogger } from '../../client/logger.js';
import { Informer } from '../../client/informer.js';
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
 * {@link register} (before or after {@link start}); names must be unique.
 */
export class ControllerManager {
  private readonly informers = new Map<string, Promise<Informer>>();
  private readonly runners = new Map<string, ControllerRunner<any>>();
  private readonly contexts = new Map<string, ReconcileContext>();
  private readonly workers: number;
  private readonly log: Logger;
  private started = false;
  /** Reads the informer caches (shared by every controller of this manager). */
  readonly cache: CacheReader;

  constructor(private readonly ctx: ApiContext, private readonly options: ControllerManagerOptions = {}) {
    this.workers = options.workers ?? 4;
    this.log = options.logger ?? silentLogger;
    this.cache = {
      get: async <T extends KubeObject>(apiVersion: string, kind: string, ns: string | undefined, name: string) =>
        (await this.informer({ apiVersion, kind })).get(ns || undefined, name) as T | undefined,
      list: async <T extends KubeObject>(apiVersion: string, kind: string, opts?: CacheListOptions) =>
        (await this.informer({ apiVersion, kind })).list(opts) as T[],
      ownedBy: async <T extends KubeObject>(apiVersion: string, kind: string, uid: string) =>
        (await this.informer({ apiVersion, kind })).ownedBy(uid) as T[],
    };
  }

  /**
   * Adds a controller. Throws a TugboatError when the name is taken or the controller is
   * malformed (synchronously). After {@link start}, the controller starts at once; the returned
   * promise resolves when it runs.
   */
  register<TReq extends ReconcileRequest>(controller: Controller<TReq>): Promise<void> {
    const causes = [];
    if (!controller?.name) causes.push(fieldError('name', 'Required value'));
    if (!controller?.for?.apiVersion) causes.push(fieldError('for.apiVersion', 'Required value'));
    if (!controller?.for?.kind) causes.push(fieldError('for.kind', 'Required value'));
    if (typeof controller?.reconcile !== 'function') causes.push(fieldError('reconcile', 'must be a function'));
    if (causes.length) throw TugboatError.invalid({ kind: 'Controller' }, controller?.name ?? '', causes);
    if (this.runners.has(controller.name)) throw TugboatError.alreadyExists({ kind: 'Controller' }, controller.name);
    const runner = new ControllerRunner<TReq>(
      controller,
      { informer: (ref) => this.informer(ref), cache: this.cache, context: (name) => this.contextFor(name) },
      this.ctx.clock,
      this.options.rateLimiter,
      this.workers,
    );
    this.runners.set(controller.name, runner);
    return this.started ? runner.start() : Promise.resolve();
  }

  /** Starts every registered controller (and the informers they need). */
  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    await Promise.all([...this.runners.values()].map((r) => r.start()));
  }

  /** Stops the controllers, then the informers. */
  async stop(): Promise<void> {
    this.started = false;
    await Promise.all([...this.runners.values()].map((r) => r.stop()));
    const infs = await Promise.all(this.informers.values());
    await Promise.all(infs.map((i) => i.stop()));
    this.informers.clear();
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

  /** The shared informer of a kind, started on first use. */
  informer(ref: KindRef): Promise<Informer> {
    const key = `${ref.apiVersion}/${ref.kind}`;
    let inf = this.informers.get(key);
    if (!inf) {
      const i = new Informer(this.ctx, ref.apiVersion, ref.kind, this.log);
      inf = i.start().then(() => i);
      inf.catch(() => this.informers.delete(key));
      this.informers.set(key, inf);
    }
    return inf;
  }

  private contextFor(name: string): ReconcileContext {
    let c = this.contexts.get(name);
    if (!c) {
      // Everything of the ApiContext (whatever members it grows), plus the cache and a logger.
      c = Object.create(this.ctx, {
        cache: { value: this.cache, enumerable: true },
        log: { value: childLogger(this.log, { controller: name }), enumerable: true },
      }) as ReconcileContext;
      this.contexts.set(name, c);
    }
    return c!;
  }
}
