/**
 * MockRuntime: a deterministic, in-memory ContainerRuntime for test harnesses and benchmarks.
 */
import { EventEmitter } from 'eventemitter3';
import type { Clock } from '../../clock/types.js';
import { RealClock } from '../../clock/real-clock.js';
import { fieldError, TugboatError } from '../../model/errors.js';
import { eventsOf } from '../event-queue.js';
import {
  RUNTIME_LABELS,
  type ContainerConfig,
  type ContainerRuntime,
  type ContainerStats,
  type ContainerStatus,
  type ContainerStreams,
  type ExecResult,
  type FilesMount,
  type ImageInfo,
  type LogLine,
  type LogOptions,
  type ProbeAction,
  type ProbeOutcome,
  type PullPolicy,
  type RuntimeBinding,
  type RuntimeEvent,
  type SandboxConfig,
  type SandboxStatus,
  type StreamOptions,
} from '../types.js';
import { FrozenNodes } from './frozen-nodes.js';
import { LabeledIndex } from './labeled-index.js';
import {
  containerInfo,
  containerStatus,
  nextChange,
  notify,
  sandboxStatus,
  type MockContainer,
  type MockSandbox,
} from './mock-container.js';
import { MockImages } from './mock-images.js';
import { mockAttach, mockExecStream } from './mock-streams.js';
import { KILLED, MockLifecycle } from './mock-lifecycle.js';
import { validateContainerConfig, validateSandboxConfig } from './mock-validation.js';
import type { MockCallCounters, MockContainerInfo, MockImageBehavior, MockPodSelector, MockRuntimeOptions } from './types.js';

const OK_EXEC: ExecResult = Object.freeze({ exitCode: 0, stdout: '', stderr: '' });

/**
 * A fake container runtime: containers are records that start, run, exit and crash as their
 * image's {@link MockImageBehavior} says, on the cluster's clock (bound by the node agents).
 * One MockRuntime may back many nodes; a container belongs to the node in its node label.
 * Use it to drive a whole cluster deterministically with a FakeClock, and to inject failures
 * (`crash`, `oom`, `freeze`).
 */
export class MockRuntime implements ContainerRuntime {
  readonly name = 'mock';
  /** How many calls of each kind the runtime served. */
  readonly calls: MockCallCounters = { pulls: 0, sandboxes: 0, creates: 0, starts: 0, stops: 0, removes: 0, execs: 0, probes: 0 };

  private clock: Clock;
  private readonly images: MockImages;
  private readonly frozen: FrozenNodes;
  private readonly lifecycle: MockLifecycle;
  private readonly emitter = new EventEmitter();
  private readonly sandboxes = new LabeledIndex<MockSandbox>();
  private readonly store = new LabeledIndex<MockContainer>();
  private readonly nodes = new Set<string>();
  private seq = 0;
  private ipSeq = 0;

  constructor(private readonly options: MockRuntimeOptions = {}) {
    this.clock = options.clock ?? new RealClock();
    this.images = new MockImages(options.strictImages ?? false);
    this.frozen = new FrozenNodes(options.frozenCalls ?? 'fail');
    this.lifecycle = new MockLifecycle(
      () => this.clock,
      this.frozen,
      (e) => this.emitter.emit('event', e),
    );
  }

  /** Follows the cluster's clock from now on; remembers the node. */
  bind(binding: RuntimeBinding): void {
    this.clock = binding.clock;
    this.nodes.add(binding.nodeName);
  }

  /** Defines how the fake image `ref` behaves (unknown images run forever and are ready at once). */
  image(ref: string, behavior: MockImageBehavior = {}): this {
    this.images.define(ref, behavior);
    return this;
  }

  /** Makes the matching running containers exit now (exit code 1 by default); returns their ids. */
  crash(selector: MockPodSelector & { exitCode?: number }): string[] {
    const code = selector.exitCode ?? 1;
    if (!(Number.isInteger(code) && code >= 0 && code <= 255)) {
      throw TugboatError.invalid({ kind: 'containers' }, `${selector.namespace}/${selector.pod}`, [
        fieldError('exitCode', 'must be an integer from 0 to 255'),
      ]);
    }
    return this.hit(selector, 'crash', (c) => this.lifecycle.exit(c, code));
  }

