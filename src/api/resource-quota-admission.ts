/**
 * Kubernetes' ResourceQuota admission plugin: every create (and every update that changes usage:
 * a pod resize, a PVC resize, a Service type change) is evaluated against each ResourceQuota of the
 * namespace that matches it (scopes, tracked resources). A cpu/memory quota requires each
 * container to state the request or limit (`failed quota: q: must specify limits.cpu for: c`);
 * usage beyond `hard` is rejected with `exceeded quota: q, requested: pods=1, used: pods=2,
 * limited: pods=2` (403 Forbidden). An admitted write charges `status.used` of every matching
 * quota itself with a compare-and-swap on the quota's resourceVersion, serialised per namespace
 * as Kubernetes' quota evaluator queues its work, so two fast creates cannot both take the last
 * slot. A quota whose status the controller has not filled in yet is evaluated against the usage
 * of the namespace's objects computed on the spot (Kubernetes would refuse with "status unknown").
 */
import type { core, KubeObject } from '../model/types.js';
import { TugboatError } from '../model/errors.js';
import {
  fromUsage,
  maskUsage,
  objectUsage,
  podConstraintError,
  prettyUsage,
  quotaMatches,
  sumUsage,
  toUsage,
  trackedResources,
  type QuotaResource,
  type Usage,
} from '../model/resource-quota-usage.js';
import type { AdmissionPlugin, AdmissionRequest } from './admission.js';
import type { ResourceClient } from '../client/types.js';

/** What the plugin reads and writes. */
export interface ResourceQuotaAdmissionDeps {
  /** The ResourceQuotas of a namespace. */
  quotas(namespace: string): ResourceClient<core.ResourceQuota & KubeObject>;
  /** The stored objects of a resource in a namespace (for a quota whose status is not filled in yet). */
  list(resource: QuotaResource & { apiVersion: string; kind: string }, namespace: string): Promise<KubeObject[]>;
  /**
   * The namespace's ResourceQuotas from a watch-fed cache (kube-apiserver's quota lister);
   * undefined when it is not synced, and the plugin lists them through `quotas`.
   */
  cached?(namespace: string): readonly Quota[] | undefined;
  /** Hands the cache a quota the plugin has just written or read. */
  observe?(quota: Quota): void;
}

type Quota = core.ResourceQuota & KubeObject;

const byName = (a: Quota, b: Quota): number => (a.metadata.name! < b.metadata.name! ? -1 : 1);

/** The updates Kubernetes' evaluators re-check (the rest are evaluated on create only). */
const UPDATE_EVALUATED = new Set(['pods', 'persistentvolumeclaims', 'services']);
const CAS_RETRIES = 16;

/** A tiny per-key mutex: each namespace's quota checks run one at a time. */
class KeyedLock {
  private readonly tails = new Map<string, Promise<void>>();

  async run<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const prev = this.tails.get(key) ?? Promise.resolve();
    let release!: () => void;
    const next = new Promise<void>((r) => (release = r));
    const tail = prev.then(() => next);
    this.tails.set(key, tail);
    await prev;
    try {
      return await fn();
    } finally {
      release();
      if (this.tails.get(key) === tail) this.tails.delete(key);
    }
  }
}

function forbidden(request: AdmissionRequest, message: string): TugboatError {
  const name = request.object.metadata.name ?? request.object.metadata.generateName ?? '';
  return TugboatError.forbidden(`${request.type.plural} "${name}" is forbidden: ${message}`, {
    kind: request.type.plural,
    group: request.type.group,
    name,
  });
}

/** newUsage - oldUsage, never below zero per name, zeros removed (SubtractWithNonNegativeResult). */
function delta(next: Usage, prev: Usage | undefined): Usage {
  const out: Usage = new Map();
  for (const [k, v] of next) {
    const d = prev?.has(k) ? v.sub(prev.get(k)!) : v;
    if (d.sign() > 0) out.set(k, d);
  }
  return out;
}

