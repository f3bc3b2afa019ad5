/**
 * The contracts of the HTTP API server: what `cluster.serve()` takes and returns, who a caller
 * is, and what the server is handed by the composition root.
 */
import type { Duplex } from 'node:stream';
import type { ApiContext } from '../client/types.js';
import type { KindRegistry } from '../api/kind-registry.js';
import type { ContainerStreams } from '../streams/types.js';
import type { CertificatePair } from './certificates.js';

/** A caller, as Kubernetes' user.Info: a name and the groups it belongs to. */
export interface UserInfo {
  name: string;
  groups: string[];
  /** The user's uid, when its authenticator knows one (a ServiceAccount's uid). */
  uid?: string;
  /** What the authenticator adds (a service-account token's pod, node and credential id). */
  extra?: Record<string, string[]>;
}

/** A bearer token and the user it stands for (`tokens` of {@link ServeOptions}). */
export interface TokenUser {
  token: string;
  user: string;
  groups?: string[];
}

/** TLS material to serve with instead of the generated CA and certificate. */
export interface TlsFiles {
  /** PEM of the serving certificate (its chain). */
  cert: string;
  /** PEM of the serving certificate's private key. */
  key: string;
  /** PEM of the CA that signed it, written into the kubeconfig. */
  ca: string;
}

/** Options of `cluster.serve()`. */
export interface ServeOptions {
  /** @default '127.0.0.1' */
  host?: string;
  /** 0 picks a free port. @default 0 */
  port?: number;
  /**
   * More addresses to listen on besides `host`, on the same port (`cluster.serve()` adds its pod
   * networks' gateways, so containers reach the API). Each is in the serving certificate.
   */
  extraAddresses?: string[];
  /** More DNS names and IP addresses the generated serving certificate is valid for. */
  altNames?: string[];
  /**
   * The address written into the `kubernetes` Service's endpoints (kube-apiserver's
   * `--advertise-address`). @default the first of `extraAddresses`, else `host` (for a wildcard
   * host, the first non-internal IPv4 address of this machine)
   */
  advertiseAddress?: string;
  /**
   * `true` serves HTTPS with a CA and serving certificate generated at start; `false` serves
   * plain HTTP (kubectl then sends no bearer token: use it only without authentication); or the
   * certificate files to use. @default true
   */
  tls?: boolean | TlsFiles;
  /**
   * With `tls: true`, the CA that signs the serving certificate (and client certificates)
   * instead of one made at start: kept across restarts, earlier kubeconfigs and client
   * certificates stay trusted. @default a new CA
   */
  certificateAuthority?: CertificatePair;
  /** More bearer tokens and their users, besides the generated admin token. */
  tokens?: TokenUser[];
  /** The admin's bearer token. @default a random one */
  adminToken?: string;
  /** Request bodies larger than this are refused with 413. @default 3 MiB (as kube-apiserver) */
  maxBodyBytes?: number;
  /**
   * Open watches allowed to one client (a user from one address; over HTTP/1.1 each watch holds a
   * connection of its own); more are refused with 429. @default 100
   */
  maxWatchesPerClient?: number;
  /** Watch events buffered for a client that does not read before it is cut off. @default 1000 */
  maxWatchBacklog?: number;
  /** Milliseconds between BOOKMARK events on watches that allow them. @default 60000 */
  bookmarkIntervalMs?: number;
  /** The cluster's name in the kubeconfig. @default 'tugboat' */
  clusterName?: string;
}

/** A running HTTP API server (what `cluster.serve()` resolves to). */
export interface ServedApi {
  /** `https://127.0.0.1:PORT` */
  readonly url: string;
  /** The admin's bearer token (user `admin`, group `system:masters`). */
  readonly token: string;
  /** A kubeconfig (YAML text) for the admin: `kubectl --kubeconfig FILE` works with it. */
  readonly kubeconfig: string;
  /** PEM of the CA the server's certificate is signed by (undefined over plain HTTP). */
  readonly ca: string | undefined;
  /** A kubeconfig for another user: a token of `tokens`, or a client certificate issued now. */
  kubeconfigFor(user: string | TokenUser, groups?: string[]): string;
  /** Stops listening and ends every open request and watch. */
  close(): Promise<void>;
}

/** Logs of a pod's container, as the node agents give them. */
export type PodLogSource = (
  namespace: string,
  pod: string,
  options: { container?: string; follow?: boolean; tail?: number; timestamps?: boolean; previous?: boolean; signal?: AbortSignal },
) => AsyncIterable<{ stream: 'stdout' | 'stderr'; line: string; time?: Date }>;

/** What pods/exec asks for (PodExecOptions). */
export interface PodExecRequest {
  command: string[];
  container?: string;
  stdin: boolean;
  tty: boolean;
}

/** What pods/attach asks for (PodAttachOptions). */
export interface PodAttachRequest {
  container?: string;
  stdin: boolean;
  tty: boolean;
}

/** Runs a command in a pod's container with its streams connected (pods/exec). */
export type PodExec = (namespace: string, pod: string, request: PodExecRequest) => Promise<ContainerStreams>;

/** Connects to the main process of a pod's container (pods/attach). */
export type PodAttach = (namespace: string, pod: string, request: PodAttachRequest) => Promise<ContainerStreams>;

/**
 * Opens a TCP connection to `port` of a pod (pods/portforward); rejects when the pod is not
 * running or the connection is refused, with a message the client is shown.
 */
export type PodPortDialer = (namespace: string, pod: string, port: number) => Promise<Duplex>;

/** What the composition root hands the server. */
export interface ServerBackend {
  /** The clients for every kind (the user-facing context: writes' warnings go to the cluster). */
  context: ApiContext;
  /** Every kind served, for discovery and routing. */
  registry: KindRegistry;
  /** Logs (pods/log); absent answers 405. */
  logs?: PodLogSource;
  /** Exec (pods/exec); absent answers 405. */
  exec?: PodExec;
  /** Attach (pods/attach); absent answers 405. */
  attach?: PodAttach;
  /**
   * Whose a bearer token is when it is a service-account token of the cluster's: undefined when
   * it is not one; throws (Unauthorized) when it is one that is not valid now.
   */
  serviceAccountTokens?: (token: string) => Promise<UserInfo | undefined>;
  /** Connections to pods' ports (pods/portforward); absent answers 405. */
  portForward?: PodPortDialer;
}
