import { readFile } from 'node:fs/promises';
import type { Event, KubeObject, Pod, TokenRequest } from '../../model/types.js';
import type { ResourceType } from '../../model/resource-type.js';
import { apiVersionOf } from '../../model/resource-type.js';
import { TugboatError } from '../../model/errors.js';
import type { Clock } from '../../clock/types.js';
import { RealClock } from '../../clock/real-clock.js';
import type {
  ApiContext,
  EventRecorder,
  EvictOptions,
  PodBinding,
  PodClient,
  PodEviction,
  ResourceClient,
  ServiceAccountTokenRequest,
} from '../types.js';
import { clientArgs, type KindRef } from '../kinds.js';
import { ApiEventRecorder } from '../event-recorder.js';
import { parseKubeconfig, type ClusterConnection } from './kubeconfig.js';
import { HttpTransport } from './transport.js';
import { userAgentOf } from './user-agent.js';
import { HttpResourceClient, type ServerSideApplyOptions } from './http-resource-client.js';
import { resourcePath } from './resource-path.js';
import { discoverKinds } from './discovery.js';

/** Options of {@link HttpApiContext.connect}. */
export interface HttpApiContextOptions {
  /** @default a RealClock */
  clock?: Clock;
  /**
   * The component named in the Events it records and in its User-Agent
   * (`tugboat-<component>/<version> (linux/amd64) tugboat`), whose first segment the server makes
   * the field manager of its writes. @default 'tugboat'
   */
  component?: string;
  /** The version its User-Agent carries. @default 'unknown' */
  version?: string;
  /**
   * The program its User-Agent names when it is not `component` (`tugboat agent` records Events
   * as `kubelet` but writes as `tugboat-agent`), so its writes' field manager matches the
   * in-process component's. @default `component`
   */
  agent?: string;
}

/** The Pod client over HTTP, with pods/eviction. */
class HttpPodClient extends HttpResourceClient<Pod> implements PodClient {
  async evict(name: string, options: EvictOptions = {}): Promise<void> {
    await this.call({
      method: 'POST',
      path: this.path(name, 'eviction'),
      body: {
        apiVersion: 'policy/v1',
        kind: 'Eviction',
        metadata: { name, namespace: this.namespace },
        ...(options.deleteOptions ? { deleteOptions: options.deleteOptions } : {}),
      },
      query: { dryRun: options.dryRun ? 'All' : undefined },
    });
  }
}

/**
 * The ApiContext over the Kubernetes REST API of an API server in another process (or
 * `cluster.serve()`): the same clients, discovery, binding and eviction the in-process context
 * gives, so a controller manager, a scheduler or a node agent runs unchanged against it.
 * Make one with {@link HttpApiContext.connect}; close it to end its connections and watches.
 */
export class HttpApiContext implements ApiContext {
  readonly events: EventRecorder;
  private readonly recorder: ApiEventRecorder;
  private kinds = new Map<string, ResourceType>();
  private readonly clients = new Map<string, ResourceClient>();

  private constructor(
    private readonly http: HttpTransport,
    readonly clock: Clock,
    component: string,
  ) {
    this.recorder = new ApiEventRecorder((ns) => this.client<Event>('v1', 'Event', ns), clock, { component });
    this.events = this.recorder;
  }

  /**
   * Connects to the API server a kubeconfig names (YAML text, a file path, or the connection
   * itself) and reads its discovery, so `client()` knows every kind it serves.
   */
  static async connect(kubeconfig: string | ClusterConnection, options: HttpApiContextOptions = {}): Promise<HttpApiContext> {
    const connection =
      typeof kubeconfig !== 'string'
        ? kubeconfig
        : parseKubeconfig(kubeconfig.includes('\n') ? kubeconfig : await readFile(kubeconfig, 'utf8'));
    const component = options.component ?? 'tugboat';
    const http = new HttpTransport(connection, userAgentOf(options.agent ?? component, options.version ?? 'unknown'));
    const ctx = new HttpApiContext(http, options.clock ?? new RealClock(), component);
    await ctx.discover();
    return ctx;
  }

  /** The server this context talks to. */
  get server(): string {
    return this.http.connection.server;
  }

