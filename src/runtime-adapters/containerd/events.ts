/**
 * containerd's event stream (Events.Subscribe, this namespace's task and container topics) as
 * RuntimeEvents of this runtime's cluster: /tasks/start -> start, /tasks/exit of a task's init
 * process -> exit with its status, /tasks/oom -> oom (also kept as the container's `io.tugboat.oom`
 * label, so its status says OOMKilled), /containers/delete -> remove. One subscription per
 * runtime, opened by the first events() or sandbox, fans out to every events() reader; when the
 * stream drops it is opened again (events in between are not replayed: containerd keeps none).
 */
import { EventEmitter } from 'eventemitter3';
import { setTimeout as delay } from 'node:timers/promises';
import { eventsOf } from '../event-queue.js';
import { RUNTIME_LABELS, type RuntimeEvent } from '../types.js';
import { SERVICES, type AnyValue } from './grpc-client.js';
import { toDate, type ContainerdScope } from './scope.js';
import { CONTAINERD_LABELS } from './types.js';

/** An envelope of containerd's event stream, decoded. */
interface Envelope {
  timestamp?: { seconds: number; nanos: number } | null;
  namespace: string;
  topic: string;
  event?: AnyValue | null;
}

/** The RuntimeEvent type of a containerd topic; undefined for topics tugboat ignores (pure). */
export function eventType(topic: string): RuntimeEvent['type'] | undefined {
  return ({ '/tasks/start': 'start', '/tasks/exit': 'exit', '/tasks/oom': 'oom', '/containers/delete': 'remove' } as const)[
    topic as '/tasks/start'
  ];
}

/** Fans one containerd subscription out to the runtime's events() readers. */
export class EventHub {
  private readonly emitter = new EventEmitter<{ event: (e: RuntimeEvent) => void }>();
  private controller?: AbortController;

  constructor(private readonly scope: ContainerdScope) {}

  /** Opens the subscription if it is not open. */
  start(): void {
    if (this.controller) return;
    this.controller = new AbortController();
    void this.run(this.controller.signal);
  }

  /** Events from now on until the signal aborts. */
  events(signal?: AbortSignal): AsyncIterable<RuntimeEvent> {
    this.start();
    return eventsOf(this.emitter, signal);
  }

  /** Closes the subscription. */
  stop(): void {
    this.controller?.abort();
    this.controller = undefined;
  }

  private async run(signal: AbortSignal): Promise<void> {
    const ns = this.scope.namespace;
    const filters = [`namespace==${ns},topic~="^/tasks/(start|exit|oom)$"`, `namespace==${ns},topic=="/containers/delete"`];
    let backoff = 100;
    while (!signal.aborted) {
      try {
        for await (const env of this.scope.client.stream<Envelope>(SERVICES.events, 'Subscribe', { filters }, { signal })) {
          backoff = 100;
          const event = await this.toEvent(env).catch(() => undefined);
          if (event) this.emitter.emit('event', event);
        }
      } catch {
        // dropped or refused: open again below
      }
      if (signal.aborted) break;
      await delay(backoff, undefined, { signal }).catch(() => undefined);
      backoff = Math.min(backoff * 2, 5000);
    }
  }

  private async toEvent(env: Envelope): Promise<RuntimeEvent | undefined> {
    const type = eventType(env.topic);
    if (!type) return undefined;
    const body = this.scope.client.unpack<{
      container_id?: string;
      id?: string;
      exit_status?: number;
      exited_at?: { seconds: number; nanos: number };
    }>(env.event);
    if (!body) return undefined;
    const containerId = type === 'remove' ? (body.id ?? '') : (body.container_id ?? '');
    if (type === 'exit' && body.id && body.id !== containerId) return undefined; // an exec process
    let labels = this.scope.labelCache.get(containerId);
    if (!labels && type !== 'remove') labels = (await this.scope.getContainer(containerId))?.labels;
    if (type === 'remove') this.scope.labelCache.delete(containerId);
    if (!labels || labels[RUNTIME_LABELS.cluster] !== this.scope.clusterName) return undefined;
    if (type === 'oom') await this.scope.setLabels(containerId, { ...labels, [CONTAINERD_LABELS.oom]: 'true' }).catch(() => undefined);
    const at = (type === 'exit' ? toDate(body.exited_at) : undefined) ?? toDate(env.timestamp) ?? new Date();
    return { type, containerId, labels: { ...labels }, at, ...(type === 'exit' ? { exitCode: body.exit_status ?? 0 } : {}) };
  }
}
