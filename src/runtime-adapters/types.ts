/**
 * The container runtime contract (CRI-shaped). A node agent drives pods through it; Docker,
 * containerd, local processes and the mock implement it. Nothing runtime-specific
 * (no dockerode type) appears here.
 */

import type { ContainerStreams } from '../streams/types.js';
import type { ReclaimOptions, RuntimeInstance } from './instance.js';

// The streams of an exec or attach: one shape with what server/ carries (src/streams/types.ts).
export type { ContainerStreams, TerminalSize } from '../streams/types.js';

/** When to pull an image: Kubernetes' imagePullPolicy. */
export type PullPolicy = 'Always' | 'IfNotPresent' | 'Never';

/** Labels tugboat puts on every sandbox and container it makes, to find them again. */
export const RUNTIME_LABELS = {
  cluster: 'io.tugboat.cluster',
  node: 'io.tugboat.node',
  podUid: 'io.tugboat.pod.uid',
  namespace: 'io.tugboat.pod.namespace',
  podName: 'io.tugboat.pod.name',
  container: 'io.tugboat.container.name',
  /** 'sandbox' or 'container' */
  role: 'io.tugboat.role',
  /** restart count of this container instance (an attempt number) */
  attempt: 'io.tugboat.container.attempt',
  /** The id of the running cluster instance that made the object (see RuntimeInstance). */
  instance: 'io.tugboat.instance',
  /** The owner of that instance as JSON (host, boot id, pid namespace, pid, start time, record file): how others tell it is gone. */
  owner: 'io.tugboat.owner',
} as const;

/** A port to publish on the host. */
export interface PortMapping {
  containerPort: number;
  hostPort?: number;
  hostIP?: string;
  protocol?: 'TCP' | 'UDP' | 'SCTP';
}

/** What a pod sandbox (the shared network namespace of a pod) needs. */
export interface SandboxConfig {
  podUid: string;
  namespace: string;
  podName: string;
  hostname: string;
  /** Labels to put on the sandbox, including the RUNTIME_LABELS ones. */
  labels: Record<string, string>;
  ports: PortMapping[];
  /** Use the host's network namespace (pod.spec.hostNetwork). */
  hostNetwork?: boolean;
  /** The pod's resolver settings (resolv.conf), as the node agent worked them out; absent: the runtime's default. */
  dns?: SandboxDNS;
}

/**
 * A pod's resolv.conf, as the kubelet writes it from dnsPolicy and dnsConfig. With
 * `clusterDNS`, the runtime puts its cluster's DNS server (see {@link PodNetwork}) before
 * `nameservers`; a runtime without one uses its default servers there.
 */
export interface SandboxDNS {
  /** Put the cluster's DNS server first (dnsPolicy ClusterFirst). */
  clusterDNS: boolean;
  nameservers: string[];
  searches: string[];
  /** resolv.conf options, `ndots:5` style. */
  options: string[];
}

/**
 * A runtime's pod network on this host, where a cluster's DNS server and Service proxy serve
 * its pods: the address pods reach the host at (their gateway), and the host interface their
 * traffic arrives on (Docker: the cluster's bridge).
 */
export interface PodNetwork {
  /** Unique per network on this host (Docker: the network id). */
  id: string;
  /** The host's address on the network: pods' default gateway. */
  gateway: string;
  /** The host interface of the network (Docker: `br-<id>`). */
  interface: string;
}

/** A running (or stopped) sandbox. */
export interface SandboxStatus {
  id: string;
  /** The pod IP; empty when the runtime gives no address. */
  ip: string;
  state: 'ready' | 'notready';
  labels: Record<string, string>;
  createdAt: Date;
  /**
   * When the sandbox (its network namespace) was last started, where the runtime knows it. A
   * node agent that sees it change (a sandbox restarted under it) treats the sandbox as
   * changed: the pod's containers sit in a dead namespace and are recreated with a new sandbox.
   */
  startedAt?: Date;
}