  /** The matching running containers are OOM-killed now (exit code 137, reason OOMKilled). */
  oom(selector: MockPodSelector): string[] {
    return this.hit(selector, 'oom', (c) => this.lifecycle.exit(c, KILLED, 'OOMKilled'));
  }

  /** The node is lost: its containers stop changing and calls about them fail (or hang). */
  freeze(nodeName: string): void {
    this.frozen.freeze(nodeName);
  }

  /** The node is back: held changes apply, then waiting calls go on. */
  unfreeze(nodeName: string): void {
    this.frozen.unfreeze(nodeName);
  }

  /** Whether a node is frozen. */
  isFrozen(nodeName: string): boolean {
    return this.frozen.isFrozen(nodeName);
  }

  /** Sets the usage `stats` reports for the matching containers (overrides the image's). */
  setUsage(selector: MockPodSelector, usage: { cpuMillis: number; memoryBytes: number }): void {
    for (const c of this.select(selector)) c.usage = { ...usage };
  }

  /** A snapshot of the containers, optionally of one namespace, pod or node. */
  containers(filter: { namespace?: string; pod?: string; node?: string } = {}): MockContainerInfo[] {
    let list: MockContainer[];
    if (filter.namespace !== undefined && filter.pod !== undefined) list = this.store.byPodName(filter.namespace, filter.pod);
    else if (filter.node !== undefined) list = this.store.onNode(filter.node);
    else list = this.store.list();
    return list
      .filter(
        (c) =>
          (filter.node === undefined || c.node === filter.node) &&
          (filter.namespace === undefined || c.labels[RUNTIME_LABELS.namespace] === filter.namespace) &&
          (filter.pod === undefined || c.labels[RUNTIME_LABELS.podName] === filter.pod),
      )
      .map(containerInfo);
  }

  /** How many containers the runtime holds (every state). */
  get size(): number {
    return this.store.size;
  }

  async ensureImage(ref: string, policy: PullPolicy, signal?: AbortSignal): Promise<ImageInfo> {
    if (!this.images.needsPull(ref, policy)) return this.images.info(ref);
    this.calls.pulls++;
    const pullMs = this.options.pullMs ?? 0;
    if (pullMs > 0) await this.clock.sleep(pullMs, signal);
    return this.images.pull(ref);
  }

  async runSandbox(config: SandboxConfig): Promise<SandboxStatus> {
    validateSandboxConfig(config);
    const node = config.labels[RUNTIME_LABELS.node];
    await this.frozen.gate(node);
    this.calls.sandboxes++;
    const n = ++this.ipSeq;
    const sandbox: MockSandbox = {
      id: `mock-sandbox-${++this.seq}`,
      ip: `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`,
      state: 'ready',
      labels: { ...config.labels },
      createdAt: this.clock.nowMs(),
      node,
      containers: new Set(),
    };
    this.sandboxes.add(sandbox);
    return sandboxStatus(sandbox);
  }

  async stopSandbox(id: string): Promise<void> {
    const s = this.sandboxes.get(id);
    if (!s) return;
    await this.frozen.gate(s.node);
    for (const cid of s.containers) {
      const c = this.store.get(cid);
      if (c) this.lifecycle.exit(c, KILLED);
    }
    s.state = 'notready';
  }

  async removeSandbox(id: string): Promise<void> {
    const s = this.sandboxes.get(id);
    if (!s) return;
    await this.frozen.gate(s.node);
    for (const cid of [...s.containers]) this.drop(cid);
    this.sandboxes.delete(id);
  }

  async listSandboxes(labels?: Record<string, string>): Promise<SandboxStatus[]> {
    await this.frozen.gate(labels?.[RUNTIME_LABELS.node]);
    return this.sandboxes.list(labels).map(sandboxStatus);
  }

