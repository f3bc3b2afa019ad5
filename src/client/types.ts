/**
 * The typed client contract: what controllers, the scheduler and node agents use to read and
 * write objects, and what users get from `cluster.client(...)`.
 */
import type { KubeObject, LabelSelector, ObjectList, Pod, Scale, TokenRequest, WatchEvent } from '../model/types.js';
import type { Selector } from '../model/selector.js';
import type { FieldSelector } from '../model/field-selector.js';
import type { ResourceType } from '../model/resource-type.js';
import type { KindRef } from './kinds.js';

/** Filters of list and watch: strings in Kubernetes' syntax or parsed selectors. */
export interface ListOptions {
  labelSelector?: string | LabelSelector | Selector;
  fieldSelector?: string | FieldSelector;
  /** List: at most this many items; the list then carries `continue` when more remain (watch ignores it). */
  limit?: number;
  /** List: the `continue` token of the previous page; every page is read at the first page's resourceVersion (watch ignores it). */
  continue?: string;
}

/** Options of {@link ResourceClient.watch}. */
export interface WatchOptions extends ListOptions {
  /** Resume after this version; absent starts with the current objects as ADDED events. */
  resourceVersion?: string;
  /** Ends the watch. */
  signal?: AbortSignal;
}

/** How a patch is interpreted. */
export type PatchType = 'merge' | 'strategic' | 'json';

/** Kubernetes' deletion propagation policies. */
export type PropagationPolicy = 'Background' | 'Foreground' | 'Orphan';

/** Options of {@link ResourceClient.delete}. */
export interface DeleteOptions {
  /** @default 'Background' (Orphan for ReplicationControllers in Kubernetes; here always Background) */
  propagationPolicy?: PropagationPolicy;
  preconditions?: { uid?: string; resourceVersion?: string };
  /** For pods: how long to let containers stop; 0 deletes at once. */
  gracePeriodSeconds?: number;
}

/**
 * What a write does with fields the kind's schema lacks (unknown, or given twice in a
 * manifest's text), as Kubernetes' `fieldValidation`: `Warn` drops them with a warning each,
 * `Strict` rejects the write (BadRequest naming them), `Ignore` drops them silently.
 */
export type FieldValidation = 'Strict' | 'Warn' | 'Ignore';

/** Options of writes. */
export interface WriteOptions {
  /** Unknown and duplicate fields: warn and drop, reject, or drop silently. @default 'Warn' */
  fieldValidation?: FieldValidation;
  /** Validate and default, but store nothing. */
  dryRun?: boolean;
  /**
   * Who writes: the write records a managedFields `Update` entry for this manager owning the fields it
   * added or changed (as kube-apiserver). Without one, none is recorded and the stored entries stay.
   */
  fieldManager?: string;
  /** When given, the write's warnings (unknown or unimplemented fields) are pushed here too. */
  warnings?: string[];
}

/**
 * ResourceClient knows how to read and write one kind of object, bound to one namespace for
 * namespaced kinds.
 */
export interface ResourceClient<T extends KubeObject = KubeObject> {
  readonly type: ResourceType;
  /** The namespace this client is bound to; undefined for cluster-scoped kinds or all namespaces. */
  readonly namespace: string | undefined;
  /** The object, or a NotFound TugboatError. */
  get(name: string): Promise<T>;
  /** The object, or undefined. */
  find(name: string): Promise<T | undefined>;
  /** The objects matching the selectors, and the resourceVersion the list was read at. */
  list(options?: ListOptions): Promise<ObjectList<T>>;
  /** Follows changes (ADDED, MODIFIED, DELETED, BOOKMARK) in resourceVersion order; break out of the loop or abort to stop. */
  watch(options?: WatchOptions): AsyncIterable<WatchEvent<T>>;
  /** Creates an object; fails AlreadyExists, Invalid (naming each bad field) or NotFound (missing namespace). */
  create(obj: T | Omit<T, 'apiVersion' | 'kind'>, options?: WriteOptions): Promise<T>;
  /** Replaces spec and metadata; status is kept (kinds with a status subresource). */
  update(obj: T, options?: WriteOptions): Promise<T>;
  /** Patches spec and metadata. */
  patch(name: string, patch: unknown, type?: PatchType, options?: WriteOptions): Promise<T>;
  /** Replaces status only. */
  updateStatus(obj: T, options?: WriteOptions): Promise<T>;
  /** Patches status only. */
  patchStatus(name: string, patch: unknown, type?: PatchType): Promise<T>;
  /** Deletes; returns the object as last stored (with deletionTimestamp when finalizers hold it). */
  delete(name: string, options?: DeleteOptions): Promise<T>;
  /**
   * The object's Scale (autoscaling/v1), for kinds with a scale subresource (Deployment,
   * ReplicaSet, StatefulSet, ReplicationController, CRDs declaring `subresources.scale`);
   * NotFound for other kinds.
   */
  getScale(name: string): Promise<Scale>;
  /**
   * Sets the object's replicas through its scale subresource; a `metadata.resourceVersion` in
   * `scale` must match the object's (Conflict otherwise). Returns the new Scale.
   */
  updateScale(name: string, scale: Pick<Scale, 'spec'> & { metadata?: Scale['metadata'] }, options?: WriteOptions): Promise<Scale>;
}