/** A file or directory mounted into a container. */
export type Mount =
  | { kind: 'emptyDir'; volume: string; containerPath: string; readOnly?: boolean; medium?: 'Memory' | '' }
  | { kind: 'hostPath'; hostPath: string; containerPath: string; readOnly?: boolean }
  | {
      /** A named volume of the runtime (a Docker named volume) that {@link ContainerRuntime.createVolume} made. */
      kind: 'volume';
      name: string;
      containerPath: string;
      readOnly?: boolean;
      /** Mount only this folder of the volume (a volumeMount's subPath; made when missing). */
      subPath?: string;
    }
  | {
      /**
       * ConfigMap and Secret volumes: the files to materialise (name -> content), in the atomic
       * writer's layout (`..data`). A single key '' means `containerPath` is that one file
       * (a subPath naming one key), mounted as a file.
       */
      kind: 'files';
      volume: string;
      containerPath: string;
      files: Record<string, Uint8Array>;
      readOnly?: boolean;
      /** The mode of every file (the volume's defaultMode). @default 0o644 */
      mode?: number;
      /** Per-file modes (items[].mode), by the same keys as `files`; win over `mode`. */
      modes?: Record<string, number>;
    };

/** A ConfigMap/Secret/downward API/projected volume's files mount (what {@link ContainerRuntime.updateFiles} rewrites). */
export type FilesMount = Extract<Mount, { kind: 'files' }>;

/** Linux security settings of a container (pod.spec.containers[].securityContext). */
export interface SecuritySettings {
  runAsUser?: number;
  runAsGroup?: number;
  readOnlyRootFilesystem?: boolean;
  privileged?: boolean;
  capabilitiesAdd?: string[];
  capabilitiesDrop?: string[];
}

/** Everything needed to create one container of a pod. */
export interface ContainerConfig {
  name: string;
  image: string;
  /** Entrypoint override (Kubernetes `command`). */
  command?: string[];
  /** Arguments (Kubernetes `args`). */
  args?: string[];
  env: Record<string, string>;
  workingDir?: string;
  mounts: Mount[];
  ports: PortMapping[];
  /** Limits: cpu in millicores, memory in bytes. */
  resources: { cpuMillis?: number; memoryBytes?: number };
  security?: SecuritySettings;
  /** Give the main process a terminal (pod spec `tty`). */
  tty?: boolean;
  /** Keep the main process's stdin open for {@link ContainerRuntime.attach} (pod spec `stdin`). */
  stdin?: boolean;
  /** Close the main process's stdin when the first attached client closes its stdin (pod spec `stdinOnce`). */
  stdinOnce?: boolean;
  /** Labels to put on the container, including the RUNTIME_LABELS ones. */
  labels: Record<string, string>;
}

/** The state of one container as the runtime sees it. */
export interface ContainerStatus {
  id: string;
  sandboxId: string;
  name: string;
  image: string;
  /** The image's id (digest), when known. */
  imageId?: string;
  state: 'created' | 'running' | 'exited' | 'unknown';
  exitCode?: number;
  /** Why it exited: 'OOMKilled', 'Error', 'Completed'. */
  reason?: string;
  createdAt: Date;
  startedAt?: Date;
  finishedAt?: Date;
  labels: Record<string, string>;
}

/** A change the runtime reports without being asked. */
export interface RuntimeEvent {
  type: 'start' | 'exit' | 'oom' | 'remove';
  containerId: string;
  labels: Record<string, string>;
  exitCode?: number;
  at: Date;
}

/** Options of {@link ContainerRuntime.logs}. */
export interface LogOptions {
  follow?: boolean;
  /** Only the last N lines. */
  tail?: number;
  timestamps?: boolean;
  signal?: AbortSignal;
}

/** One line of a container's output. */
export interface LogLine {
  stream: 'stdout' | 'stderr';
  line: string;
  time?: Date;
}

/** The result of running a command in a container. */
export interface ExecResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** What an interactive exec or an attach connects to. */
export interface StreamOptions {
  /** Connect the client's input to the process's stdin. */
  stdin: boolean;
  /** Run the command on a terminal (exec), or expect the container's terminal (attach): output is one raw stream. */
  tty: boolean;
}

