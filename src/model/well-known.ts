/**
 * Well-known names Kubernetes gives meaning to: finalizers, labels, annotations, taints and
 * namespaces that several parts of tugboat (or its users) read or write. One definition each;
 * the values are Kubernetes' own, so objects move between tugboat and Kubernetes unchanged.
 */

// Finalizers

/** Finalizer that holds an owner until its blocking dependents are gone (Foreground deletion). */
export const FOREGROUND_FINALIZER = 'foregroundDeletion';
/** Finalizer that makes the garbage collector orphan dependents (Orphan deletion). */
export const ORPHAN_FINALIZER = 'orphan';
/** The namespace finalizer in spec.finalizers, removed once a namespace is empty. */
export const NAMESPACE_FINALIZER = 'kubernetes';

// Labels

/** Node label: the node's hostname (the usual topologyKey for spreading over nodes). */
export const LABEL_HOSTNAME = 'kubernetes.io/hostname';
/** Node label: the node's operating system (`linux`). */
export const LABEL_OS = 'kubernetes.io/os';
/** Node label: the node's CPU architecture (`amd64`, `arm64`). */
export const LABEL_ARCH = 'kubernetes.io/arch';
/** Node label: the deprecated beta form of {@link LABEL_OS}, still set by kubelets. */
export const LABEL_OS_BETA = 'beta.kubernetes.io/os';
/** Node label: the deprecated beta form of {@link LABEL_ARCH}, still set by kubelets. */
export const LABEL_ARCH_BETA = 'beta.kubernetes.io/arch';
/** Namespace label set to the namespace's own name, so selectors can pick namespaces by name. */
export const LABEL_METADATA_NAME = 'kubernetes.io/metadata.name';
/**
 * The label (on a ReplicaSet's selector, template and pods) that tells a Deployment's
 * ReplicaSets apart: the hash of the pod template (Kubernetes' DefaultDeploymentUniqueLabelKey).
 */
export const POD_TEMPLATE_HASH_LABEL = 'pod-template-hash';
/** The label naming the ControllerRevision a StatefulSet's or DaemonSet's pod was made from. */
export const CONTROLLER_REVISION_HASH_LABEL = 'controller-revision-hash';
/** The label carrying the template generation of the DaemonSet a pod was made from. */
export const POD_TEMPLATE_GENERATION_LABEL = 'pod-template-generation';

// Annotations

/** The revision of a Deployment and of each of its ReplicaSets. */
export const REVISION_ANNOTATION = 'deployment.kubernetes.io/revision';
/** The earlier revisions a ReplicaSet had (comma-separated), when an old template came back. */
export const REVISION_HISTORY_ANNOTATION = 'deployment.kubernetes.io/revision-history';
/** On a ReplicaSet: its Deployment's replicas when it was last scaled. */
export const DESIRED_REPLICAS_ANNOTATION = 'deployment.kubernetes.io/desired-replicas';
/** On a ReplicaSet: its Deployment's replicas + maxSurge when it was last scaled. */
export const MAX_REPLICAS_ANNOTATION = 'deployment.kubernetes.io/max-replicas';
/** The annotation the removed `rollback` subresource used; never copied to ReplicaSets. */
export const DEPRECATED_ROLLBACK_TO_ANNOTATION = 'deprecated.deployment.rollback.to';
/** The annotation where apply keeps the configuration it last applied (as kubectl does). */
export const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';
/** The pod-template annotation a restart sets to the time, as `kubectl rollout restart`. */
export const RESTARTED_AT_ANNOTATION = 'kubectl.kubernetes.io/restartedAt';
/** The annotation kubectl reads a revision's change cause from. */
export const CHANGE_CAUSE_ANNOTATION = 'kubernetes.io/change-cause';
/** The pod annotation that lowers (or raises) the cost of deleting it when its ReplicaSet scales down. */
export const POD_DELETION_COST_ANNOTATION = 'controller.kubernetes.io/pod-deletion-cost';

/**
 * On a DaemonSet: its template generation, 1 on create and +1 each time spec.template changes
 * (Kubernetes' DaemonSet strategy keeps it; pods carry it as {@link POD_TEMPLATE_GENERATION_LABEL}).
 */
export const DAEMONSET_TEMPLATE_GENERATION_ANNOTATION = 'deprecated.daemonset.template.generation';

// Taints

