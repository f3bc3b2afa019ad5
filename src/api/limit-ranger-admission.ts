/**
 * Kubernetes' LimitRanger admission plugin: at pod creation the Container items of the
 * namespace's LimitRanges fill in missing requests (`defaultRequest`, else `default`, else `min`)
 * and limits (`default`, else `max`); then min, max and maxLimitRequestRatio are enforced per
 * Container, per Pod (sums, init containers as the scheduler counts them) and per
 * PersistentVolumeClaim, rejecting with Kubernetes' messages (Forbidden).
 */
import type { core, KubeObject } from '../model/types.js';
import { TugboatError } from '../model/errors.js';
import { quantityToMilli } from '../model/quantity.js';
import type { AdmissionPlugin, AdmissionRequest } from './admission.js';
import type { ResourceClient } from '../client/types.js';

type List = Record<string, string>;

function isPodCreate(r: AdmissionRequest): boolean {
  return r.operation === 'CREATE' && !r.subresource && r.type.group === '' && r.type.kind === 'Pod';
}

/** A Container item's defaults, as SetDefaults_LimitRangeItem fills them in. */
function containerDefaults(item: core.LimitRangeItem): { limits: List; requests: List } {
  const limits: List = { ...(item.max as List), ...(item.default as List) };
  const requests: List = { ...(item.min as List), ...limits, ...(item.defaultRequest as List) };
  return { limits, requests };
}

function minError(type: string, name: string, enforced: string, req: List, lim: List): string | undefined {
  if (req[name] === undefined) return `minimum ${name} usage per ${type} is ${enforced}.  No request is specified`;
  if (quantityToMilli(req[name]) < quantityToMilli(enforced))
    return `minimum ${name} usage per ${type} is ${enforced}, but request is ${req[name]}`;
  if (lim[name] !== undefined && quantityToMilli(lim[name]) < quantityToMilli(enforced))
    return `minimum ${name} usage per ${type} is ${enforced}, but limit is ${lim[name]}`;
  return undefined;
}

function maxError(type: string, name: string, enforced: string, req: List, lim: List, requestOnly = false): string | undefined {
  const what = requestOnly ? req : lim;
  if (what[name] === undefined)
    return `maximum ${name} usage per ${type} is ${enforced}.  No ${requestOnly ? 'request' : 'limit'} is specified`;
  if (!requestOnly && quantityToMilli(lim[name]) > quantityToMilli(enforced))
    return `maximum ${name} usage per ${type} is ${enforced}, but limit is ${lim[name]}`;
  if (req[name] !== undefined && quantityToMilli(req[name]) > quantityToMilli(enforced))
    return `maximum ${name} usage per ${type} is ${enforced}, but request is ${req[name]}`;
  return undefined;
}

function ratioError(type: string, name: string, enforced: string, req: List, lim: List): string | undefined {
  const r = quantityToMilli(req[name]);
  const l = quantityToMilli(lim[name]);
  if (req[name] === undefined || r === 0)
    return `${name} max limit to request ratio per ${type} is ${enforced}, but no request is specified or request is 0`;
  if (lim[name] === undefined || l === 0)
    return `${name} max limit to request ratio per ${type} is ${enforced}, but no limit is specified or limit is 0`;
  if ((l / r) * 1000 > quantityToMilli(enforced))
    return `${name} max limit to request ratio per ${type} is ${enforced}, but provided ratio is ${(l / r).toFixed(6)}`;
  return undefined;
}

/** Sums a pod's requests or limits as the LimitRanger does (sidecars added, the largest init container as a floor). */
function podTotal(spec: core.PodSpec, key: 'requests' | 'limits'): List {
  const sum = new Map<string, number>();
  const add = (into: Map<string, number>, l: List | undefined) => {
    for (const [k, v] of Object.entries(l ?? {})) into.set(k, (into.get(k) ?? 0) + quantityToMilli(v));
  };
  for (const c of spec.containers ?? []) add(sum, c.resources?.[key] as List);
  const sidecars = new Map<string, number>();
  const initMax = new Map<string, number>();
  for (const c of spec.initContainers ?? []) {
    let own: Map<string, number>;
    if (c.restartPolicy === 'Always') {
      add(sum, c.resources?.[key] as List);
      add(sidecars, c.resources?.[key] as List);
      own = sidecars;
    } else {
      own = new Map(sidecars);
      add(own, c.resources?.[key] as List);
    }
    for (const [k, v] of own) initMax.set(k, Math.max(initMax.get(k) ?? 0, v));
  }
  for (const [k, v] of initMax) sum.set(k, Math.max(sum.get(k) ?? 0, v));
  // Shown in messages as Kubernetes prints a summed quantity: millis below a whole unit.
  return Object.fromEntries([...sum].map(([k, v]) => [k, v % 1000 === 0 ? String(v / 1000) : `${v}m`]));
}

