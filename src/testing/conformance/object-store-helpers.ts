/**
 * Shared helpers of the ObjectStore conformance cases: store options, manifests, selectors,
 * and small watch/error assertions.
 */
import { expect } from 'vitest';
import type { KubeObject, WatchEvent } from '../../model/types.js';
import type { Selector } from '../../model/selector.js';
import { parseSelector } from '../../model/selector.js';
import { parseFieldSelector, type FieldSelector } from '../../model/field-selector.js';
import type { ObjectStore } from '../../store/types.js';
import type { Clock } from '../../clock/types.js';
import { TugboatError } from '../../model/errors.js';

/** The resource most cases use. */
export const PODS = 'core/pods';

/** Makes a fresh store for one case; the suite closes it afterwards. */
export type FreshStore = (options?: ConformanceStoreOptions) => Promise<ObjectStore>;

/** What the suite asks of a store factory; a store may ignore what it cannot honour. */
export interface ConformanceStoreOptions {
  /** Changes kept for resuming watches (the Expired cases use a small one). */
  historySize?: number;
  /** Source of bookmark timers and of the watch queue's stall detection. */
  clock?: Clock;
  /** The most events one watch holds unread before it is ended with Expired (the slow-watcher cases use a small one). */
  maxWatchQueue?: number;
}

/** A label selector `key=value`. */
export function labelIs(key: string, value: string): Selector {
  return parseSelector(`${key}=${value}`);
}

/** A field selector `path=value`. */
export function fieldIs(path: string, value: string): FieldSelector {
  return parseFieldSelector(`${path}=${value}`);
}

/** A pod manifest. */
export function pod(
  name: string,
  namespace = 'default',
  extra: Partial<KubeObject> & { labels?: Record<string, string> } = {},
): KubeObject {
  const { labels, ...rest } = extra;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace, ...(labels ? { labels } : {}) },
    spec: { containers: [{ name: 'app', image: 'nginx' }] },
    ...rest,
  };
}

/** `namespace/name` of each object, for order assertions. */
export function names(items: KubeObject[]): string[] {
  return items.map((o) => `${o.metadata.namespace ?? ''}/${o.metadata.name}`);
}

/** The next `n` events of a watch; fails when the watch ends first. */
export async function take(it: AsyncIterator<WatchEvent>, n: number): Promise<WatchEvent[]> {
  const out: WatchEvent[] = [];
  while (out.length < n) {
    const r = await it.next();
    if (r.done) throw new Error(`watch ended after ${out.length} of ${n} events`);
    out.push(r.value);
  }
  return out;
}

/** `TYPE name resourceVersion` of each event, for compact assertions. */
export function summary(events: WatchEvent[]): string[] {
  return events.map((e) => `${e.type} ${e.object.metadata.name} ${e.object.metadata.resourceVersion}`);
}

/** Awaits a rejection with a TugboatError of `reason` (and a message matching `message`). */
export async function expectReason(p: Promise<unknown>, reason: string, message?: RegExp): Promise<TugboatError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(TugboatError.is(err), `expected TugboatError ${reason}, got ${String(err)}`).toBe(true);
  expect((err as TugboatError).reason).toBe(reason);
  if (message) expect((err as TugboatError).message).toMatch(message);
  return err as TugboatError;
}