/** Taint of a node whose Ready condition is False. */
export const TAINT_NODE_NOT_READY = 'node.kubernetes.io/not-ready';
/** Taint of a node whose Ready condition is Unknown (heartbeats stopped). */
export const TAINT_NODE_UNREACHABLE = 'node.kubernetes.io/unreachable';
/** Taint of a cordoned node (spec.unschedulable). */
export const TAINT_NODE_UNSCHEDULABLE = 'node.kubernetes.io/unschedulable';
/** Taint of a node under memory pressure. */
export const TAINT_NODE_MEMORY_PRESSURE = 'node.kubernetes.io/memory-pressure';
/** Taint of a node under disk pressure. */
export const TAINT_NODE_DISK_PRESSURE = 'node.kubernetes.io/disk-pressure';
/** Taint of a node running out of process ids. */
export const TAINT_NODE_PID_PRESSURE = 'node.kubernetes.io/pid-pressure';
/** Taint of a node whose network is not configured. */
export const TAINT_NODE_NETWORK_UNAVAILABLE = 'node.kubernetes.io/network-unavailable';

// Namespaces

/** The namespace of the nodes' heartbeat Leases. */
export const NODE_LEASE_NAMESPACE = 'kube-node-lease';

// Volumes

/** The annotation naming the provisioner that made a PersistentVolume (its deleter, resizer and attacher). */
export const PROVISIONED_BY_ANNOTATION = 'pv.kubernetes.io/provisioned-by';
/** Set ('true') on PersistentVolumes whose provider attaches volumes to nodes (what a CSIDriver's attachRequired says). */
export const ATTACH_REQUIRED_ANNOTATION = 'tugboat.dev/attach-required';
/** The provisioner of tugboat's local volumes (the default StorageClass `standard`), and the CSI driver of its Docker named volumes. */
export const LOCAL_PROVISIONER = 'tugboat.dev/local-path';

/**
 * Annotation of the kube-system Namespace holding the cluster's runtime identity
 * (`{"cluster":"<name>","instance":"<id>"}`), so a control plane restarted on the same store
 * resumes it and adopts its containers (src/cluster/cluster-identity.ts).
 */
export const RUNTIME_INSTANCE_ANNOTATION = 'tugboat.dev/runtime-instance';

// Service accounts

/** The issuer (`iss`) of the cluster's service-account tokens, and the API's audience (kube-apiserver's usual `--service-account-issuer`). */
export const SERVICE_ACCOUNT_ISSUER = 'https://kubernetes.default.svc.cluster.local';
/** Where the ServiceAccount admission mounts the API access volume in every container. */
export const SERVICE_ACCOUNT_MOUNT_PATH = '/var/run/secrets/kubernetes.io/serviceaccount';
/** The name prefix of the projected API access volume the ServiceAccount admission adds (5 random characters follow). */
export const API_ACCESS_VOLUME_PREFIX = 'kube-api-access-';
/** The ConfigMap of every namespace holding the API server's CA bundle (key `ca.crt`), kept by the root-ca-cert-publisher. */
export const ROOT_CA_CONFIG_MAP = 'kube-root-ca.crt';
/** The annotation Kubernetes describes an object with (on {@link ROOT_CA_CONFIG_MAP}). */
export const DESCRIPTION_ANNOTATION = 'kubernetes.io/description';
/**
 * The kube-system Secret holding the RSA key the cluster signs service-account tokens with
 * (made at the first start), so a restarted control plane and every API server on the store
 * accept the same tokens.
 */
export const SERVICE_ACCOUNT_KEY_SECRET = 'tugboat-service-account-key';

/**
 * The kube-system Secret where `tugboat apiserver` keeps the cluster's CA (certificate and key)
 * and the admin token, as kubeadm keeps /etc/kubernetes/pki: a restarted API server (or another
 * on the same store) serves with the same CA, so kubeconfigs and client certificates issued
 * before stay valid.
 */
export const CLUSTER_PKI_SECRET = 'tugboat-cluster-pki';
/**
 * The kube-system ConfigMap (key `ca.crt`) where `cluster.serve()` publishes the CA of its serving
 * certificate, for the root-ca-cert-publisher to copy into every namespace's {@link ROOT_CA_CONFIG_MAP}.
 */
export const SERVING_CA_CONFIG_MAP = 'tugboat-serving-ca';

// HorizontalPodAutoscaler round trips through autoscaling/v1

/** On an autoscaling/v1 HPA: its metrics v1 has no field for (all but a cpu utilization target), as JSON. */
export const HPA_METRICS_ANNOTATION = 'autoscaling.alpha.kubernetes.io/metrics';
/** On an autoscaling/v1 HPA: its status.currentMetrics, as JSON. */
export const HPA_CURRENT_METRICS_ANNOTATION = 'autoscaling.alpha.kubernetes.io/current-metrics';
/** On an autoscaling/v1 HPA: its status.conditions, as JSON. */
export const HPA_CONDITIONS_ANNOTATION = 'autoscaling.alpha.kubernetes.io/conditions';
/** On an autoscaling/v1 HPA: its spec.behavior, as JSON (Go's field names, as Kubernetes writes it). */
export const HPA_BEHAVIOR_ANNOTATION = 'autoscaling.alpha.kubernetes.io/behavior';
