/**
 * The scheduler component: watches nodes and pods, queues pending pods that name this scheduler,
 * runs the framework's cycle for each, assumes the chosen node in its cache and binds in the
 * background; on failure it reports PodScheduled=False with kube-scheduler's message, records a
 * FailedScheduling Event, tries preemption and requeues with back-off.
 */
import PQueue from 'p-queue';
import type {
  KubeObject,
  Namespace,
  Node,
  PersistentVolume,
  PersistentVolumeClaim,
  Pod,
  PodDisruptionBudget,
  PriorityClass,
  StorageClass,
  core,
} from '../model/types.js';
import type { ApiContext } from '../client/types.js';
import type { Timer } from '../clock/types.js';
import { TugboatError } from '../model/errors.js';
import { jsonEqual } from '../model/json.js';
import type { AnyPlugin, FilterPlugin, PreFilterPlugin, PreScorePlugin, ScorePlugin } from './types.js';
import { NodeInfoCache } from './node-info-cache.js';
import { NominatedPods } from './nominated-pods.js';
import { SchedulingQueue, type QueuedPodInfo } from './queue.js';
import { PluginRegistry, defaultRegistry } from './registry.js';
import { volumeBindingPlugin } from './plugins/volume-binding.js';
import { scheduleOne, seededRandom } from './schedule-one.js';
import { findPreemption } from './preemption.js';
import { assumedPodInfo, podInfoOf, podKey } from './pod-info.js';
import { rfc3339 } from '../clock/time-format.js';
import { getCondition, setCondition } from '../model/conditions.js';
import { InformerFactory } from '../client/informer-factory.js';
import type { Informer } from '../client/informer.js';
import { kinds, type KindRef } from '../client/kinds.js';

/** Options of {@link Scheduler}. */
export interface SchedulerOptions {
  /** Pods whose spec.schedulerName is this name are scheduled. @default 'default-scheduler' */
  schedulerName?: string;
  /** Extra plugins, added after the built-in ones (names must be unique). */
  plugins?: { preFilter?: PreFilterPlugin[]; filter?: FilterPlugin[]; preScore?: PreScorePlugin[]; score?: ScorePlugin[] };
  /** Replaces the built-in plugin set entirely (`plugins` are still added to it). */
  registry?: PluginRegistry;
  /** Seed of the tie-breaking random choice between equally scored nodes. @default 1 */
  seed?: number;
  /** 0 = kube-scheduler's adaptive rule. @default 0 */
  percentageOfNodesToScore?: number;
  /** Binds running at once. @default 32 */
  bindConcurrency?: number;
  /** @default 1000 */
  initialBackoffMs?: number;
  /** @default 10000 */
  maxBackoffMs?: number;
  /** How long an unschedulable pod waits for a cluster event before it is retried anyway. @default 60000 */
  unschedulableTimeoutMs?: number;
  /** Preempt lower-priority pods for pods that fit nowhere. @default true */
  preemption?: boolean;
}

/** Flushes of the back-off and unschedulable pods happen on whole seconds of the clock. */
const FLUSH_GRANULARITY_MS = 1000;

const IGNORED_META = new Set(['resourceVersion', 'generation', 'managedFields']);

/** True when a pending pod changed beyond status (as kube-scheduler's isPodUpdated). */
function podUpdated(a: Pod, b: Pod): boolean {
  const strip = (p: Pod) => JSON.stringify([Object.entries(p.metadata).filter(([k]) => !IGNORED_META.has(k)), p.spec]);
  return strip(a) !== strip(b);
}

/** What of a node can change whether pods fit it. */
function nodeShape(n: Node): string {
  return JSON.stringify([n.metadata.labels, n.spec?.taints, n.spec?.unschedulable, n.status?.allocatable ?? n.status?.capacity]);
}

function isTerminal(p: Pod): boolean {
  return p.status?.phase === 'Succeeded' || p.status?.phase === 'Failed';
}

function withCondition(pod: Pod, cond: core.PodCondition, now: string): Pod {
  const conditions = setCondition(pod.status?.conditions, { ...cond, lastProbeTime: null as unknown as string }, { now });
  return { ...pod, status: { ...(pod.status ?? {}), conditions } };
}

/**
 * kube-scheduler for tugboat. Construct it with the cluster's ApiContext, `await start()`,
 * and `await stop()` at the end. It reads and writes only through the context's clients.
 */
