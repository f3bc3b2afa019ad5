/**
 * The cloud-provider contract, as Kubernetes' cloud-provider interface (k8s.io/cloud-provider):
 * one object with optional parts, each driven by its own controller, so a provider implements
 * only what its cloud offers. Give one to `Cluster.start({ cloudProvider })`.
 */
import type { core, PersistentVolume, PersistentVolumeClaim, Service, StorageClass } from '../model/types.js';
import type { ContainerRuntime } from '../runtime-adapters/types.js';

/** A cloud provider: a name and the parts its cloud offers. */
export interface CloudProvider {
  /** The provider's name (in Events and the status ConfigMap). */
  readonly name: string;
  /** Load balancers for Services of type LoadBalancer (Kubernetes' `LoadBalancer` interface). */
  readonly loadBalancers?: LoadBalancerProvider;
  /** Dynamic provisioning of PersistentVolumes for the StorageClasses it serves (the persistentvolume controller drives it). */
  readonly volumes?: VolumeProvider;
  /** Groups of machines the cluster autoscaler grows and shrinks (cluster-autoscaler's `CloudProvider`). */
  readonly nodeGroups?: NodeGroupProvider;
  /**
   * Called once by the cluster when it starts, before any part is used: what the provider may
   * do to the cluster (add and remove nodes). Optional.
   */
  attach?(host: CloudHost): void | Promise<void>;
  /** Called once when the cluster stops: release what the provider holds (listeners, nodes). Optional. */
  detach?(): void | Promise<void>;
}

/** What a cluster offers a provider in {@link CloudProvider.attach}. */
export interface CloudHost {
  /** The cluster's name (Kubernetes' clusterName argument). */
  readonly clusterName: string;
  /** Starts a node (its agent registers the Node). */
  addNode(spec: CloudNodeSpec): Promise<void>;
  /** Stops a node: its containers are removed and its Node deleted. */
  removeNode(name: string): Promise<void>;
}

/** A node a provider starts: as `cluster.addNode`'s spec. */
export interface CloudNodeSpec {
  name: string;
  runtime: ContainerRuntime;
  capacity?: Record<string, string>;
  allocatable?: Record<string, string>;
  labels?: Record<string, string>;
  taints?: core.Taint[];
}

// ---- load balancers ----

/** A backend of one Service port: a Ready endpoint's address and target port. */
export interface LoadBalancerEndpoint {
  ip: string;
  port: number;
  /** The node the endpoint's pod runs on. */
  nodeName?: string;
}

/** One port of a balanced Service and where its traffic may go. */
export interface LoadBalancerPort {
  name?: string;
  protocol: 'TCP' | 'UDP' | 'SCTP';
  /** The Service port the balancer listens on. */
  port: number;
  /** The node port, absent when `allocateLoadBalancerNodePorts` is false. */
  nodePort?: number;
  /** The Ready endpoints behind this port (a provider may forward straight to them). */
  endpoints: LoadBalancerEndpoint[];
}

/** A node a balancer may send traffic to (at its node ports). */
export interface LoadBalancerNode {
  name: string;
  /** The node's InternalIP (or first) address, when it has one. */
  address?: string;
}

/** What a balancer should look like: the Service, its ports with endpoints, and the Ready nodes. */
export interface LoadBalancerRequest {
  clusterName: string;
  service: Service;
  ports: LoadBalancerPort[];
  nodes: LoadBalancerNode[];
}

/**
 * LoadBalancerProvider knows how to make, update and release a cloud load balancer for a
 * Service (Kubernetes' `cloudprovider.LoadBalancer`). Calls are idempotent; a thrown error is
 * retried by the service controller with back-off and recorded as a Warning Event.
 */
export interface LoadBalancerProvider {
  /**
   * The `spec.loadBalancerClass` values this provider serves. A Service with another class is
   * left alone (another controller owns it). A Service with no class is served unless
   * `serveDefaultClass` is false.
   */
  readonly classes?: readonly string[];
  /** Whether Services without a loadBalancerClass are served. @default true */
  readonly serveDefaultClass?: boolean;
  /** The balancer's status, or undefined when it does not exist. */
  get(clusterName: string, service: Service): Promise<core.LoadBalancerStatus | undefined>;
  /** Creates or updates the balancer to match the request; returns its status (ingress addresses). */
  ensure(request: LoadBalancerRequest): Promise<core.LoadBalancerStatus>;
  /** Releases the balancer; succeeds when it does not exist. */
  delete(clusterName: string, service: Service): Promise<void>;
}