/** Options of {@link PodClient.evict}: Kubernetes' Eviction deleteOptions and dryRun. */
export interface EvictOptions {
  /** How the evicted pod is deleted (grace period, preconditions). */
  deleteOptions?: DeleteOptions;
  /** Check the budgets and report what would happen; change nothing. */
  dryRun?: boolean;
}

/** The ResourceClient of Pods, with the pods/eviction subresource. */
export interface PodClient extends ResourceClient<Pod> {
  /**
   * Evicts a pod (POST pods/eviction), as kube-apiserver does: the pod is deleted unless a
   * PodDisruptionBudget covering it allows no disruption now, which fails TooManyRequests (429).
   */
  evict(name: string, options?: EvictOptions): Promise<void>;
}

/** What {@link ApiContext.evictPod} evicts. */
export interface PodEviction extends EvictOptions {
  namespace: string;
  name: string;
}

/** `''` as a namespace: a client over all namespaces (list and watch only). */
export const ALL_NAMESPACES = '';

/** Records Kubernetes Events about objects. */
export interface EventRecorder {
  /** Records (or bumps the count of) an Event about `regarding`. Never throws. */
  record(regarding: KubeObject, type: 'Normal' | 'Warning', reason: string, message: string, component?: string): Promise<void>;
}

/**
 * What every component (controller, scheduler, node agent) is handed: clients for any kind,
 * the clock, an event recorder. Components read and write through it and nothing else.
 */
export interface ApiContext {
  /**
   * A client for a kind, typed by its reference: `ctx.client(kinds.Deployment, 'web')` is a
   * `ResourceClient<Deployment>`. For namespaced kinds `namespace` defaults to 'default'; pass
   * {@link ALL_NAMESPACES} to list or watch across namespaces.
   */
  client<T extends KubeObject>(ref: KindRef<T>, namespace?: string): ResourceClient<T>;
  /**
   * A client for a kind named by apiVersion and kind (a CRD's, say). For namespaced kinds
   * `namespace` defaults to 'default'; pass {@link ALL_NAMESPACES} to list or watch across
   * namespaces.
   */
  client<T extends KubeObject = KubeObject>(apiVersion: string, kind: string, namespace?: string): ResourceClient<T>;
  /**
   * Discovery: every kind the API serves now, built-in and from CustomResourceDefinitions (as
   * `kubectl api-resources`), each group's preferred version first; a kind served at several
   * versions is listed at each. Components that act on every kind (the garbage collector, the
   * namespace controller) read it through `preferredKinds`, and watch CustomResourceDefinitions to
   * learn of new ones.
   */
  discover(): Promise<ResourceType[]>;
  readonly clock: import('../clock/types.js').Clock;
  readonly events: EventRecorder;
  /**
   * Binds a pod to a node, as Kubernetes' pods/binding subresource: sets spec.nodeName (only when
   * unset; Conflict otherwise) and the PodScheduled=True condition, in one write.
   */
  bindPod(binding: PodBinding): Promise<import('../model/types.js').Pod>;
  /**
   * Evicts a pod, as Kubernetes' pods/eviction subresource: deletes it when every
   * PodDisruptionBudget covering it allows (recording the disruption in the budget's status),
   * fails TooManyRequests (429) when one forbids it.
   */
  evictPod(eviction: PodEviction): Promise<void>;
  /**
   * Issues a token of a ServiceAccount, as Kubernetes' serviceaccounts/token subresource
   * (`kubectl create token`, the kubelet's projected token volumes): a signed JWT the API server
   * authenticates as `system:serviceaccount:NS:NAME` until it expires, or until the ServiceAccount
   * or the object it is bound to is deleted. Answers the TokenRequest with `status.token` and
   * `status.expirationTimestamp`.
   */
  createToken(request: ServiceAccountTokenRequest): Promise<TokenRequest>;
}

/** What {@link ApiContext.createToken} asks for: a ServiceAccount and a TokenRequest's spec. */
export interface ServiceAccountTokenRequest {
  namespace: string;
  /** The ServiceAccount's name. */
  serviceAccount: string;
  /** Who the token is meant for (`aud`). @default the API server's own audience */
  audiences?: string[];
  /** How long the token is valid; at least 600. @default 3600 */
  expirationSeconds?: number;
  /** A Pod or Secret of the namespace the token is bound to: it stops authenticating once that object is gone. */
  boundObjectRef?: BoundObjectRef;
}

/** The object a token is bound to (a TokenRequest's spec.boundObjectRef). */
export interface BoundObjectRef {
  /** @default 'v1' */
  apiVersion?: string;
  /** `Pod` or `Secret`. */
  kind: string;
  name: string;
  /** When set, must be the object's uid (Conflict otherwise). */
  uid?: string;
}

/** What {@link ApiContext.bindPod} binds: a pod (optionally pinned by uid) to a node. */
export interface PodBinding {
  namespace: string;
  name: string;
  nodeName: string;
  /** When set, the binding fails Conflict if the pod's uid differs (it was replaced). */
  uid?: string;
}
