/**
 * Options of the containerd runtime adapter: plain data, no gRPC type.
 */

/** Where the pod network comes from: CNI plugins and one network configuration list. */
export interface CniOptions {
  /** Folders holding the CNI plugin binaries, searched in order. @default ['/usr/lib/cni', '/opt/cni/bin'] */
  binDirs?: string[];
  /**
   * The network configuration list (a `.conflist` file: bridge + host-local, optionally portmap)
   * every pod joins. `.ci/containerd.sh` writes the default one.
   * @default '/etc/tugboat/cni/tugboat.conflist'
   */
  conflistPath?: string;
}

/**
 * How to reach one containerd daemon and where the adapter keeps its own files.
 *
 * @example `new ContainerdRuntime()` (the local socket, namespace `tugboat`); `new ContainerdRuntime({ address: '/run/k3s/containerd/containerd.sock', namespace: 'ci' })`.
 */
export interface ContainerdRuntimeOptions {
  /** The daemon's gRPC socket. @default '/run/containerd/containerd.sock' */
  address?: string;
  /** The containerd namespace of everything the adapter makes (containers, tasks, snapshots, images). @default 'tugboat' */
  namespace?: string;
  /**
   * The image of pod sandboxes (the task holding a pod's namespaces): it must run until SIGTERM
   * and exit promptly on it. Pulled when missing (policy IfNotPresent).
   * @default 'tugboat/pause:1'
   */
  sandboxImage?: string;
  /** The snapshotter of container root filesystems. @default 'overlayfs' */
  snapshotter?: string;
  /** The containerd runtime (shim) of tasks. @default 'io.containerd.runc.v2' */
  runtime?: string;
  /** The pod network. */
  cni?: CniOptions;
  /**
   * Where the adapter keeps FIFOs, log files, emptyDir volumes and ConfigMap/Secret files (the
   * daemon runs on this machine). @default `${os.tmpdir()}/tugboat-containerd`
   */
  stateDir?: string;
  /**
   * Registries reached over plain HTTP rather than HTTPS, as `host:port`. Loopback registries
   * (`localhost`, `127.0.0.1`, `[::1]`) always are. @default []
   */
  insecureRegistries?: string[];
  /** Cluster name until `bind()` says otherwise. @default 'default' */
  clusterName?: string;
  /** Node name until `bind()` says otherwise. @default os.hostname() */
  nodeName?: string;
}

/** The default containerd socket. */
export const DEFAULT_CONTAINERD_ADDRESS = '/run/containerd/containerd.sock';
/** The default containerd namespace of the adapter. */
export const DEFAULT_CONTAINERD_NAMESPACE = 'tugboat';
/** The default sandbox image (imported by `.ci/containerd.sh`). */
export const DEFAULT_CONTAINERD_SANDBOX_IMAGE = 'tugboat/pause:1';

/** Labels only the containerd adapter puts on its containers (beside the RUNTIME_LABELS). */
export const CONTAINERD_LABELS = {
  /** The sandbox a container belongs to. */
  sandbox: 'io.tugboat.sandbox.id',
  /** The pod IP given by CNI (sandboxes). */
  ip: 'io.tugboat.pod.ip',
  /** When the task last started (RFC 3339). */
  started: 'io.tugboat.started',
  /** 'true' once the kernel OOM-killed the task. */
  oom: 'io.tugboat.oom',
  /** 'true' on a sandbox in the host's network namespace. */
  hostNetwork: 'io.tugboat.host.network',
  /** 'true' on a container whose task gets a stdin FIFO, for attach (pod spec `stdin`). */
  stdin: 'io.tugboat.stdin',
  /** 'true' when the first attached client closing its stdin closes the task's (pod spec `stdinOnce`). */
  stdinOnce: 'io.tugboat.stdin.once',
  /** 'true' on a container whose task runs on a terminal (pod spec `tty`). */
  tty: 'io.tugboat.tty',
} as const;