/** The plugin (see the file comment). */
export function resourceQuotaAdmission(deps: ResourceQuotaAdmissionDeps): AdmissionPlugin {
  const lock = new KeyedLock();

  /** The quota's used for `names`: its status, or the namespace's objects counted now. */
  async function usedOf(quota: core.ResourceQuota, names: string[], request: AdmissionRequest, ns: string): Promise<Usage> {
    const used = toUsage(quota.status?.used as Record<string, string> | undefined);
    if (names.every((n) => used.has(n))) return used;
    const r = request.type;
    const objects = await deps.list({ group: r.group, plural: r.plural, apiVersion: request.object.apiVersion, kind: r.kind }, ns);
    const live = sumUsage(
      objects.filter((o) => quotaMatches(quota, o, r)).map((o) => objectUsage(o, r)),
      trackedResources(quota, r),
    );
    for (const [k, v] of live) if (!used.has(k)) used.set(k, v);
    return used;
  }

  /** Checks one quota; returns the status.used to write, or undefined when nothing is charged. */
  async function evaluate(quota: core.ResourceQuota, request: AdmissionRequest, ns: string): Promise<Usage | undefined> {
    const r = request.type;
    if (!quotaMatches(quota, request.object, r)) return undefined;
    const tracked = trackedResources(quota, r);
    if (r.group === '' && r.plural === 'pods' && request.operation === 'CREATE') {
      const why = podConstraintError(request.object as core.Pod, tracked);
      if (why) throw forbidden(request, `failed quota: ${quota.metadata?.name}: ${why}`);
    }
    const prev =
      request.operation === 'UPDATE' && request.oldObject && quotaMatches(quota, request.oldObject, r)
        ? objectUsage(request.oldObject, r)
        : undefined;
    const requested = delta(maskUsage(objectUsage(request.object, r), tracked), prev && maskUsage(prev, tracked));
    if (!requested.size) return undefined;
    const used = await usedOf(quota, tracked, request, ns);
    const hard = toUsage(quota.spec?.hard as Record<string, string> | undefined);
    const next = new Map(used);
    for (const [k, v] of requested) next.set(k, (used.get(k) ?? v.sub(v)).add(v));
    const exceeded = [...requested.keys()].filter((k) => hard.has(k) && next.get(k)!.cmp(hard.get(k)!) > 0);
    if (exceeded.length) {
      throw forbidden(
        request,
        `exceeded quota: ${quota.metadata?.name}, requested: ${prettyUsage(maskUsage(requested, exceeded))}, ` +
          `used: ${prettyUsage(maskUsage(used, exceeded, true))}, limited: ${prettyUsage(maskUsage(hard, exceeded))}`,
      );
    }
    return next;
  }

  return {
    name: 'ResourceQuota',
    async validate(request) {
      if (request.subresource || request.operation === 'DELETE') return;
      if (request.type.plural === 'events') return; // TEMP
      if (request.operation === 'UPDATE' && !(request.type.group === '' && UPDATE_EVALUATED.has(request.type.plural))) return;
      const ns = request.object.metadata.namespace;
      if (!ns || !request.type.namespaced) return;
      const client = deps.quotas(ns);
      const read = async (): Promise<readonly Quota[]> => deps.cached?.(ns) ?? (await client.list()).items;
      // Most writes match no quota: they take no lock (the quota evaluator queues only work it has).
      if (!(await read()).some((q) => quotaMatches(q, request.object, request.type))) return;
      await lock.run(ns, async () => {
        const quotas = [...(await read())].sort(byName);
        // Check every quota first: a rejection charges nothing.
        const charges: Array<[core.ResourceQuota, Usage]> = [];
        for (const q of quotas) {
          const next = await evaluate(q, request, ns);
          if (next) charges.push([q, next]);
        }
        if (request.dryRun) return;
        for (let [quota, next] of charges) {
          for (let attempt = 0; ; attempt++) {
            try {
              const written = await client.updateStatus({
                ...quota,
                status: { ...quota.status, hard: quota.spec?.hard, used: fromUsage(next) },
              } as never);
              deps.observe?.(written);
              break;
            } catch (err) {
              // The controller wrote the status meanwhile: evaluate again against what it wrote.
              if (!TugboatError.is(err, 'Conflict') || attempt >= CAS_RETRIES) throw err;
              const fresh = await client.find(quota.metadata!.name!);
              if (!fresh) break;
              deps.observe?.(fresh);
              quota = fresh;
              const again = await evaluate(fresh, request, ns);
              if (!again) break;
              next = again;
            }
          }
        }
      });
    },
  };
}
