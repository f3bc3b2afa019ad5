/**
 * The API server on its own (what `tugboat apiserver` runs, as kube-apiserver): the API over a
 * store, served over HTTPS with authentication and RBAC, and nothing else (no controller, no
 * scheduler, no node). `Cluster.serve()` serves its in-process API through the same
 * {@link serveApi}. Several of them on one etcd serve one cluster.
 */
import { networkInterfaces } from 'node:os';
import { isIPv4 } from 'node:net';
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
import {
  kubernetesServiceIP,
  kubernetesServiceNames,
  publishKubernetesService,
  withdrawKubernetesEndpoint,
} from '../kubernetes-service.js';

/** Where pods/log, pods/exec, pods/attach and pods/portforward go: the node agents (absent: the API answers 405). */
export interface PodStreamBackend {
  logs?: PodLogSource;
  exec?: PodExec;
  attach?: PodAttach;
  portForward?: PodPortDialer;
}

/**
 * Serves `apiServer`'s API over HTTP(S): the default ClusterRoles are created first, the
 * serving CA is published for the pods' kube-root-ca.crt, and the advertised address as the
 * `kubernetes` Service's endpoint (withdrawn at close).
 */
export async function serveApi(apiServer: ApiServer, options: ServeOptions, pods: PodStreamBackend = {}): Promise<ServedApi> {
  const context = apiServer.userContext;
  await ensureDefaultRoles(context);
  const serviceIP = kubernetesServiceIP(apiServer.serviceCIDR);
  // kube-apiserver's serving certificate names its Service too, so pods can verify it at the VIP.
  const altNames = [...(options.altNames ?? []), serviceIP, ...kubernetesServiceNames()];
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
    { ...options, altNames },
    new RbacAuthorizer(context),
  );
  const served = await server.start();
  try {
    // The pods' kube-root-ca.crt (the root-ca-cert-publisher copies it into every namespace).
    if (served.ca) await publishServingCa(apiServer.context, served.ca);
    const address = advertiseAddress(options);
    if (!address) return served;
    const endpoint = { address, port: Number(new URL(served.url).port) };
    await publishKubernetesService(apiServer.context, serviceIP, endpoint);
    let closing: Promise<void> | undefined;
    const close = (): Promise<void> =>
      (closing ??= (async () => {
        // Best effort: a store already gone leaves the address to the next server that publishes.
        await withdrawKubernetesEndpoint(apiServer.context, endpoint).catch(() => undefined);
        await served.close();
      })());
    return { ...served, close };
  } catch (err) {
    await served.close();
    throw err;
  }
}

/**
 * The IPv4 address the `kubernetes` Service's endpoints name (see {@link ServeOptions.advertiseAddress});
 * undefined when there is none (an IPv6 host), and the Service is then not published.
 */
function advertiseAddress(options: ServeOptions): string | undefined {
  const host = options.host ?? '127.0.0.1';
  const wanted = options.advertiseAddress ?? options.extraAddresses?.[0] ?? (host === 'localhost' ? '127.0.0.1' : host);
  if (wanted === '0.0.0.0' || wanted === '::') {
    const external = Object.values(networkInterfaces())
      .flat()
      .find((i) => i && i.family === 'IPv4' && !i.internal);
    return external?.address ?? '127.0.0.1';
  }
  return isIPv4(wanted) ? wanted : undefined;
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
