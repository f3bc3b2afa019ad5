/**
 * Options and internal shapes of the Docker runtime adapter. Nothing here exposes a dockerode
 * type: the options are plain data, and the adapter's scope is internal.
 */

/**
 * How to reach one Docker daemon, and where the adapter keeps its own state. Mirrors
 * dockerode's connection modes; with no connection option, `DOCKER_HOST` (and
 * `DOCKER_TLS_VERIFY`, `DOCKER_CERT_PATH`) decide, else the local socket.
 *
 * @example Local socket: `new DockerRuntime()`; TLS: `new DockerRuntime({ host: 'h', port: 2376, protocol: 'https', ca, cert, key })`;
 * SSH: `new DockerRuntime({ host: 'h', protocol: 'ssh', username: 'me', sshAuthAgent: process.env.SSH_AUTH_SOCK })`.
 */
export interface DockerRuntimeOptions {
  /** Unix socket (or Windows named pipe) of the daemon, e.g. `/var/run/docker.sock`. Wins over `host`. */
  socketPath?: string;
  /** Host name or address of a daemon reached over TCP or SSH. */
  host?: string;
  /** Port of a TCP daemon (2375 plain, 2376 TLS) or of the SSH server. */
  port?: number | string;
  /** `'http'`, `'https'` (TLS) or `'ssh'`. @default 'https' when ca, cert and key are given, else 'http' */
  protocol?: 'http' | 'https' | 'ssh';
  /** TLS: the CA certificate(s) (PEM). */
  ca?: string | Buffer | Array<string | Buffer>;
  /** TLS: the client certificate (PEM). */
  cert?: string | Buffer;
  /** TLS: the client key (PEM). */
  key?: string | Buffer;
  /** SSH: user name. */
  username?: string;
  /** SSH: path of the ssh-agent socket (usually `process.env.SSH_AUTH_SOCK`). */
  sshAuthAgent?: string;
  /** SSH: further options handed to the ssh2 client (privateKey, passphrase, ...). */
  sshOptions?: Record<string, unknown>;
  /** Docker Engine API version to speak, e.g. `'v1.41'`. @default negotiated by the daemon */
  version?: string;
  /** Request timeout in milliseconds (not applied to streams). @default none */
  timeoutMs?: number;

  /**
   * The image of pod sandboxes (the container holding a pod's network namespace). It must run
   * until SIGTERM and exit promptly on it, e.g. `'registry.k8s.io/pause:3.9'`. When left out,
   * the adapter uses `tugboat/pause:1` and builds it on first use from the host's static busybox
   * (`busyboxPath`) when the daemon does not have it yet, so no registry is needed.
   * @default 'tugboat/pause:1'
   */
  sandboxImage?: string;
  /** A static busybox binary on this machine, used to build the default sandbox image. @default '/bin/busybox' */
  busyboxPath?: string;
  /**
   * Where ConfigMap/Secret files are written before being bind-mounted. It must be a path the
   * daemon sees too (the daemon runs on this machine, or the path is shared).
   * @default `${os.tmpdir()}/tugboat-docker`
   */
  stateDir?: string;
  /** Cluster name until `bind()` says otherwise. @default 'default' */
  clusterName?: string;
  /** Node name until `bind()` says otherwise. @default os.hostname() */
  nodeName?: string;
}

/** The sandbox image the adapter can build by itself. */
export const DEFAULT_SANDBOX_IMAGE = 'tugboat/pause:1';

/** Label marking a Docker network or volume that tugboat made (value: 'network' or 'volume'). */
export const RESOURCE_ROLE_LABEL = 'io.tugboat.role';