/** Resource usage of one container. */
export interface ContainerStats {
  cpuMillis: number;
  memoryBytes: number;
  at: Date;
}

/** What a probe checks (pod.spec.containers[].livenessProbe etc., resolved to numbers). */
export type ProbeAction =
  | { type: 'exec'; command: string[] }
  | { type: 'http'; port: number; path: string; host?: string; scheme?: 'HTTP' | 'HTTPS'; headers?: Record<string, string> }
  | { type: 'tcp'; port: number; host?: string };

/** The outcome of one probe run. */
export interface ProbeOutcome {
  result: 'success' | 'failure';
  message?: string;
}

/** What a node agent tells its runtime when it starts using it. */
export interface RuntimeBinding {
  /** The cluster's clock: a mock runtime follows it. */
  clock: import('../clock/types.js').Clock;
  /** The cluster's name, as put in the RUNTIME_LABELS.cluster label. */
  clusterName: string;
  nodeName: string;
  /**
   * The running cluster's identity. A runtime stamps its labels on what it makes for itself
   * (networks, volumes, state folders) and uses its id to keep two live clusters of one name
   * apart (a Docker network per instance); without it, a runtime makes its own.
   */
  instance?: RuntimeInstance;
}

/** What {@link ContainerRuntime.reclaim} removed. */
export interface ReclaimReport {
  /** Sandboxes and containers removed. */
  containers: number;
  /** Networks, volumes and state folders removed. */
  other: number;
}

/** Information about an image present on the runtime. */
export interface ImageInfo {
  ref: string;
  id: string;
}

/** Thrown by {@link ContainerRuntime.ensureImage} when an image cannot be had. */
export class ImagePullError extends Error {
  constructor(
    readonly image: string,
    message: string,
    /** 'ErrImagePull' (the pull failed) or 'ErrImageNeverPull' (policy Never and the image is absent). */
    readonly reason: 'ErrImagePull' | 'ErrImageNeverPull' = 'ErrImagePull',
  ) {
    super(message);
    this.name = 'ImagePullError';
  }
}

/**
 * ContainerRuntime knows how to run pods' containers on one node: sandboxes (a pod's shared
 * network namespace), images, containers, their logs, exec, stats and events.
 */
export interface ContainerRuntime {
  /** A short name: 'docker', 'containerd', 'process', 'mock'. */
  readonly name: string;

  /** Makes sure an image is present, pulling it as the policy says; throws ImagePullError. */
  ensureImage(ref: string, policy: PullPolicy, signal?: AbortSignal): Promise<ImageInfo>;

  /** Creates and starts a pod's sandbox. */
  runSandbox(config: SandboxConfig): Promise<SandboxStatus>;
  /** Stops a sandbox (its containers should be stopped first). Idempotent. */
  stopSandbox(id: string): Promise<void>;
  /** Removes a sandbox and whatever the runtime keeps for it (emptyDir volumes included). Idempotent. */
  removeSandbox(id: string): Promise<void>;
  /** Sandboxes whose labels include every given label. */
  listSandboxes(labels?: Record<string, string>): Promise<SandboxStatus[]>;
  /**
   * One sandbox's status; throws a TugboatError NotFound when it does not exist. Optional: the
   * node agent's per-sync sandbox check uses it when present (one lookup by id), else
   * listSandboxes by the pod's uid.
   */
  inspectSandbox?(id: string): Promise<SandboxStatus>;

  /**
   * What of `config` this runtime will run the container without: one message per field, naming
   * it and why (the process runtime without its optional pty package runs a `tty` container on
   * pipes). The node agent records each as a Warning Event (reason `Unsupported`) on the pod
   * when it creates the container. Optional: a runtime without it honors every field it takes.
   */
  unsupported?(config: ContainerConfig): string[];
  /** Creates a container in a sandbox; returns its id. */
  createContainer(sandboxId: string, config: ContainerConfig): Promise<string>;
  /** Starts a created container. */
  startContainer(id: string): Promise<void>;
  /** SIGTERM, then SIGKILL after `graceMs`. Resolves once the container has exited. Idempotent. */
  stopContainer(id: string, graceMs: number): Promise<void>;
  /** Removes a stopped container. Idempotent. */
  removeContainer(id: string): Promise<void>;
  /** Containers whose labels include every given label. */
  listContainers(labels?: Record<string, string>): Promise<ContainerStatus[]>;
  /** One container's status; throws when it does not exist. */
  inspectContainer(id: string): Promise<ContainerStatus>;