  async discover(): Promise<ResourceType[]> {
    const all = await discoverKinds(this.http);
    this.kinds = new Map(all.map((t) => [`${apiVersionOf(t)}|${t.kind}`, t]));
    return all;
  }

  async bindPod(binding: PodBinding): Promise<Pod> {
    const pods = this.kind('v1', 'Pod');
    await this.http.json({
      method: 'POST',
      path: resourcePath(pods, binding.namespace, binding.name, 'binding'),
      body: {
        apiVersion: 'v1',
        kind: 'Binding',
        metadata: { name: binding.name, namespace: binding.namespace, ...(binding.uid ? { uid: binding.uid } : {}) },
        target: { apiVersion: 'v1', kind: 'Node', name: binding.nodeName },
      },
    });
    return this.client<Pod>('v1', 'Pod', binding.namespace).get(binding.name);
  }

  async evictPod(eviction: PodEviction): Promise<void> {
    const { namespace, name, ...options } = eviction;
    await (this.client<Pod>('v1', 'Pod', namespace) as unknown as PodClient).evict(name, options);
  }

  async createToken(request: ServiceAccountTokenRequest): Promise<TokenRequest> {
    const { namespace, serviceAccount, audiences, expirationSeconds, boundObjectRef } = request;
    const accounts = this.kind('v1', 'ServiceAccount');
    return (await this.http.json({
      method: 'POST',
      path: resourcePath(accounts, namespace, serviceAccount, 'token'),
      body: {
        apiVersion: 'authentication.k8s.io/v1',
        kind: 'TokenRequest',
        metadata: { name: serviceAccount, namespace },
        spec: {
          audiences: audiences ?? [],
          ...(expirationSeconds !== undefined ? { expirationSeconds } : {}),
          ...(boundObjectRef ? { boundObjectRef } : {}),
        },
      },
    })) as TokenRequest;
  }

  private kind(apiVersion: string, kind: string): ResourceType {
    const t = this.kinds.get(`${apiVersion}|${kind}`);
    if (!t) throw TugboatError.badRequest(`no matches for kind "${kind}" in version "${apiVersion}": the server does not serve it`);
    return t;
  }

  client<T extends KubeObject>(ref: KindRef<T>, namespace?: string): ResourceClient<T>;
  client<T extends KubeObject = KubeObject>(apiVersion: string, kind: string, namespace?: string): ResourceClient<T>;
  client<T extends KubeObject>(refOrApiVersion: KindRef<T> | string, kindOrNamespace?: string, namespaceArg?: string): ResourceClient<T> {
    const { apiVersion, kind, namespace } = clientArgs(refOrApiVersion, kindOrNamespace, namespaceArg);
    const type = this.kind(apiVersion, kind);
    const ns = type.namespaced ? (namespace ?? 'default') : undefined;
    const key = `${apiVersion}|${kind}|${ns ?? ''}`;
    let client = this.clients.get(key);
    if (!client || client.type !== type) {
      client =
        type.group === '' && type.kind === 'Pod' ? new HttpPodClient(this.http, type, ns) : new HttpResourceClient(this.http, type, ns);
      this.clients.set(key, client);
    }
    return client as unknown as ResourceClient<T>;
  }

  /**
   * Server-side apply of one manifest, as `kubectl apply --server-side`: the server merges it
   * into the live object (or creates it), records `options.fieldManager` as the owner of the
   * fields it sets, and answers Conflict (naming the other managers) for fields they own unless
   * `options.force`. The manifest's namespace defaults to `namespace`, then `default`.
   */
  applyServerSide<T extends KubeObject = KubeObject>(
    manifest: KubeObject,
    options: ServerSideApplyOptions,
    namespace?: string,
  ): Promise<T> {
    const client = this.client<T>(manifest.apiVersion, manifest.kind, manifest.metadata?.namespace ?? namespace);
    const body =
      client.namespace === undefined ? manifest : { ...manifest, metadata: { ...manifest.metadata, namespace: client.namespace } };
    return (client as unknown as HttpResourceClient<T>).applyServerSide(body, options);
  }

  /** Writes the Events recorded so far, then ends the connections and the watches open on them. */
  async close(): Promise<void> {
    await this.recorder.flushed();
    this.recorder.stop();
    await this.http.close();
  }
}