function checkItem(type: string, item: core.LimitRangeItem, req: List, lim: List, requestOnlyMax = false): string[] {
  const errs: Array<string | undefined> = [];
  for (const [k, v] of Object.entries((item.min ?? {}) as List)) errs.push(minError(type, k, v, req, lim));
  for (const [k, v] of Object.entries((item.max ?? {}) as List)) errs.push(maxError(type, k, v, req, lim, requestOnlyMax));
  if (!requestOnlyMax)
    for (const [k, v] of Object.entries((item.maxLimitRequestRatio ?? {}) as List)) errs.push(ratioError(type, k, v, req, lim));
  return errs.filter((e): e is string => e !== undefined);
}

/**
 * The plugin; `ranges(ns)` is a client of the namespace's LimitRanges; `cached(ns)`, when given,
 * reads them from a watch-fed cache (the LimitRange lister) and returns undefined until it is synced.
 */
export function limitRangerAdmission(
  ranges: (namespace: string) => ResourceClient<KubeObject>,
  cached?: (namespace: string) => readonly KubeObject[] | undefined,
): AdmissionPlugin {
  const itemsOf = async (ns: string): Promise<core.LimitRangeItem[]> =>
    (cached?.(ns) ?? (await ranges(ns).list()).items).flatMap(
      (lr) => ((lr as core.LimitRange).spec?.limits ?? []) as core.LimitRangeItem[],
    );
  return {
    name: 'LimitRanger',
    async mutate(request) {
      if (!isPodCreate(request)) return;
      const items = (await itemsOf(request.object.metadata.namespace ?? 'default')).filter((i) => i.type === 'Container');
      if (!items.length) return;
      const spec = (request.object.spec ?? {}) as core.PodSpec;
      for (const c of [...(spec.initContainers ?? []), ...(spec.containers ?? [])]) {
        for (const item of items) {
          const d = containerDefaults(item);
          const res = (c.resources ??= {}) as { requests?: List; limits?: List };
          for (const [k, v] of Object.entries(d.limits)) if (res.limits?.[k] === undefined) (res.limits ??= {})[k] = v;
          // A request defaults to the container's own limit first (API defaulting), then to the range's.
          for (const [k, v] of Object.entries(d.requests)) if (res.requests?.[k] === undefined) (res.requests ??= {})[k] = v;
        }
      }
    },
    async validate(request) {
      if (request.operation !== 'CREATE' || request.subresource || request.type.group !== '') return;
      const kind = request.type.kind;
      if (kind !== 'Pod' && kind !== 'PersistentVolumeClaim') return;
      const items = await itemsOf(request.object.metadata.namespace ?? 'default');
      const errs: string[] = [];
      for (const item of items) {
        if (kind === 'PersistentVolumeClaim') {
          if (item.type !== 'PersistentVolumeClaim') continue;
          const req = ((request.object.spec as core.PersistentVolumeClaimSpec | undefined)?.resources?.requests ?? {}) as List;
          errs.push(...checkItem('PersistentVolumeClaim', item, req, {}, true));
          continue;
        }
        const spec = (request.object.spec ?? {}) as core.PodSpec;
        if (item.type === 'Container') {
          for (const c of [...(spec.containers ?? []), ...(spec.initContainers ?? [])])
            errs.push(...checkItem('Container', item, (c.resources?.requests ?? {}) as List, (c.resources?.limits ?? {}) as List));
        } else if (item.type === 'Pod') {
          errs.push(...checkItem('Pod', item, podTotal(spec, 'requests'), podTotal(spec, 'limits')));
        }
      }
      if (!errs.length) return;
      const name = request.object.metadata.name ?? request.object.metadata.generateName ?? '';
      throw TugboatError.forbidden(
        `${request.type.plural} "${name}" is forbidden: ${errs.length === 1 ? errs[0] : `[${errs.join(', ')}]`}`,
        {
          kind: request.type.plural,
          name,
        },
      );
    },
  };
}
