/**
 * Object shapes of the tugboat API. The Kubernetes kinds come from `kubernetes-types`;
 * tugboat adds the required envelope (apiVersion, kind, metadata) on top.
 */
import type { ObjectMeta, OwnerReference, LabelSelector, Condition } from 'kubernetes-types/meta/v1.js';
import type * as core from 'kubernetes-types/core/v1.js';
import type * as apps from 'kubernetes-types/apps/v1.js';
import type * as batch from 'kubernetes-types/batch/v1.js';
import type * as networking from 'kubernetes-types/networking/v1.js';
import type * as discovery from 'kubernetes-types/discovery/v1.js';
import type * as storage from 'kubernetes-types/storage/v1.js';
import type * as autoscaling from 'kubernetes-types/autoscaling/v2.js';
import type * as autoscalingv1 from 'kubernetes-types/autoscaling/v1.js';
import type * as policy from 'kubernetes-types/policy/v1.js';
import type * as coordination from 'kubernetes-types/coordination/v1.js';
import type * as scheduling from 'kubernetes-types/scheduling/v1.js';
import type * as apiext from 'kubernetes-types/apiextensions/v1.js';
import type * as authentication from 'kubernetes-types/authentication/v1.js';

export type { ObjectMeta, OwnerReference, LabelSelector, Condition };

/** Any object tugboat stores: the Kubernetes envelope with an open body. */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  spec?: unknown;
  status?: unknown;
  [field: string]: unknown;
}

/** Makes a kubernetes-types shape into a stored object: envelope required, status writable. */
export type Typed<T extends { metadata?: ObjectMeta }> = Omit<T, 'apiVersion' | 'kind' | 'metadata' | 'status'> & {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
} & ('status' extends keyof T ? { status?: NonNullable<T['status']> } : unknown);

/** A Namespace. */
export type Namespace = Typed<core.Namespace>;
/** A Node: a machine (or runtime) that runs pods. */
export type Node = Typed<core.Node>;
/** A Pod: one or more containers scheduled together. */
export type Pod = Typed<core.Pod>;
/** A ConfigMap. */
export type ConfigMap = Typed<core.ConfigMap>;
/** A Secret. */
export type Secret = Typed<core.Secret>;
/** A Service. */
export type Service = Typed<core.Service>;
/** An Endpoints object (legacy endpoints). */
export type Endpoints = Typed<core.Endpoints>;
/** An EndpointSlice. */
export type EndpointSlice = Typed<discovery.EndpointSlice>;
/** A Deployment. */
export type Deployment = Typed<apps.Deployment>;
/** A ReplicaSet. */
export type ReplicaSet = Typed<apps.ReplicaSet>;
/** A ReplicationController (core/v1: the ReplicaSet's predecessor, selecting by a label map). */
export type ReplicationController = Typed<core.ReplicationController>;
/** A StatefulSet. */
export type StatefulSet = Typed<apps.StatefulSet>;
/** A DaemonSet. */
export type DaemonSet = Typed<apps.DaemonSet>;
/** A ControllerRevision (history of StatefulSets and DaemonSets). */
export type ControllerRevision = Typed<apps.ControllerRevision>;
/** A Job. */
export type Job = Typed<batch.Job>;
/** A CronJob. */
export type CronJob = Typed<batch.CronJob>;
/** An Ingress. */
export type Ingress = Typed<networking.Ingress>;
/** An IngressClass. */
export type IngressClass = Typed<networking.IngressClass>;
/** A PersistentVolume. */
export type PersistentVolume = Typed<core.PersistentVolume>;
/** A PersistentVolumeClaim. */
export type PersistentVolumeClaim = Typed<core.PersistentVolumeClaim>;
/** A StorageClass. */
export type StorageClass = Typed<storage.StorageClass>;
/** A VolumeAttachment (storage.k8s.io/v1): a volume asked to be attached to a node. */
export type VolumeAttachment = Typed<storage.VolumeAttachment>;
/** A HorizontalPodAutoscaler (autoscaling/v2). */
export type HorizontalPodAutoscaler = Typed<autoscaling.HorizontalPodAutoscaler>;
/** A PodDisruptionBudget. */
export type PodDisruptionBudget = Typed<policy.PodDisruptionBudget>;
/** A Scale (autoscaling/v1): what the scale subresource of a scalable kind reads and writes. */
export type Scale = Typed<autoscalingv1.Scale>;
/** An Eviction (policy/v1): what the pods/eviction subresource takes. */
export type Eviction = Typed<policy.Eviction>;
/** An Event (core/v1). */
export type Event = Typed<core.Event>;
/** A Lease (node heartbeats, leader election). */
export type Lease = Typed<coordination.Lease>;
/** A TokenRequest (authentication.k8s.io/v1): what the serviceaccounts/token subresource takes and answers. */
export type TokenRequest = Typed<authentication.TokenRequest>;
/** A PriorityClass. */
export type PriorityClass = Typed<scheduling.PriorityClass>;
/** A CustomResourceDefinition. */
export type CustomResourceDefinition = Typed<apiext.CustomResourceDefinition>;

export type {
  core,
  apps,
  batch,
  networking,
  discovery,
  storage,
  autoscaling,
  autoscalingv1,
  policy,
  coordination,
  scheduling,
  apiext,
  authentication,
};

/** The kind of change a watch reports. */
export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK';

/** One change seen by a watch. For BOOKMARK, `object` carries only metadata.resourceVersion. */
export interface WatchEvent<T extends KubeObject = KubeObject> {
  type: WatchEventType;
  object: T;
}

/** A page of a list: the items and the resourceVersion the list was read at. */
export interface ObjectList<T extends KubeObject = KubeObject> {
  items: T[];
  resourceVersion: string;
  /** Set when a list with a `limit` has more items: pass it as `continue` to read the next page. */
  continue?: string;
  /** How many items follow this page (set only for a paged list without selectors, as Kubernetes does). */
  remainingItemCount?: number;
}

/** The label map of an object (metadata.labels). */
export type Labels = Readonly<Record<string, string>>;

/** One cause of an Invalid error: which field, and what is wrong with it. */
export interface StatusCause {
  field: string;
  message: string;
  reason?: string;
}

/** Kubernetes' reasons for a failed request. */
export type StatusReason =
  | 'NotFound'
  | 'AlreadyExists'
  | 'Conflict'
  | 'Invalid'
  | 'Forbidden'
  | 'Unauthorized'
  | 'Expired'
  | 'BadRequest'
  | 'Gone'
  | 'Timeout'
  | 'InternalError'
  | 'MethodNotAllowed'
  | 'RequestEntityTooLarge'
  | 'TooManyRequests'
  | 'ServiceUnavailable';

/** A Kubernetes-style Status: the body of every failed request. */
export interface Status {
  apiVersion: 'v1';
  kind: 'Status';
  status: 'Failure' | 'Success';
  message: string;
  reason: StatusReason;
  code: number;
  /** For an Expired continued list: a token that reads the rest of the list at the current version. */
  metadata?: { continue?: string };
  details?: {
    name?: string;
    group?: string;
    kind?: string;
    causes?: StatusCause[];
    /** For TooManyRequests and ServiceUnavailable: when to try again. */
    retryAfterSeconds?: number;
  };
}

/** Removes `readonly` from a type's fields (kubernetes-types marks server-set fields readonly). */
export type Writable<T> = { -readonly [K in keyof T]: T[K] };

/** An object's metadata with the server-set fields writable, for code that stamps them. */
export function writableMeta(obj: { metadata: ObjectMeta }): Writable<ObjectMeta> {
  return obj.metadata as Writable<ObjectMeta>;
}