// ---- node groups ----

/** What a node of a group looks like before it exists: the scale-up simulation's template node. */
export interface NodeTemplate {
  /** @default { cpu: '4', memory: '8Gi', pods: '110' } */
  capacity?: Record<string, string>;
  /** @default the capacity */
  allocatable?: Record<string, string>;
  labels?: Record<string, string>;
  taints?: core.Taint[];
}

/** A group of identical machines (an auto-scaling group, a managed instance group). */
export interface NodeGroup {
  /** The group's id, unique in its provider. */
  id: string;
  minSize: number;
  maxSize: number;
  template: NodeTemplate;
}

/**
 * NodeGroupProvider knows the cloud's node groups and how to grow and shrink them
 * (cluster-autoscaler's `CloudProvider` and `NodeGroup`).
 */
export interface NodeGroupProvider {
  /** The groups the autoscaler may act on. */
  groups(): Promise<NodeGroup[]>;
  /** The group's wanted size (nodes asked for, registered or not). */
  targetSize(groupId: string): Promise<number>;
  /** The names of the group's nodes (registered or coming). */
  nodes(groupId: string): Promise<string[]>;
  /** Asks for `delta` more nodes (delta > 0, within maxSize). */
  increaseSize(groupId: string, delta: number): Promise<void>;
  /** Removes these nodes of the group (drained first by the autoscaler), lowering its size. */
  deleteNodes(groupId: string, nodeNames: string[]): Promise<void>;
}

// ---- volumes ----

/** What a provisioner is asked to make: a volume for one claim of one StorageClass. */
export interface ProvisionRequest {
  /** The name the PersistentVolume will have (`pvc-<claim uid>`, as Kubernetes names them). */
  volumeName: string;
  claim: PersistentVolumeClaim;
  storageClass: StorageClass;
  /** The node the claim's first pod was placed on (WaitForFirstConsumer), if known. */
  selectedNode?: string;
}

/**
 * What a provisioner made: the volume source and (when the volume lives on one node) the node
 * affinity of the PersistentVolume the controller creates for it.
 */
export interface ProvisionedVolume {
  /** The source fields of the PersistentVolume spec (e.g. `{ hostPath: { path } }`). */
  source: Pick<core.PersistentVolumeSpec, 'hostPath' | 'local' | 'csi'>;
  nodeAffinity?: core.VolumeNodeAffinity;
}

/**
 * VolumeProvider knows how to provision and delete the volumes of the StorageClasses whose
 * `provisioner` it names (Kubernetes' external provisioners). The persistentvolume controller
 * calls it; a thrown error leaves the claim Pending and is retried with back-off.
 */
export interface VolumeProvider {
  /** The provisioner names it serves (StorageClass.provisioner). */
  readonly provisioners: readonly string[];
  /** Creates the volume for a claim. */
  provision(request: ProvisionRequest): Promise<ProvisionedVolume>;
  /** Deletes a volume it provisioned (reclaimPolicy Delete); its data is gone. */
  delete(volume: PersistentVolume): Promise<void>;
  /**
   * Grows a volume it provisioned to at least `size` (a quantity such as '2Gi'): a claim of a
   * class with `allowVolumeExpansion` asked for more (the external-resizer's ControllerExpandVolume).
   * Optional: without it, such claims wait with an ExternalExpanding event.
   */
  expand?(volume: PersistentVolume, size: string): Promise<ExpandedVolume>;
  /**
   * Makes a volume it provisioned usable on a node before a pod there mounts it (the CSI
   * ControllerPublishVolume an attach-detach controller asks for through a VolumeAttachment).
   * Optional: a provider without it has volumes that need no attaching. Idempotent.
   */
  attach?(volume: PersistentVolume, nodeName: string): Promise<void>;
  /** Undoes `attach` once no pod on the node uses the volume. Idempotent. */
  detach?(volume: PersistentVolume, nodeName: string): Promise<void>;
}

/** What {@link VolumeProvider.expand} made. */
export interface ExpandedVolume {
  /** The volume's size now (at least the one asked for). */
  capacity: string;
  /**
   * The file system on the node must still be grown (the claim shows FileSystemResizePending
   * until the node agent finishes it for a pod using the claim). @default false
   */
  nodeExpansionRequired?: boolean;
}

/** The annotation that makes a StorageClass the default one. */
export const DEFAULT_STORAGE_CLASS_ANNOTATION = 'storageclass.kubernetes.io/is-default-class';
