/**
 * The storage contract every part of tugboat reads and writes through.
 */
import type { KubeObject, ObjectList, WatchEvent } from '../model/types.js';
import type { Selector } from '../model/selector.js';
import type { FieldSelector } from '../model/field-selector.js';

/**
 * Names a resource collection in the store: `<group>/<plural>`, with `core` for the legacy
 * group, e.g. `core/pods`, `apps/deployments`, `example.com/widgets`.
 */
export type ResourceName = string;

/** Where one object lives. `namespace` is absent for cluster-scoped kinds. */
export interface ObjectKey {
  resource: ResourceName;
  namespace?: string;
  name: string;
}

/** A collection to list or watch: one resource, optionally one namespace of it. */
export interface ListScope {
  resource: ResourceName;
  namespace?: string;
}

/** Filters for list and watch. */
export interface StoreListOptions {
  labelSelector?: Selector;
  fieldSelector?: FieldSelector;
}

/**
 * Options of {@link ObjectStore.list}: the filters, and paging as Kubernetes pages (limit and
 * continue). Every page of one list is read at the first page's resourceVersion, so the pages
 * together are one consistent snapshot.
 */
export interface StoreListPageOptions extends StoreListOptions {
  /**
   * At most this many items (after the selectors); when more remain, the list carries a
   * `continue` token. 0 or absent: no limit. Not a non-negative integer: BadRequest.
   */
  limit?: number;
  /**
   * The `continue` token of the previous page. A token that is not one fails BadRequest; one
   * older than the history the store keeps fails Expired (410): start the list again.
   */
  continue?: string;
}

/** Options of {@link ObjectStore.watch}. */
export interface StoreWatchOptions extends StoreListOptions {
  /**
   * Replay changes after this resourceVersion. Absent: the watch starts with a synthetic ADDED
   * for every current object, then follows changes (Kubernetes' "get state and start").
   * A version older than the store's history makes the watch throw `Expired` (410).
   */
  resourceVersion?: string;
  /** Ends the watch (the iterator returns). */
  signal?: AbortSignal;
  /** When set, a BOOKMARK event carrying the current resourceVersion is sent this often (ms of wall time). */
  bookmarkIntervalMs?: number;
}

/** Options of {@link ObjectStore.create}. */
export interface StoreCreateOptions {
  /**
   * The caller hands `obj` over to the store: neither it nor anyone else holds a reference to
   * `obj` or to any unfrozen object reachable from it, or reads or changes them after the call,
   * whether the call succeeds or fails. The store may then stamp `obj` and freeze it in place
   * and keep it as the stored object, instead of copying it first. Frozen sub-trees (parts of
   * objects the store handed out) may be shared. `obj` must be JSON-shaped (plain objects,
   * arrays, strings, numbers, booleans, null). Without it, the store keeps a private copy and
   * the caller's object is never changed. A store may copy in either case.
   * @default false
   */
  owned?: boolean;
}

/** Conditions a delete must meet. */
export interface DeletePreconditions {
  uid?: string;
  resourceVersion?: string;
}

/**
 * ObjectStore knows how to keep versioned objects and report their changes. It stamps
 * resourceVersion (monotonic, store-wide), uid and creationTimestamp (on create), and
 * generation (1 on create, +1 when anything but metadata and status changes). Objects it hands
 * out are frozen.
 *
 * It knows nothing of kinds, defaults or validation: that is the API layer's job.
 */
export interface ObjectStore {
  /** The object at `key`, or undefined. */
  get(key: ObjectKey): Promise<KubeObject | undefined>;
  /**
   * The objects in the scope that match the selectors, in key order (namespace, then name, as
   * `namespace/name` sorts), and the version they were read at; one page of them with a `limit`.
   */
  list(scope: ListScope, options?: StoreListPageOptions): Promise<ObjectList>;
  /**
   * Stores a new object; fails AlreadyExists when the key is taken. The caller's object is
   * copied unless `options.owned` hands it over ({@link StoreCreateOptions.owned}).
   */
  create(resource: ResourceName, obj: KubeObject, options?: StoreCreateOptions): Promise<KubeObject>;
  /**
   * Replaces an object. When `obj.metadata.resourceVersion` is set it must equal the stored one,
   * else Conflict. Fails NotFound when absent.
   */
  update(resource: ResourceName, obj: KubeObject): Promise<KubeObject>;
  /** Removes an object; fails NotFound when absent, Conflict when a precondition fails. */
  delete(key: ObjectKey, preconditions?: DeletePreconditions): Promise<KubeObject>;
  /** Follows changes in a scope, in resourceVersion order. */
  watch(scope: ListScope, options?: StoreWatchOptions): AsyncIterable<WatchEvent>;
  /** The store's latest resourceVersion. */
  currentResourceVersion(): Promise<string>;
  /** Releases the store's resources; pending watches end. */
  close(): Promise<void>;
}