  async createContainer(sandboxId: string, config: ContainerConfig): Promise<string> {
    validateContainerConfig(config);
    const s = this.sandboxes.get(sandboxId);
    if (!s) throw TugboatError.notFound({ kind: 'sandboxes' }, sandboxId);
    await this.frozen.gate(s.node);
    this.calls.creates++;
    const c: MockContainer = {
      id: `mock-container-${++this.seq}`,
      sandboxId,
      name: config.name,
      image: config.image,
      imageId: this.images.info(config.image).id,
      labels: { ...config.labels },
      node: config.labels[RUNTIME_LABELS.node] ?? s.node,
      behavior: this.images.behavior(config.image),
      state: 'created',
      createdAt: this.clock.nowMs(),
    };
    const files = (config.mounts ?? []).filter((m): m is FilesMount => m.kind === 'files');
    if (files.length) c.files = new Map(files.map((m) => [m.containerPath, { ...m.files }]));
    this.store.add(c);
    s.containers.add(c.id);
    return c.id;
  }

  async startContainer(id: string): Promise<void> {
    const c = await this.reach(id);
    this.calls.starts++;
    await this.lifecycle.start(c);
  }

  async stopContainer(id: string, graceMs: number): Promise<void> {
    const c = this.store.get(id);
    if (!c) return;
    await this.frozen.gate(c.node);
    this.calls.stops++;
    await this.lifecycle.stop(c, graceMs);
  }

  async removeContainer(id: string): Promise<void> {
    const c = this.store.get(id);
    if (!c) return;
    await this.frozen.gate(c.node);
    this.drop(id);
  }

  async listContainers(labels?: Record<string, string>): Promise<ContainerStatus[]> {
    await this.frozen.gate(labels?.[RUNTIME_LABELS.node]);
    return this.store.list(labels).map(containerStatus);
  }

  async inspectContainer(id: string): Promise<ContainerStatus> {
    return containerStatus(await this.reach(id));
  }

  async *logs(id: string, options: LogOptions = {}): AsyncIterable<LogLine> {
    const c = await this.reach(id);
    const signal = options.signal;
    if (options.follow) while (c.state === 'created' && !c.removed && !signal?.aborted) await nextChange(c, signal);
    if (c.startedAt !== undefined && !signal?.aborted) {
      const lines = c.behavior.logs ?? [];
      const from = options.tail === undefined ? 0 : Math.max(0, lines.length - options.tail);
      const time = new Date(c.startedAt);
      for (let i = from; i < lines.length; i++) {
        if (signal?.aborted) return;
        yield options.timestamps ? { stream: 'stdout', line: lines[i], time } : { stream: 'stdout', line: lines[i] };
      }
    }
    if (options.follow) while (c.state === 'running' && !c.removed && !signal?.aborted) await nextChange(c, signal);
  }

  async exec(id: string, command: string[]): Promise<ExecResult> {
    const c = await this.running(id);
    this.calls.execs++;
    return { ...(c.behavior.exec?.(command) ?? OK_EXEC) };
  }

  /** An exec with streams: the image's `interactive` handler, else its `exec` answer. */
  async execStream(id: string, command: string[], options: StreamOptions): Promise<ContainerStreams> {
    const c = await this.running(id);
    this.calls.execs++;
    return mockExecStream(c, command, options);
  }

  /** An attach to the main process: the image's `attach` handler, until the container exits or the client detaches. */
  async attach(id: string, options: StreamOptions): Promise<ContainerStreams> {
    return mockAttach(await this.running(id), options);
  }

  async stats(id: string): Promise<ContainerStats> {
    const c = await this.reach(id);
    const usage = c.state === 'running' ? (c.usage ?? c.behavior.usage) : undefined;
    return { cpuMillis: usage?.cpuMillis ?? 0, memoryBytes: usage?.memoryBytes ?? 0, at: this.clock.now() };
  }

  events(signal?: AbortSignal): AsyncIterable<RuntimeEvent> {
    return eventsOf<RuntimeEvent>(this.emitter, signal);
  }