export class Scheduler {
  /** The plugins this scheduler runs. */
  readonly registry: PluginRegistry;
  /** The incremental NodeInfo cache (read-only use outside the scheduler). @internal */
  readonly cache = new NodeInfoCache();
  /** The scheduling queue. @internal */
  readonly queue: SchedulingQueue;
  private readonly name: string;
  private readonly random: () => number;
  private readonly binds: PQueue;
  private readonly priorityClasses = new Map<string, number>();
  private defaultPriority: { name: string; value: number } | undefined;
  private readonly pending = new Map<string, Pod>();
  private readonly nominated = new NominatedPods();
  /** The one flush timer, armed only while some pod waits on time (back-off, unschedulable). */
  private flush: { at: number; timer: Timer } | undefined;
  private loop: Promise<void> | undefined;
  private readonly informers: InformerFactory;
  /** Pods whose preemption is under way (victims being marked and deleted). */
  private readonly preempting = new Set<string>();
  /** The PodDisruptionBudgets, read when choosing preemption victims. */
  private budgets: Informer<PodDisruptionBudget> | undefined;
  private claims: Informer<PersistentVolumeClaim> | undefined;
  private volumes: Informer<PersistentVolume> | undefined;
  private classes: Informer<StorageClass> | undefined;
  private readonly ownsInformers: boolean;
  private removers: (() => void)[] = [];
  private nextStart = 0;
  private running = false;
  private scheduled = 0;

  /**
   * @param ctx - the API the scheduler reads and writes through
   * @param options - scheduler name, plugins, back-off, preemption
   * @param informers - the shared informer factory (the cluster's); without it the scheduler makes (and stops) its own
   */
  constructor(
    private readonly ctx: ApiContext,
    private readonly options: SchedulerOptions = {},
    informers?: InformerFactory,
  ) {
    this.ownsInformers = !informers;
    this.informers = informers ?? new InformerFactory(ctx);
    this.name = options.schedulerName ?? 'default-scheduler';
    this.registry = options.registry ?? defaultRegistry();
    const extra = options.plugins ?? {};
    const seen = new Set<AnyPlugin>();
    for (const p of [
      ...(extra.preFilter ?? []),
      ...(extra.filter ?? []),
      ...(extra.preScore ?? []),
      ...(extra.score ?? []),
    ] as AnyPlugin[]) {
      if (seen.has(p)) continue;
      seen.add(p);
      this.registry.register(p);
    }
    // VolumeBinding reads claims, volumes and classes from the informers started in start().
    if (!this.registry.get('VolumeBinding'))
      this.registry.register(
        volumeBindingPlugin({
          claim: (ns, name) => this.claims?.get(ns, name),
          volume: (name) => this.volumes?.get(undefined, name),
          storageClass: (name) => this.classes?.get(undefined, name),
        }),
      );
    this.random = seededRandom(options.seed ?? 1);
    this.binds = new PQueue({ concurrency: options.bindConcurrency ?? 32 });
    this.queue = new SchedulingQueue(ctx.clock, {
      initialBackoffMs: options.initialBackoffMs,
      maxBackoffMs: options.maxBackoffMs,
      unschedulableTimeoutMs: options.unschedulableTimeoutMs,
      priorityOf: (pod) => this.priorityOf(pod),
      onWaiting: () => this.armFlush(),
    });
  }

  /** Pods bound since start. */
  get scheduledCount(): number {
    return this.scheduled;
  }

