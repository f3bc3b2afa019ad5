/**
 * The CRD registrar: serves the kinds that CustomResourceDefinitions in the store define, learnt
 * by watching the store (as the apiextensions server's CRD informer does), so every API layer on
 * one store serves the same kinds, whichever layer the CRD was written through.
 */
import type { CustomResourceDefinition, KubeObject } from '../model/types.js';
import { apiVersionOf, storeResourceOf, type ResourceType } from '../model/resource-type.js';
import { resourceTypeFromCRD } from '../model/crd.js';
import { jsonEqual } from '../model/json.js';
import type { ObjectStore } from '../store/types.js';
import { isExpired } from '../client/list-watch.js';
import type { KindRegistry } from './kind-registry.js';

/** Where CustomResourceDefinitions are stored. */
export const CRD_RESOURCE = 'apiextensions.k8s.io/customresourcedefinitions';

/** What the registrar knows of one CRD (by uid). */
interface Served {
  /** The resourceVersion of the CRD last applied. */
  rv: number;
  spec: unknown;
  /** The kind it defines; undefined when the stored CRD does not make a valid kind. */
  type: ResourceType | undefined;
  terminating: boolean;
}

/** Is this the CustomResourceDefinition kind? */
export function isCRDKind(type: Pick<ResourceType, 'group' | 'kind'>): boolean {
  return type.group === 'apiextensions.k8s.io' && type.kind === 'CustomResourceDefinition';
}

/**
 * CrdRegistrar keeps a {@link KindRegistry} in step with the CustomResourceDefinitions of a
 * store: it lists them on {@link start}, then watches them. A kind is served from the moment its
 * CRD is stored until the CRD is removed from the store (a terminating CRD's kind is still
 * served, so its objects can be deleted, but refuses creates). {@link sync} catches up with the
 * store at once (after a CRD write, or when a kind is not found), so a write of a CRD returns
 * only once its kind is served and a kind created through another API layer is found.
 */
export class CrdRegistrar {
  private readonly served = new Map<string, Served>();
  /** uid -> the resourceVersion at which a CRD was seen gone (so a late event cannot revive it). */
  private readonly removed = new Map<string, number>();
  private readonly abort = new AbortController();
  private loop: Promise<void> | undefined;

  /**
   * @param registry the kinds this API layer serves; the registrar adds and removes CRD kinds.
   * @param store where CRDs are read from.
   * @param onKind called when a kind starts being served (a new CRD, or a changed one).
   */
  constructor(
    private readonly registry: KindRegistry,
    private readonly store: ObjectStore,
    private readonly onKind: (type: ResourceType) => void = () => {},
  ) {}

  /** Serves the CRDs the store holds now, then follows their changes. */
  async start(): Promise<void> {
    if (this.loop) return;
    const rv = await this.sync();
    this.loop = this.run(rv);
  }

  /** Stops watching (the kinds served stay as they are). */
  async stop(): Promise<void> {
    this.abort.abort();
    await this.loop;
  }

  /**
   * Catches up with the store: reads every CRD and serves exactly what it finds. Returns the
   * resourceVersion it read at.
   */
  async sync(): Promise<string> {
    const list = await this.store.list({ resource: CRD_RESOURCE });
    const at = toNumber(list.resourceVersion);
    const present = new Set<string>();
    for (const crd of list.items) {
      present.add(crd.metadata.uid ?? '');
      this.put(crd);
    }
    for (const uid of [...this.served.keys()]) if (!present.has(uid)) this.remove(uid, at);
    return list.resourceVersion;
  }

  /**
   * The kind as served now (its current ResourceType, which follows updates of its CRD), or
   * undefined when this API layer does not serve it, even after catching up with the store.
   */
  async resolve(type: ResourceType): Promise<ResourceType | undefined> {
    const now = this.current(type);
    if (now) return now;
    await this.sync();
    return this.current(type);
  }

  /** The kind as served now, without catching up; undefined when not served. */
  current(type: ResourceType): ResourceType | undefined {
    return this.registry.find(apiVersionOf(type), type.kind);
  }

  /** True when the kind comes from a CRD that is being deleted (creates are refused). */
  terminating(type: ResourceType): boolean {
    for (const s of this.served.values()) if (s.type && s.type === this.current(type)) return s.terminating;
    return false;
  }

  private async run(from: string): Promise<void> {
    const signal = this.abort.signal;
    let rv = from;
    while (!signal.aborted) {
      try {
        for await (const event of this.store.watch({ resource: CRD_RESOURCE }, { resourceVersion: rv, signal })) {
          rv = event.object?.metadata?.resourceVersion || rv;
          if (event.type === 'DELETED') this.remove(event.object.metadata.uid ?? '', toNumber(rv));
          else if (event.type !== 'BOOKMARK') this.put(event.object);
        }
      } catch (err) {
        if (signal.aborted) return;
        // An expired version: relist. Anything else (a closed store): stop following;
        // sync() still catches up whenever it is asked to.
        if (!isExpired(err)) return;
        try {
          rv = await this.sync();
        } catch {
          return;
        }
      }
    }
  }

  /** Serves a stored CRD (or its newer version); older versions than the one applied are ignored. */
  private put(crd: KubeObject): void {
    const uid = crd.metadata.uid ?? '';
    const rv = toNumber(crd.metadata.resourceVersion);
    if (this.removed.has(uid)) return;
    const prev = this.served.get(uid);
    if (prev && prev.rv >= rv) return;
    const terminating = Boolean(crd.metadata.deletionTimestamp);
    if (prev && jsonEqual(prev.spec, crd.spec)) {
      this.served.set(uid, { ...prev, rv, terminating });
      return;
    }
    let type: ResourceType | undefined;
    try {
      type = resourceTypeFromCRD(crd as CustomResourceDefinition);
    } catch {
      type = undefined; // a stored CRD that does not make a kind (written before a rule tightened)
    }
    if (prev?.type) this.unregister(prev.type);
    this.served.set(uid, { rv, spec: crd.spec, type, terminating });
    if (type) {
      this.registry.add(type);
      this.onKind(type);
    }
  }

  private remove(uid: string, rv: number): void {
    const prev = this.served.get(uid);
    this.removed.set(uid, rv);
    if (!prev) return;
    this.served.delete(uid);
    if (prev.type) this.unregister(prev.type);
  }

  /** Removes a kind unless another CRD serves it by now (one deleted and made again). */
  private unregister(type: ResourceType): void {
    if (this.registry.byStoreResource(storeResourceOf(type)) === type) this.registry.remove(type);
  }
}

function toNumber(rv: string | undefined): number {
  const n = Number(rv);
  return Number.isFinite(n) ? n : 0;
}