  /**
   * Runs a probe without a network: http and tcp succeed once the container has run for its
   * image's `readyAfterMs`; exec asks the image's exec handler (exit 0 unless it says otherwise).
   */
  async probe(containerId: string, action: ProbeAction): Promise<ProbeOutcome> {
    const c = await this.reach(containerId);
    this.calls.probes++;
    if (c.state !== 'running') return { result: 'failure', message: `container is ${c.state}` };
    if (action.type === 'exec') {
      const r = c.behavior.exec?.(action.command) ?? OK_EXEC;
      return r.exitCode === 0
        ? { result: 'success' }
        : { result: 'failure', message: `exit code ${r.exitCode}: ${r.stdout}${r.stderr}`.trim() };
    }
    const readyAt = (c.startedAt ?? 0) + (c.behavior.readyAfterMs ?? 0);
    if (this.clock.nowMs() >= readyAt) return { result: 'success' };
    const target = action.type === 'http' ? `http://${action.host ?? 'pod'}:${action.port}${action.path}` : `tcp ${action.port}`;
    return { result: 'failure', message: `${target}: connection refused` };
  }

  /** The sandbox's fake IP (nothing listens there: the mock probes natively). */
  endpointFor(sandbox: SandboxStatus, port: number): { host: string; port: number } {
    return { host: sandbox.ip, port };
  }

  /** Nothing to release: containers are left as they are. */
  async close(): Promise<void> {}

  /** Replaces the files of a container's files mount (all at once, as the atomic writer). */
  async updateFiles(id: string, mount: FilesMount): Promise<void> {
    const c = await this.reach(id);
    if (!c.files?.has(mount.containerPath)) throw TugboatError.badRequest(`container ${id} has no files mount at ${mount.containerPath}`);
    c.files.set(mount.containerPath, { ...mount.files });
  }

  /**
   * What a container of a pod reads at `path` in its ConfigMap/Secret/downward API mounts
   * (utf-8), or undefined when no such file is there; the pod's newest container when several
   * match. Use it to check that mounted files follow updates.
   */
  readFile(selector: MockPodSelector, path: string): string | undefined {
    const c = this.select(selector)
      .sort((a, b) => a.createdAt - b.createdAt)
      .at(-1);
    const mounts = [...(c?.files ?? new Map<string, Record<string, Uint8Array>>())].sort((a, b) => b[0].length - a[0].length);
    for (const [at, files] of mounts) {
      const key = path === at ? '' : path.startsWith(`${at}/`) ? path.slice(at.length + 1) : undefined;
      if (key === undefined) continue;
      const content = files[key];
      return content === undefined ? undefined : new TextDecoder().decode(content);
    }
    return undefined;
  }

  private async reach(id: string): Promise<MockContainer> {
    const c = this.store.get(id);
    if (!c) throw TugboatError.notFound({ kind: 'containers' }, id);
    await this.frozen.gate(c.node);
    return c;
  }

  private async running(id: string): Promise<MockContainer> {
    const c = await this.reach(id);
    if (c.state !== 'running') throw TugboatError.badRequest(`container ${id} is not running (${c.state})`);
    return c;
  }

  private select(selector: MockPodSelector): MockContainer[] {
    return this.store
      .byPodName(selector.namespace, selector.pod)
      .filter((c) => selector.container === undefined || c.name === selector.container);
  }

  private hit(selector: MockPodSelector, what: string, fn: (c: MockContainer) => void): string[] {
    const targets = this.select(selector).filter((c) => c.state === 'running');
    if (targets.length === 0) {
      const where = `${selector.namespace}/${selector.pod}${selector.container ? ` container ${selector.container}` : ''}`;
      throw TugboatError.badRequest(`mock runtime: cannot ${what} ${where}: no running container matches`);
    }
    for (const c of targets) this.frozen.run(c.node, () => fn(c));
    return targets.map((c) => c.id);
  }

  private drop(id: string): void {
    const c = this.store.get(id);
    if (!c) return;
    this.calls.removes++;
    if (c.state !== 'exited') this.lifecycle.exit(c, KILLED);
    c.removed = true;
    this.store.delete(id);
    this.sandboxes.get(c.sandboxId)?.containers.delete(id);
    this.emitter.emit('event', { type: 'remove', containerId: id, labels: c.labels, at: this.clock.now() } satisfies RuntimeEvent);
    notify(c);
  }
}