  /** Lists and watches nodes, pods, namespaces and PriorityClasses, then starts scheduling. */
  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    // The shared informers, synced; handlers are added in this order, so the priority classes,
    // namespaces and nodes are known (replayed) before the first pod is.
    await Promise.all([kinds.PriorityClass, kinds.Namespace, kinds.Node, kinds.Pod].map((k: KindRef) => this.informers.start(k)));
    // Preemption prefers victims whose PodDisruptionBudgets allow their disruption.
    if (this.options.preemption !== false) this.budgets = await this.informers.start(kinds.PodDisruptionBudget);
    if (!this.running) return;
    await this.watch(kinds.PriorityClass, (t, pc) => this.onPriorityClass(t, pc));
    await this.watch(kinds.Namespace, (t, ns) =>
      t === 'DELETED' ? this.cache.removeNamespace(ns.metadata.name!) : this.cache.setNamespace(ns.metadata.name!, ns.metadata.labels),
    );
    await this.watch(kinds.Node, (t, n, old) => this.onNode(t, n, old));
    // A claim, volume or class that appears or binds may make a waiting pod schedulable.
    [this.claims, this.volumes, this.classes] = await Promise.all([
      this.informers.start(kinds.PersistentVolumeClaim),
      this.informers.start(kinds.PersistentVolume),
      this.informers.start(kinds.StorageClass),
    ]);
    const retry = (t: string) => {
      if (t !== 'DELETED') this.queue.moveAllToActiveOrBackoff();
    };
    await this.watch(kinds.PersistentVolumeClaim, retry);
    await this.watch(kinds.PersistentVolume, retry);
    await this.watch(kinds.StorageClass, retry);
    await this.watch(kinds.Pod, (t, p, old) => this.onPod(t, p, old));
    this.armFlush();
    this.loop = this.run();
  }

  /** Stops scheduling and watching; waits for binds in progress. */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    this.queue.close();
    this.flush?.timer.cancel();
    this.flush = undefined;
    for (const r of this.removers.splice(0)) r();
    await this.loop;
    await this.binds.onIdle();
    if (this.ownsInformers) await this.informers.stop();
  }

  /** Adds a handler of every change (old is the previous version known) to a kind's shared informer. */
  private async watch<T extends KubeObject>(
    ref: KindRef<T>,
    handle: (type: 'ADDED' | 'MODIFIED' | 'DELETED', obj: T, old: T | undefined) => void,
  ): Promise<void> {
    const inf = await this.informers.start(ref);
    this.removers.push(
      inf.addHandler({
        onAdd: (o) => handle('ADDED', o, undefined),
        onUpdate: (old, o) => handle('MODIFIED', o, old),
        onDelete: (o) => handle('DELETED', o, o),
      }),
    );
  }

  /**
   * True when the scheduler has nothing to do until time passes or the cluster changes: no pod is
   * ready to schedule or in a cycle, and no bind, preemption or status write runs. Pods waiting
   * out a back-off or parked as unschedulable do not count (they wait on time or on events).
   */
  isIdle(): boolean {
    const q = this.queue.counts();
    return q.active === 0 && q.inFlight === 0 && this.binds.size === 0 && this.binds.pending === 0;
  }

  /**
   * Arms the flush timer for the queue's next due time, rounded up to a whole second (as
   * kube-scheduler's 1 s back-off flush), unless one is armed as early. Nothing is armed when no
   * pod waits on time, so an idle scheduler sets no timer.
   */
  private armFlush(): void {
    if (!this.running) return;
    const due = this.queue.nextFlushAtMs();
    if (due === undefined) return;
    const at = Math.ceil(due / FLUSH_GRANULARITY_MS) * FLUSH_GRANULARITY_MS;
    if (this.flush && this.flush.at <= at) return;
    this.flush?.timer.cancel();
    const timer = this.ctx.clock.setTimeout(
      () => {
        this.flush = undefined;
        if (!this.running) return;
        this.queue.flushBackoffCompleted();
        this.queue.flushUnschedulableLeftover();
        this.armFlush();
      },
      Math.max(0, at - this.ctx.clock.nowMs()),
    );
    this.flush = { at, timer };
  }

  private onPriorityClass(type: string, pc: PriorityClass): void {
    const name = pc.metadata.name!;
    if (type === 'DELETED') {
      this.priorityClasses.delete(name);
      if (this.defaultPriority?.name === name) this.defaultPriority = undefined;
      return;
    }
    this.priorityClasses.set(name, pc.value);
    if (pc.globalDefault) this.defaultPriority = { name, value: pc.value };
    else if (this.defaultPriority?.name === name) this.defaultPriority = undefined;
  }

  /** spec.priority, else the PriorityClass's value, else the global default, else 0. */
  private priorityOf(pod: Pod): number {
    if (pod.spec?.priority !== undefined) return pod.spec.priority;
    const cls = pod.spec?.priorityClassName;
    if (cls && this.priorityClasses.has(cls)) return this.priorityClasses.get(cls)!;
    return this.defaultPriority?.value ?? 0;
  }

  private onNode(type: string, node: Node, old: Node | undefined): void {
    if (type === 'DELETED') {
      this.cache.removeNode(node.metadata.name!);
      return;
    }
    this.cache.setNode(node);
    if (!old || nodeShape(old) !== nodeShape(node)) this.queue.moveAllToActiveOrBackoff();
  }

  private onPod(type: string, pod: Pod, old: Pod | undefined): void {
    const key = podKey(pod);
    if (type === 'DELETED' || pod.spec?.nodeName || pod.metadata.deletionTimestamp) this.nominated.delete(key);
    else this.nominated.set(podInfoOf(this.withPriority(pod)), pod.status?.nominatedNodeName ?? this.keptNomination(key, pod, old));
    if (type === 'DELETED') {
      this.pending.delete(key);
      this.queue.delete(key);
      if (this.cache.hasPod(key)) {
        this.cache.removePod(pod);
        this.queue.moveAllToActiveOrBackoff();
      }
      return;
    }
    if (pod.spec?.nodeName) {
      if (this.pending.delete(key)) this.queue.delete(key);
      const had = this.cache.hasPod(key);
      this.cache.setPod(pod);
      if (had && isTerminal(pod)) this.queue.moveAllToActiveOrBackoff();
      return;
    }
    const mine = (pod.spec?.schedulerName ?? 'default-scheduler') === this.name;
    if (!mine || isTerminal(pod) || pod.metadata.deletionTimestamp) {
      if (this.pending.delete(key)) this.queue.delete(key);
      return;
    }
    const prev = this.pending.get(key);
    this.pending.set(key, pod);
    if (!prev || !old || podUpdated(prev, pod)) this.queue.update(pod);
  }

  private async run(): Promise<void> {
    let n = 0;
    while (this.running) {
      await this.queue.wait();
      if (!this.running) break;
      const info = this.queue.pop();
      if (!info) continue;
      try {
        this.cycle(info);
      } catch (err) {
        this.queue.requeueBackoff(info.key);
        void this.ctx.events.record(info.pod, 'Warning', 'FailedScheduling', `scheduler error: ${(err as Error).message}`, this.name);
      }
      if (++n % 64 === 0 || this.binds.size > 1000) await new Promise<void>((r) => setImmediate(r));
      if (this.binds.size > 1000) await this.binds.onSizeLessThan(500);
    }
  }

  /** One scheduling cycle: decide synchronously, assume, bind in the background. */
  private cycle(info: QueuedPodInfo): void {
    const pod = this.withPriority(this.pending.get(info.key) ?? info.pod);
    const out = scheduleOne(this.registry, pod, this.cache, {
      nominated: this.nominated,
      startIndex: this.nextStart,
      percentageOfNodesToScore: this.options.percentageOfNodesToScore,
      random: this.random,
    });
    const total = this.cache.nodeInfos().length;
    if (total > 0) this.nextStart = (this.nextStart + out.processed) % total;
    if (out.ok) {
      const assumed: Pod = { ...pod, spec: { ...pod.spec!, nodeName: out.nodeName } };
      this.cache.assumePod(assumedPodInfo(podInfoOf(pod), assumed), out.nodeName);
      void this.binds.add(() => this.bind(info.key, pod, out.nodeName)).catch(() => undefined);
      return;
    }
    if (out.error) {
      this.queue.requeueBackoff(info.key);
      this.reportFailure(pod, out.message);
      return;
    }
    let message = out.message;
    // A pod whose preemption is still evicting its victims does not preempt again meanwhile.
    if (this.options.preemption !== false && !this.preempting.has(info.key)) {
      const pre = findPreemption(this.registry, pod, this.cache, out, undefined, this.budgets?.list() ?? [], this.nominated);
      if (pre.result) {
        // Hold the room at once, before the victims are gone, so no lower pod takes it meanwhile.
        this.nominated.set(podInfoOf(pod), pre.result.nodeName);
        this.preempting.add(info.key);
        void this.binds
          .add(() => this.preempt(pod, pre.result!.nodeName, pre.result!.victims))
          .catch(() => undefined)
          .finally(() => this.preempting.delete(info.key));
      } else if (pre.message) message += ` ${pre.message}`;
    }
    this.queue.requeueUnschedulable(info.key);
    this.reportFailure(pod, message);
  }

  /**
   * The node held for a pod whose update carries no nominatedNodeName: the one this scheduler
   * nominated it to in memory, when only the pod's status changed (kube-scheduler's
   * UpdateNominatedPod: the update right after a preemption, such as the PodScheduled condition
   * written before the nomination, must not drop the hold, or a second preemptor takes the same room).
   */
  private keptNomination(key: string, pod: Pod, old: Pod | undefined): string | undefined {
    const node = this.nominated.nodeOf(key);
    if (node === undefined || !old) return undefined;
    const { status: _a, ...next } = pod;
    const { status: _b, ...prev } = old;
    // managedFields change with the status write itself (the scheduler's own entry), as in podUpdated.
    const meta = (p: typeof next) => ({
      ...p,
      metadata: { ...p.metadata, resourceVersion: undefined, generation: undefined, managedFields: undefined },
    });
    return jsonEqual(meta(next), meta(prev)) ? node : undefined;
  }

  /** The pod with spec.priority resolved (pods created before their PriorityClass lack it). */
  private withPriority(pod: Pod): Pod {
    if (pod.spec?.priority !== undefined || !(pod.spec?.priorityClassName || this.defaultPriority)) return pod;
    return { ...pod, spec: { ...pod.spec!, priority: this.priorityOf(pod) } };
  }

  private client(pod: Pod) {
    return this.ctx.client<Pod>('v1', 'Pod', pod.metadata.namespace ?? 'default');
  }

  /** Reads the latest pod, changes its status, writes it; retries on conflicts. */
  private async writeStatus(pod: Pod, change: (p: Pod) => Pod): Promise<void> {
    const client = this.client(pod);
    for (let attempt = 0; attempt < 5; attempt++) {
      const latest = await client.find(pod.metadata.name!);
      if (!latest) return;
      const next = change(latest);
      if (next === latest) return;
      try {
        await client.updateStatus(next);
        return;
      } catch (err) {
        if (!TugboatError.is(err, 'Conflict')) throw err;
      }
    }
  }

  private async bind(key: string, pod: Pod, nodeName: string): Promise<void> {
    try {
      await this.ctx.bindPod({ namespace: pod.metadata.namespace ?? 'default', name: pod.metadata.name!, nodeName, uid: pod.metadata.uid });
    } catch (err) {
      this.cache.forgetPod(key);
      if (TugboatError.is(err, 'NotFound')) {
        this.queue.done(key);
        return;
      }
      // A pod bound meanwhile (by someone else) was dropped by the watch; requeue does nothing then.
      this.queue.requeueBackoff(key);
      if (TugboatError.is(err, 'Conflict')) return;
      void this.ctx.events.record(pod, 'Warning', 'FailedScheduling', `Binding rejected: ${(err as Error).message}`, this.name);
      return;
    }
    this.queue.done(key);
    this.scheduled++;
    const ns = pod.metadata.namespace ?? 'default';
    void this.ctx.events.record(pod, 'Normal', 'Scheduled', `Successfully assigned ${ns}/${pod.metadata.name} to ${nodeName}`, this.name);
  }

  private reportFailure(pod: Pod, message: string): void {
    const now = rfc3339(this.ctx.clock.now());
    void this.binds
      .add(async () => {
        void this.ctx.events.record(pod, 'Warning', 'FailedScheduling', message, this.name).catch(() => undefined);
        await this.writeStatus(pod, (p) => {
          const c = getCondition(p.status?.conditions, 'PodScheduled');
          if (c?.status === 'False' && c.reason === 'Unschedulable' && c.message === message) return p;
          return withCondition(p, { type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message }, now);
        }).catch(() => undefined);
      })
      .catch(() => undefined);
  }

  private async preempt(pod: Pod, nodeName: string, victims: Pod[]): Promise<void> {
    for (const v of victims) {
      void this.ctx.events.record(v, 'Normal', 'Preempted', `Preempted by pod ${pod.metadata.uid ?? ''} on node ${nodeName}`, this.name);
      // As kube-scheduler (PodDisruptionConditions): the victim says why it goes. Written beside the
      // deletion, not before it, so the room is freed as soon as before (a second preemptor's cycle
      // must not find the victim still standing).
      const marked = this.writeStatus(v, (p) => {
        if (p.metadata.uid !== v.metadata.uid) return p;
        const now = rfc3339(this.ctx.clock.now());
        const conditions = setCondition(
          p.status?.conditions,
          {
            type: 'DisruptionTarget',
            status: 'True',
            reason: 'PreemptionByScheduler',
            message: `${this.name}: preempting to accommodate a higher priority pod`,
            lastTransitionTime: now,
          },
          { now },
        );
        return { ...p, status: { ...(p.status ?? {}), conditions } };
      }).catch(() => undefined);
      for (let attempt = 0; attempt < 5; attempt++) {
        try {
          await this.client(v).delete(v.metadata.name!, { preconditions: { uid: v.metadata.uid } });
          break;
        } catch (err) {
          if (!TugboatError.is(err, 'Conflict')) break; // NotFound or gone: nothing left to evict
        }
      }
      await marked;
    }
    await this.writeStatus(pod, (p) => ({ ...p, status: { ...(p.status ?? {}), nominatedNodeName: nodeName } })).catch(() => undefined);
  }
}
