/**
 * The shared informer factory (client-go's SharedInformerFactory): exactly one {@link Informer}
 * per kind, made on first use and shared by every component it is handed to (controllers, the
 * scheduler, node agents, the garbage collector, the namespace controller). The composition root
 * makes one per cluster and passes it in.
 */
import { setMaxListeners } from 'node:events';
import type { KubeObject } from '../model/types.js';
import { apiVersionOf } from '../model/resource-type.js';
import type { ApiContext } from './types.js';
import { Informer, type InformerRetryPolicy } from './informer.js';
import { kindKey, kinds, type KindRef } from './kinds.js';
import { silentLogger, type Logger } from './logger.js';

/** Options of {@link InformerFactory}. */
export interface InformerFactoryOptions {
  /** Where informers log failed watches. @default silent */
  logger?: Logger;
  /** Back-off of failed watches, on the context's clock (one policy for every informer). */
  retry?: InformerRetryPolicy;
}

/** Turns of the event loop to look again after a CRD change, for a registrar that serves the kind a little later. */
const SETTLE_TURNS = 3;

/**
 * InformerFactory hands out one informer per kind over an {@link ApiContext}. Informers start on
 * {@link start} and stop all together on {@link stop}.
 */
export class InformerFactory {
  private readonly informers = new Map<string, Informer<KubeObject>>();
  private readonly kindWaiters = new Set<() => void>();
  private readonly abort = new AbortController();
  private watchingCrds = false;

  constructor(
    private readonly ctx: ApiContext,
    private readonly options: InformerFactoryOptions = {},
  ) {
    setMaxListeners(0, this.abort.signal);
  }

  /** The informer of a kind, the same one for every caller; not started (see {@link start}). */
  informer<T extends KubeObject>(ref: KindRef<T>): Informer<T> {
    const key = kindKey(ref);
    let inf = this.informers.get(key);
    if (!inf) {
      inf = new Informer<KubeObject>(this.ctx, ref, {
        logger: this.options.logger ?? silentLogger,
        retry: this.options.retry,
        factory: this,
      });
      this.informers.set(key, inf);
    }
    return inf as unknown as Informer<T>;
  }

  /**
   * The kind's informer when it has synced and the factory is running, else undefined: the
   * synchronous read path of caches (no promise per read once {@link start} has done its work).
   */
  synced<T extends KubeObject>(ref: KindRef<T>): Informer<T> | undefined {
    if (this.abort.signal.aborted) return undefined;
    const inf = this.informers.get(kindKey(ref));
    return inf?.hasSynced() ? (inf as unknown as Informer<T>) : undefined;
  }

  /**
   * The informer of a kind, started and synced (its first list cached). Rejects when that list
   * fails, e.g. because the kind is not served; a later call tries again.
   */
  async start<T extends KubeObject>(ref: KindRef<T>): Promise<Informer<T>> {
    if (this.abort.signal.aborted) throw new Error('the informer factory is stopped');
    const inf = this.informer(ref);
    await inf.start();
    return inf;
  }

  /** True when the API serves the kind now (by discovery). */
  async isServed(ref: KindRef<KubeObject>): Promise<boolean> {
    const types = await this.ctx.discover();
    return types.some((t) => t.kind === ref.kind && apiVersionOf(t) === ref.apiVersion);
  }

  /**
   * Resolves once the API serves the kind: at once when it does, else when a
   * CustomResourceDefinition change makes it served (by watching CRDs, not polling). Rejects
   * when `signal` aborts or the factory stops.
   */
  async waitForKind(ref: KindRef<KubeObject>, signal?: AbortSignal): Promise<void> {
    for (;;) {
      throwIfAborted(signal);
      throwIfAborted(this.abort.signal);
      // Subscribe before looking, so a change between the look and the wait is not missed.
      const changed = this.nextKindChange();
      if (await this.isServed(ref)) return;
      await this.watchCrds();
      await untilAborted(changed, [signal, this.abort.signal]);
      for (let i = 0; i < SETTLE_TURNS && !(await this.isServed(ref)); i++) await new Promise<void>((r) => setImmediate(r));
    }
  }

  /** Every informer made so far. */
  all(): Informer<KubeObject>[] {
    return [...this.informers.values()];
  }

  /** Stops every informer (their caches keep their last contents) and ends pending waits. */
  async stop(): Promise<void> {
    this.abort.abort();
    await Promise.all([...this.informers.values()].map((i) => i.stop()));
  }

  private nextKindChange(): Promise<void> {
    return new Promise<void>((resolve) => {
      const wake = (): void => {
        this.kindWaiters.delete(wake);
        resolve();
      };
      this.kindWaiters.add(wake);
    });
  }

  /** Starts the CRD informer whose every change wakes the waits for kinds. */
  private async watchCrds(): Promise<void> {
    const crds = this.informer(kinds.CustomResourceDefinition);
    if (!this.watchingCrds) {
      this.watchingCrds = true;
      const wake = (): void => {
        for (const w of [...this.kindWaiters]) w();
      };
      crds.addHandler({ onAdd: wake, onUpdate: wake, onDelete: wake });
    }
    await crds.start();
  }
}

function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw signal.reason ?? new Error('aborted');
}

/** Waits for `p`; rejects as soon as one of the signals aborts. */
function untilAborted(p: Promise<void>, signals: (AbortSignal | undefined)[]): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const live = signals.filter((s): s is AbortSignal => s !== undefined);
    const onAbort = (): void => {
      cleanup();
      reject(live.find((s) => s.aborted)?.reason ?? new Error('aborted'));
    };
    const cleanup = (): void => {
      for (const s of live) s.removeEventListener('abort', onAbort);
    };
    for (const s of live) {
      if (s.aborted) return onAbort();
      s.addEventListener('abort', onAbort, { once: true });
    }
    p.then(() => {
      cleanup();
      resolve();
    });
  });
}
