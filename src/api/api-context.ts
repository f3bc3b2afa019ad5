import type { KubeObject } from '../model/types.js';
import type { Clock } from '../clock/types.js';
import type { KindRegistry } from './kind-registry.js';
import type { ObjectApi } from './object-api.js';
import { BoundResourceClient, type ClientWriter } from './resource-client.js';
import { BoundPodClient } from './pod-client.js';
import { evictPod } from './eviction.js';
import type { ApiContext, EventRecorder, PodBinding, PodEviction, ResourceClient, ServiceAccountTokenRequest } from '../client/types.js';
import type { Pod, TokenRequest } from '../model/types.js';
import { TugboatError } from '../model/errors.js';
import type { ResourceType } from '../model/resource-type.js';
import { clientArgs, type KindRef } from '../client/kinds.js';

/** Options of {@link ClusterApiContext}. */
export interface ApiContextOptions {
  /**
   * Writes report warnings only to their caller's `options.warnings`, not to the API's warning
   * handler: for components (controllers, scheduler, node agents), whose writes carry what a
   * user wrote and was warned about already. @default false
   */
  quiet?: boolean;
  /**
   * The field manager of its clients' writes that name none: the component's name
   * (`tugboat-controller-manager`, ...), as its User-Agent names it over HTTP. @default none
   */
  fieldManager?: string;
  /** Issues service-account tokens ({@link ApiContext.createToken}); absent answers ServiceUnavailable. */
  tokens?: (request: ServiceAccountTokenRequest) => Promise<TokenRequest>;
}

/**
 * The ApiContext handed to every component: typed clients over one ObjectApi (cached per kind
 * and namespace), the clock and the event recorder.
 */
export class ClusterApiContext implements ApiContext {
  private readonly clients = new Map<string, ResourceClient>();
  private readonly writer: ClientWriter;

  constructor(
    private readonly api: ObjectApi,
    readonly registry: KindRegistry,
    readonly clock: Clock,
    readonly events: EventRecorder,
    private readonly options: ApiContextOptions = {},
  ) {
    this.writer = { quiet: options.quiet, fieldManager: options.fieldManager };
  }

  async discover(): Promise<ResourceType[]> {
    // Catch up with the store's CRDs first, so a kind created through another API layer is listed.
    await this.api.syncKinds();
    return this.registry.all();
  }

  async bindPod(binding: PodBinding): Promise<Pod> {
    return (await this.api.bindPod(this.registry.get('v1', 'Pod'), binding)) as Pod;
  }

  async evictPod(eviction: PodEviction): Promise<void> {
    await evictPod({ api: this.api, registry: this.registry, clock: this.clock }, eviction);
  }

  async createToken(request: ServiceAccountTokenRequest): Promise<TokenRequest> {
    if (!this.options.tokens) throw new TugboatError('ServiceUnavailable', 'service-account tokens are not issued by this API');
    return this.options.tokens(request);
  }

  client<T extends KubeObject>(ref: KindRef<T>, namespace?: string): ResourceClient<T>;
  client<T extends KubeObject = KubeObject>(apiVersion: string, kind: string, namespace?: string): ResourceClient<T>;
  client<T extends KubeObject>(refOrApiVersion: KindRef<T> | string, kindOrNamespace?: string, namespaceArg?: string): ResourceClient<T> {
    const { apiVersion, kind, namespace } = clientArgs(refOrApiVersion, kindOrNamespace, namespaceArg);
    const type = this.registry.get(apiVersion, kind);
    const ns = type.namespaced ? (namespace ?? 'default') : undefined;
    const key = `${apiVersion}|${kind}|${ns ?? ''}`;
    let client = this.clients.get(key);
    if (!client || client.type !== type) {
      client =
        type.group === '' && type.kind === 'Pod'
          ? (new BoundPodClient(this.api, type, ns, this.writer, (e) => this.evictPod(e)) as unknown as ResourceClient)
          : new BoundResourceClient(this.api, type, ns, this.writer);
      this.clients.set(key, client);
    }
    return client as unknown as ResourceClient<T>;
  }
}
