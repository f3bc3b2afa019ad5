/**
 * The API server on its own (what `tugboat apiserver` runs, as kube-apiserver): the API over a
 * store, served over HTTPS with authentication and RBAC, and nothing else (no controller, no
 * scheduler, no node). `Cluster.serve()` serves its in-process API through the same
 * {@link serveApi}. Several of them on one etcd serve one cluster.
 */
import type { Clock } from '../../clock/types.js';
import { RealClock } from '../../clock/real-clock.js';
import type { ObjectStore } from '../../store/types.js';
import { ApiHttpServer } from '../../server/api-http-server.js';
import { RbacAuthorizer, ensureDefaultRoles } from '../../server/rbac/rbac-authorizer.js';
import type { PodAttach, PodExec, PodLogSource, PodPortDialer, ServeOptions, ServedApi } from '../../server/types.js';
import { ApiServer } from '../api-server.js';
import { publishServingCa } from '../serving-ca.js';
import { ensureClusterPki } from '../cluster-pki.js';
import { createServerCertificates } from '../../server/certificates.js';
import { KUBELET_CLIENT_USER } from './agent-endpoint.js';
import { agentPodBackend } from './agent-client.js';

/** Where pods/log, pods/exec, pods/attach and pods/portforward go: the node agents (absent: the API answers 405). */
export interface PodStreamBackend {
  logs?: PodLogSource;
  exec?: PodExec;
  attach?: PodAttach;
  portForward?: PodPortDialer;
}

/**
 * Serves `apiServer`'s API over HTTP(S): the default ClusterRoles are created first, and the
 * serving CA is published for the pods' kube-root-ca.crt.
 */
export async function serveApi(apiServer: ApiServer, options: ServeOptions, pods: PodStreamBackend = {}): Promise<ServedApi> {
  const context = apiServer.userContext;
  await ensureDefaultRoles(context);
  const server = new ApiHttpServer(
    {
      context,
      registry: apiServer.registry,
      ...pods,
      serviceAccountTokens: async (token) => {
        const sa = await apiServer.tokens.authenticate(token);
        return sa && { name: sa.user, groups: sa.groups, uid: sa.uid, extra: sa.extra };
      },
    },
    options,
    new RbacAuthorizer(context),
  );
  const served = await server.start();
  // The pods' kube-root-ca.crt (the root-ca-cert-publisher copies it into every namespace).
  if (served.ca) await publishServingCa(apiServer.context, served.ca);
  return served;
}

/** Options of {@link startApiServerPart}. */
export interface ApiServerPartOptions {
  /** Where objects live (closed when the part stops). */
  store: ObjectStore;
  /** @default a RealClock */
  clock?: Clock;
  /** Where and how to listen. */
  serve?: ServeOptions;
  /** Record Events. @default true */
  recordEvents?: boolean;
  /**
   * Serve with the CA and admin token kept in the store (made there at the first start; see
   * cluster/cluster-pki.ts), so a restart on the same store keeps earlier kubeconfigs working.
   * Only with `serve.tls` true (the default). @default true
   */
  keepPki?: boolean;
}

/** A started API server part. */
export interface ApiServerPart {
  /** The URL, admin token and kubeconfig it serves. */
  readonly served: ServedApi;
  /** Stops listening, stops following CRDs and closes the store. Idempotent. */
  stop(): Promise<void>;
}

/** Boots the API on the store (system namespaces, PriorityClasses, CRDs served) and serves it. */
export async function startApiServerPart(options: ApiServerPartOptions): Promise<ApiServerPart> {
  const apiServer = new ApiServer({ store: options.store, clock: options.clock ?? new RealClock(), recordEvents: options.recordEvents });
  let served: ServedApi | undefined;
  let stopped: Promise<void> | undefined;
  const stop = (): Promise<void> =>
    (stopped ??= (async () => {
      await served?.close();
      await apiServer.stop();
      await options.store.close();
    })());
  try {
    await apiServer.boot();
    const serve = options.serve ?? {};
    if ((serve.tls ?? true) === true && options.keepPki !== false) {
      const pki = await ensureClusterPki(apiServer.context, serve.clusterName);
      // pods/log, exec and portforward go to the agents' endpoints, with a client certificate of the CA.
      const client = createServerCertificates([], serve.clusterName, pki.authority).issueClient(KUBELET_CLIENT_USER, []);
      served = await serveApi(
        apiServer,
        { ...serve, certificateAuthority: pki.authority, adminToken: serve.adminToken ?? pki.adminToken },
        agentPodBackend(apiServer.context, client),
      );
    } else served = await serveApi(apiServer, serve);
    return { served, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