  /** A container's output, oldest first; with `follow`, goes on until the container or signal ends. */
  logs(id: string, options?: LogOptions): AsyncIterable<LogLine>;
  /** Runs a command in a running container. */
  exec(id: string, command: string[], options?: { timeoutMs?: number }): Promise<ExecResult>;
  /**
   * Runs a command in a running container with its streams connected as they come (kubectl exec
   * -i/-t). Optional: a runtime without it has only the buffered {@link ContainerRuntime.exec}.
   */
  execStream?(id: string, command: string[], options: StreamOptions): Promise<ContainerStreams>;
  /**
   * Connects to the running main process of a container (kubectl attach): its output from now on,
   * and its stdin when the container was created with `stdin`. Optional.
   */
  attach?(id: string, options: StreamOptions): Promise<ContainerStreams>;
  /** Current resource usage. */
  stats(id: string): Promise<ContainerStats>;
  /** Container starts, exits and OOM kills as they happen, until the signal aborts. */
  events(signal?: AbortSignal): AsyncIterable<RuntimeEvent>;

  /**
   * Makes a named volume (idempotent) carrying `labels`, that outlives every container: the
   * local provisioner's PersistentVolumes on Docker. Optional: runtimes without named volumes
   * have their volumes as host folders.
   */
  createVolume?(name: string, labels: Record<string, string>): Promise<void>;
  /**
   * Removes a named volume, only when it carries every label of `labels` (never another
   * cluster's); succeeds when it does not exist. Optional, with createVolume.
   */
  removeVolume?(name: string, labels: Record<string, string>): Promise<void>;

  /**
   * Replaces the files of one of a container's files mounts (found by its `containerPath`) with
   * `mount.files`, at once, as the kubelet's atomic writer does: a reader in the container sees
   * the old set or the new one, never a mix. The node agent calls it when a mounted ConfigMap,
   * Secret or downward API value changed (never for subPath mounts). Optional: a runtime without
   * it keeps the files a container was created with.
   */
  updateFiles?(containerId: string, mount: FilesMount): Promise<void>;

  /**
   * The pod network of the cluster this runtime serves (made when missing), for the cluster's
   * DNS server and Service virtual IPs. Optional: runtimes without a pod network of their own
   * (process, mock) leave it out.
   */
  podNetwork?(): Promise<PodNetwork>;

  /**
   * Called by each node agent that uses this runtime before anything else (one runtime may back
   * several nodes). Optional.
   */
  bind?(binding: RuntimeBinding): void;

  /**
   * Runs a probe natively. Optional: when absent, the node agent runs exec probes through
   * `exec` and http/tcp probes over the network at `endpointFor`. The mock implements it.
   */
  probe?(containerId: string, action: ProbeAction, timeoutMs: number): Promise<ProbeOutcome>;

  /**
   * The address at which a probe or a proxy reaches `port` of a pod's sandbox from this
   * process: the pod IP (Docker: its bridge address; processes: its own loopback address).
   */
  endpointFor?(sandbox: SandboxStatus, port: number): { host: string; port: number };

  /**
   * Removes what clusters whose owner is gone left on this runtime (sandboxes, containers,
   * networks, volumes, state folders), whatever their cluster or node name: the start-up sweep
   * (a Cluster calls it before a node starts) and the explicit way to clean up after a crash.
   * Never touches a live owner's objects; with `olderThanMs`, also those of owners that cannot be
   * checked from here (another machine), once older than that. Optional.
   */
  reclaim?(options?: ReclaimOptions): Promise<ReclaimReport>;

  /**
   * Releases connections, and cluster-wide things the runtime made (e.g. a Docker network) when
   * no sandbox of the cluster is left. Does not remove running containers.
   */
  close?(): Promise<void>;
}
