/**
 * The resource-quota controller, as kube-controller-manager's: keeps `status.hard` (a copy of
 * `spec.hard`) and `status.used` of every ResourceQuota in line with the namespace's objects.
 * Events on the counted kinds (pods, services, claims, config maps, secrets, replication
 * controllers, quotas; a pod's phase turning terminal included) recalculate every quota of their
 * namespace, and each quota is recalculated again every {@link QUOTA_RESYNC_MS} (the full resync
 * that also catches `count/<resource>.<group>` of kinds it does not watch). The usage rules are
 * the ResourceQuota admission plugin's (model/resource-quota-usage.ts).
 */
import type { Controller, WatchSource } from '../runtime/types.js';
import type { ApiContext } from '../../client/types.js';
import type { core, KubeObject } from '../../model/types.js';
import type { ResourceType } from '../../model/resource-type.js';
import { TugboatError } from '../../model/errors.js';
import { fromUsage, objectUsage, quotaMatches, sumUsage, trackedResources, type Usage } from '../../model/resource-quota-usage.js';

/** How often every quota is recalculated from scratch (kube-controller-manager's default: 5 minutes). */
export const QUOTA_RESYNC_MS = 5 * 60_000;

type Quota = core.ResourceQuota & KubeObject;

/** The core kinds whose events change some quota's usage. */
const COUNTED_KINDS = ['Pod', 'Service', 'PersistentVolumeClaim', 'ConfigMap', 'Secret', 'ReplicationController', 'ResourceQuota'];

/** The core plural a quota resource name is about, or undefined for `count/` and unknown names. */
function coreResourceOf(name: string): string | undefined {
  if (name.startsWith('count/')) return undefined;
  if (name === 'services' || name.startsWith('services.')) return 'services';
  if (name === 'persistentvolumeclaims' || name === 'requests.storage' || name.includes('.storageclass.storage.k8s.io/'))
    return 'persistentvolumeclaims';
  if (['configmaps', 'secrets', 'replicationcontrollers', 'resourcequotas'].includes(name)) return name;
  return 'pods';
}

/** The served types whose objects a quota's hard names count. */
function typesFor(quota: Quota, served: ResourceType[]): ResourceType[] {
  const out = new Set<ResourceType>();
  for (const name of Object.keys((quota.spec?.hard as Record<string, string>) ?? {})) {
    const plural = coreResourceOf(name);
    const match =
      plural !== undefined
        ? served.find((t) => t.group === '' && t.plural === plural)
        : served.find((t) => t.namespaced && name === (t.group ? `count/${t.plural}.${t.group}` : `count/${t.plural}`));
    if (match) out.add(match);
  }
  return [...out];
}

/** The quota's usage, counted from the namespace's stored objects. */
async function calculateUsage(quota: Quota, ctx: ApiContext): Promise<Usage> {
  const ns = quota.metadata.namespace!;
  const used: Usage = new Map();
  for (const t of typesFor(quota, await ctx.discover())) {
    const apiVersion = t.group ? `${t.group}/${t.version}` : t.version;
    const objects = (await ctx.client(apiVersion, t.kind, ns).list()).items;
    const usage = sumUsage(
      objects.filter((o) => quotaMatches(quota, o, t)).map((o) => objectUsage(o, t)),
      trackedResources(quota, t),
    );
    for (const [k, v] of usage) used.set(k, v);
  }
  return used;
}

function sameList(a: Record<string, string> | undefined, b: Record<string, string>): boolean {
  const ka = Object.keys(a ?? {});
  return ka.length === Object.keys(b).length && ka.every((k) => String(a![k]) === b[k]);
}

/** The controller (see the file comment). */
export function resourceQuotaController(): Controller {
  const toQuotas: WatchSource['map'] = async (obj, cache) => {
    const ns = obj.metadata.namespace;
    if (!ns) return [];
    return (await cache.list<KubeObject>('v1', 'ResourceQuota', { namespace: ns })).map((q) => ({ namespace: ns, name: q.metadata.name! }));
  };
  return {
    name: 'resourcequota',
    for: { apiVersion: 'v1', kind: 'ResourceQuota' },
    watches: COUNTED_KINDS.map((kind) => ({ apiVersion: 'v1', kind, map: toQuotas })),
    async reconcile(request, ctx) {
      const quotas = ctx.client<Quota>('v1', 'ResourceQuota', request.namespace);
      const quota = await quotas.find(request.name);
      if (!quota || quota.metadata.deletionTimestamp) return;
      const hard = Object.fromEntries(Object.entries((quota.spec?.hard as Record<string, string>) ?? {}).map(([k, v]) => [k, String(v)]));
      const used = fromUsage(await calculateUsage(quota, ctx));
      const status = quota.status as { hard?: Record<string, string>; used?: Record<string, string> } | undefined;
      if (!sameList(status?.hard, hard) || !sameList(status?.used, used)) {
        try {
          await quotas.updateStatus({ ...quota, status: { hard, used } });
        } catch (err) {
          if (TugboatError.is(err, 'NotFound')) return;
          throw err; // a Conflict (admission charged it meanwhile) retries with a fresh count
        }
      }
      return { requeueAfterMs: QUOTA_RESYNC_MS };
    },
  };
}
