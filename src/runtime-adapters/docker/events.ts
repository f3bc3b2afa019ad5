import { setTimeout as delay } from 'node:timers/promises';
import { RUNTIME_LABELS, type RuntimeEvent } from '../types.js';
import type { DockerScope } from './scope.js';

/** The parts of a Docker event message that tugboat reads. */
export interface DockerEventMessage {
  Type?: string;
  Action?: string;
  status?: string;
  id?: string;
  Actor?: { ID?: string; Attributes?: Record<string, string> };
  time?: number;
  timeNano?: number;
}

const NOT_LABELS = new Set(['image', 'name', 'exitCode', 'signal', 'execDuration']);

/** Maps a Docker container event to a RuntimeEvent (pure); undefined for events tugboat ignores. */
export function toRuntimeEvent(m: DockerEventMessage): RuntimeEvent | undefined {
  if (m.Type && m.Type !== 'container') return undefined;
  const action = m.Action ?? m.status ?? '';
  const type =
    action === 'die' ? 'exit' : action === 'oom' ? 'oom' : action === 'start' ? 'start' : action === 'destroy' ? 'remove' : undefined;
  if (!type) return undefined;
  const attrs = m.Actor?.Attributes ?? {};
  const labels: Record<string, string> = {};
  for (const [k, v] of Object.entries(attrs)) if (!NOT_LABELS.has(k)) labels[k] = v;
  const at = m.timeNano ? new Date(Math.floor(m.timeNano / 1e6)) : new Date((m.time ?? 0) * 1000);
  const event: RuntimeEvent = { type, containerId: m.Actor?.ID ?? m.id ?? '', labels, at };
  if (type === 'exit' && attrs.exitCode !== undefined) event.exitCode = Number(attrs.exitCode);
  return event;
}

/** Cuts newline-delimited JSON into objects, across chunks (pure, incremental). */
export class JsonLines {
  private partial = '';

  push(chunk: string): unknown[] {
    const parts = (this.partial + chunk).split('\n');
    this.partial = parts.pop() ?? '';
    const out: unknown[] = [];
    for (const p of parts) {
      const t = p.trim();
      if (!t) continue;
      try {
        out.push(JSON.parse(t));
      } catch {
        // a line that is not JSON is skipped
      }
    }
    return out;
  }
}

/**
 * Docker's event stream for this cluster's containers and sandboxes (start, die -> exit with
 * its code, oom, destroy -> remove), until the signal aborts. When the stream drops it
 * reconnects from the last event seen, so nothing in between is lost or repeated.
 */
export function clusterEvents(scope: DockerScope, signal?: AbortSignal): AsyncGenerator<RuntimeEvent> {
  // Events from the moment of the call on, even if the caller starts reading later.
  return follow(scope, BigInt(Date.now()) * 1_000_000n, signal);
}

/** Docker's `since`: seconds with a nanosecond fraction. */
export function sinceParam(nano: bigint): string {
  const s = nano / 1_000_000_000n;
  const ns = nano % 1_000_000_000n;
  return `${s}.${ns.toString().padStart(9, '0')}`;
}

async function* follow(scope: DockerScope, startNano: bigint, signal?: AbortSignal): AsyncGenerator<RuntimeEvent> {
  let since = startNano;
  let lastNano = 0;
  let seenAtLast = new Set<string>();
  let backoff = 100;
  while (!signal?.aborted) {
    let stream: (NodeJS.ReadableStream & { destroy?: () => void }) | undefined;
    const onAbort = () => stream?.destroy?.();
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      stream = (await scope.docker.getEvents({
        since: sinceParam(since) as unknown as number,
        filters: {
          type: ['container'],
          label: [`${RUNTIME_LABELS.cluster}=${scope.clusterName}`],
          event: ['start', 'die', 'oom', 'destroy'],
        },
      })) as typeof stream;
      if (signal?.aborted) stream?.destroy?.();
      backoff = 100;
      const lines = new JsonLines();
      for await (const chunk of stream as AsyncIterable<Buffer | string>) {
        for (const raw of lines.push(chunk.toString())) {
          const m = raw as DockerEventMessage;
          const nano = m.timeNano ?? (m.time ?? 0) * 1e9;
          const key = `${m.Actor?.ID ?? m.id}|${m.Action ?? m.status}`;
          if (nano < lastNano || (nano === lastNano && seenAtLast.has(key))) continue;
          if (nano > lastNano) {
            lastNano = nano;
            seenAtLast = new Set();
          }
          seenAtLast.add(key);
          since = BigInt(nano);
          const event = toRuntimeEvent(m);
          if (event) yield event;
        }
      }
    } catch {
      // the stream dropped or could not be opened: retry below
    } finally {
      signal?.removeEventListener('abort', onAbort);
      stream?.destroy?.();
    }
    if (signal?.aborted) break;
    await delay(backoff, undefined, { signal }).catch(() => undefined);
    backoff = Math.min(backoff * 2, 5000);
  }
}
