/**
 * `kubectl cordon`, `uncordon` and `drain` (k8s.io/kubectl/pkg/drain): cordoning marks a node
 * unschedulable; draining cordons it, evicts its pods through the eviction API (so
 * PodDisruptionBudgets are respected), retries evictions a budget refuses, and waits until the
 * evicted pods are gone. DaemonSet pods (their controller would put them back) and mirror pods
 * (the kubelet's static pods) stay. Every wait is on the cluster's clock.
 */
import type { Node, Pod } from '../model/types.js';
import { TugboatError } from '../model/errors.js';
import type { Clock } from '../clock/types.js';
import type { ApiContext } from '../client/types.js';
import { ALL_NAMESPACES } from '../client/types.js';

/** The annotation of a mirror pod (a static pod the kubelet reflects into the API). */
export const MIRROR_POD_ANNOTATION = 'kubernetes.io/config.mirror';

/** Options of `cluster.drain`. */
export interface DrainOptions {
  /**
   * Give up after this long on the cluster's clock, failing Timeout and naming the pods still
   * there (kubectl's `--timeout`). @default no limit
   */
  timeoutMs?: number;
  /** The grace period of the evicted pods' deletion. @default each pod's own */
  gracePeriodSeconds?: number;
  /** How long to wait before retrying an eviction a budget refused (kubectl waits 5 s). @default 5000 */
  retryIntervalMs?: number;
  /** How often to check whether an evicted pod is gone (kubectl polls every second). @default 1000 */
  pollIntervalMs?: number;
  /** Ends the drain (rejecting with the signal's reason). */
  signal?: AbortSignal;
}

/** What a drain did: the pods it evicted and those it left (DaemonSet and mirror pods), as `namespace/name`. */
export interface DrainResult {
  evicted: string[];
  ignored: string[];
}

const key = (p: Pod) => `${p.metadata.namespace ?? ''}/${p.metadata.name ?? ''}`;

/** True for the pods a drain leaves on the node: DaemonSet pods and mirror pods. */
export function drainIgnores(pod: Pod): boolean {
  if (pod.metadata.annotations?.[MIRROR_POD_ANNOTATION] !== undefined) return true;
  return pod.metadata.ownerReferences?.some((r) => r.controller === true && r.kind === 'DaemonSet') ?? false;
}

/** Sets (cordon) or clears (uncordon) a node's spec.unschedulable. NotFound when there is no such node. */
export async function setUnschedulable(ctx: ApiContext, node: string, unschedulable: boolean): Promise<Node> {
  const nodes = ctx.client<Node>('v1', 'Node');
  const current = await nodes.get(node);
  if ((current.spec?.unschedulable ?? false) === unschedulable) return current;
  return nodes.patch(node, { spec: { unschedulable: unschedulable ? true : null } });
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/**
 * Drains a node: cordons it, evicts every pod on it but DaemonSet and mirror pods (retrying
 * every `retryIntervalMs` while a budget forbids), and resolves once the evicted pods are gone.
 * Fails Timeout after `timeoutMs` naming the pods left and why; fails at once on an eviction
 * error other than TooManyRequests.
 */
export async function drainNode(ctx: ApiContext, clock: Clock, node: string, options: DrainOptions = {}): Promise<DrainResult> {
  for (const [field, v] of [
    ['timeoutMs', options.timeoutMs],
    ['retryIntervalMs', options.retryIntervalMs],
    ['pollIntervalMs', options.pollIntervalMs],
    ['gracePeriodSeconds', options.gracePeriodSeconds],
  ] as const) {
    if (v !== undefined && (typeof v !== 'number' || !Number.isFinite(v) || v < 0)) {
      throw TugboatError.badRequest(`${field}: Invalid value: ${JSON.stringify(v)}: must be a number of at least 0`);
    }
  }
  await setUnschedulable(ctx, node, true);
  const retryMs = Math.max(1, options.retryIntervalMs ?? 5000);
  const pollMs = Math.max(1, options.pollIntervalMs ?? 1000);
  const pods = (await ctx.client<Pod>('v1', 'Pod', ALL_NAMESPACES).list({ fieldSelector: `spec.nodeName=${node}` })).items;
  const ignored = pods.filter(drainIgnores);
  const targets = pods.filter((p) => !drainIgnores(p));
  const abort = new AbortController();
  const onAbort = () => abort.abort(options.signal?.reason);
  options.signal?.addEventListener('abort', onAbort, { once: true });
  /** Per pod: why it is still there. */
  const waiting = new Map<string, string>(targets.map((p) => [key(p), 'not yet evicted']));

  const drainOne = async (pod: Pod): Promise<void> => {
    const ns = pod.metadata.namespace ?? 'default';
    const name = pod.metadata.name ?? '';
    const deleteOptions = {
      preconditions: { uid: pod.metadata.uid },
      ...(options.gracePeriodSeconds !== undefined ? { gracePeriodSeconds: options.gracePeriodSeconds } : {}),
    };
    for (;;) {
      try {
        await ctx.evictPod({ namespace: ns, name, deleteOptions });
        break;
      } catch (err) {
        if (TugboatError.is(err, 'NotFound') || TugboatError.is(err, 'Conflict')) break; // gone, or replaced
        if (!TugboatError.is(err, 'TooManyRequests')) throw err;
        waiting.set(key(pod), `${err.message} ${err.causes.map((c) => c.message).join('; ')}`.trim());
        await clock.sleep(retryMs, abort.signal);
      }
    }
    waiting.set(key(pod), 'evicted, waiting for it to be deleted');
    const client = ctx.client<Pod>('v1', 'Pod', ns);
    for (;;) {
      const now = await client.find(name);
      if (!now || now.metadata.uid !== pod.metadata.uid) break;
      await clock.sleep(pollMs, abort.signal);
    }
    waiting.delete(key(pod));
  };

  let timer: { cancel(): void } | undefined;
  const deadline = new Promise<never>((_, reject) => {
    if (options.timeoutMs === undefined) return;
    timer = clock.setTimeout(() => {
      const left = [...waiting].map(([k, why]) => `${k} (${why})`).join(', ');
      reject(
        new TugboatError('Timeout', `drain of node "${node}" did not complete within ${options.timeoutMs}ms: pods left: ${left}`, {
          kind: 'nodes',
          name: node,
        }),
      );
    }, options.timeoutMs);
  });
  try {
    await Promise.race([Promise.all(targets.map(drainOne)), deadline]);
  } catch (err) {
    if (TugboatError.is(err) || options.signal?.aborted) throw err;
    throw new TugboatError('InternalError', `drain of node "${node}": ${errorText(err)}`);
  } finally {
    timer?.cancel();
    abort.abort(new Error('drain ended'));
    options.signal?.removeEventListener('abort', onAbort);
  }
  return { evicted: targets.map(key), ignored: ignored.map(key) };
}
