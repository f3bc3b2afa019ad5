/**
 * The API half of a cluster, with no control loop: the kind registry, the admission chain (with
 * priority admission), the ObjectApi over a store, CRD registration, the event log and the
 * ApiContext handed to components. `Cluster` builds one; so does `tugboat/testing`'s fake
 * reconcile context, so a controller's unit test runs against the very same API code.
 */
import type { Event, KubeObject } from '../model/types.js';
import type { Clock } from '../clock/types.js';
import type { ObjectStore } from '../store/types.js';
import { BUILTIN_KINDS } from '../model/kinds/index.js';
import { KindRegistry } from '../api/kind-registry.js';
import { AdmissionChain } from '../api/admission.js';
import { ObjectApi } from '../api/object-api.js';
import { ClusterApiContext } from '../api/api-context.js';
import { CrdRegistrar } from '../api/crd-registrar.js';
import { priorityAdmission, SYSTEM_PRIORITY_CLASSES } from '../api/priority-admission.js';
import { serviceAccountAdmission } from '../api/service-account-admission.js';
import { limitRangerAdmission } from '../api/limit-ranger-admission.js';
import { persistentVolumeClaimResizeAdmission } from '../api/resize-admission.js';
import { resourceQuotaAdmission } from '../api/resource-quota-admission.js';
import { ApiEventRecorder, noopEventRecorder } from '../client/event-recorder.js';
import type { ApiContext, EventRecorder, ListOptions, ResourceClient, ServiceAccountTokenRequest } from '../client/types.js';
import type { core, PriorityClass, StorageClass, TokenRequest } from '../model/types.js';
import { StoreCache } from '../api/store-cache.js';
import { NODE_LEASE_NAMESPACE } from '../model/well-known.js';
import { DEFAULT_SERVICE_CIDR, serviceAllocation } from '../api/services/service-allocation.js';
import { ServiceAccountTokens } from '../api/service-account-tokens/token-service.js';
import type { Service } from '../model/types.js';

/**
 * The field managers of tugboat's in-process writers, as Kubernetes' components write as
 * `kube-controller-manager`, `kube-scheduler` and `kubelet`: the same names their User-Agents
 * give over HTTP (`tugboat controller-manager`, `tugboat scheduler`, `tugboat agent`), and
 * `tugboat` for the user's own `cluster.apply` and `cluster.client` writes.
 */
export const FIELD_MANAGERS = {
  controllerManager: 'tugboat-controller-manager',
  scheduler: 'tugboat-scheduler',
  agent: 'tugboat-agent',
  user: 'tugboat',
} as const;

/** The namespaces every cluster has. */
export const SYSTEM_NAMESPACES = ['default', 'kube-system', 'kube-public', NODE_LEASE_NAMESPACE] as const;

/**
 * Events about objects, recorded as Event objects: `record` one (queued and written in the
 * background, as client-go's recorder does), `list` them (after the queued ones are written).
 */
export interface ClusterEventLog extends EventRecorder {
  /** The Events of a namespace (all namespaces when omitted), once the Events queued so far are written. */
  list(namespace?: string, options?: ListOptions): Promise<Event[]>;
  /** True when no recorded Event waits to be written (a write sleeping before a retry counts as idle). */
  isIdle(): boolean;
  /** Resolves once the Events queued so far are written (or given up). */
  flushed(): Promise<void>;
}

/** Options of {@link ApiServer}. */
export interface ApiServerOptions {
  store: ObjectStore;
  clock: Clock;
  /** Record Events. @default true */
  recordEvents?: boolean;
  /** Called with every warning a write raises. */
  onWarning?: (warning: string, object: KubeObject) => void;
  /** Where Service cluster IPs come from. @default '10.96.0.0/12' */
  serviceCIDR?: string;
  /** Where Service node ports come from. @default '30000-32767' */
  serviceNodePortRange?: string;
}

/** The in-process API server of one cluster (see the file comment). @internal */
export class ApiServer {
  readonly registry = new KindRegistry(BUILTIN_KINDS);
  readonly admission = new AdmissionChain();
  readonly api: ObjectApi;
  readonly events: ClusterEventLog;
  /**
   * What components are handed. Its writes report warnings only to their `options.warnings`:
   * a user is warned about what they wrote, not again about the ReplicaSets and Pods made from it.
   */
  readonly context: ApiContext;
  /**
   * What the HTTP server and `as()` serve users through: their writes' warnings reach
   * `onWarning`, and their field manager is the request's.
   */
  readonly userContext: ApiContext;
  /** The clients users get in-process ({@link client}): {@link userContext}'s, writing as `tugboat`. */
  private readonly ownContext: ApiContext;
  private readonly componentContexts = new Map<string, ApiContext>();
  private readonly tokenIssuer: (request: ServiceAccountTokenRequest) => Promise<TokenRequest>;
  private readonly clock: Clock;
  /** Where Service cluster IPs come from (its first address is the `kubernetes` Service's). */
  readonly serviceCIDR: string;
  /** The cluster's service-account tokens: issued through the contexts' `createToken`, checked by the HTTP server. */
  readonly tokens: ServiceAccountTokens;
  private readonly registrar: CrdRegistrar;
  private readonly recorder: ApiEventRecorder | undefined;
  /** What the admission plugins read instead of a list per write (their listers in kube-apiserver). */
  private readonly caches: {
    resourceQuotas: StoreCache<core.ResourceQuota & KubeObject>;
    limitRanges: StoreCache;
    priorityClasses: StoreCache<PriorityClass>;
  };

  constructor(options: ApiServerOptions) {
    const { store, clock } = options;
    this.serviceCIDR = options.serviceCIDR ?? DEFAULT_SERVICE_CIDR;
    this.clock = clock;
    this.registrar = new CrdRegistrar(this.registry, store);
    this.caches = {
      resourceQuotas: new StoreCache(store, 'core/resourcequotas'),
      limitRanges: new StoreCache(store, 'core/limitranges'),
      priorityClasses: new StoreCache(store, 'scheduling.k8s.io/priorityclasses'),
    };
    this.api = new ObjectApi({ store, admission: this.admission, clock, kinds: this.registrar, onWarning: options.onWarning });
    const recorder =
      options.recordEvents === false ? undefined : new ApiEventRecorder((ns) => this.client<Event>('v1', 'Event', ns), clock);
    this.recorder = recorder;
    const record: EventRecorder = recorder ?? noopEventRecorder;
    this.events = {
      record: (...args) => record.record(...args),
      list: async (namespace, listOptions) => {
        await recorder?.flushed();
        return (await this.client<Event>('v1', 'Event', namespace ?? '').list(listOptions)).items;
      },
      isIdle: () => recorder?.isIdle() ?? true,
      flushed: async () => recorder?.flushed(),
    };
    this.tokens = new ServiceAccountTokens({ client: (v, k, ns) => this.context.client(v, k, ns), clock });
    const tokens = (request: ServiceAccountTokenRequest) => this.tokens.issue(request);
    this.tokenIssuer = tokens;
    this.context = new ClusterApiContext(this.api, this.registry, clock, this.events, { quiet: true, tokens });
    this.userContext = new ClusterApiContext(this.api, this.registry, clock, this.events, { tokens });
    this.ownContext = new ClusterApiContext(this.api, this.registry, clock, this.events, { tokens, fieldManager: FIELD_MANAGERS.user });
    this.admission.use(
      serviceAllocation({
        services: () => this.context.client<Service>('v1', 'Service', ''),
        clock,
        serviceCIDR: this.serviceCIDR,
        nodePortRange: options.serviceNodePortRange,
      }),
    );
    this.admission.use(
      priorityAdmission(
        () => this.client<PriorityClass>('scheduling.k8s.io/v1', 'PriorityClass'),
        () => this.caches.priorityClasses.list(''),
      ),
    );
    this.admission.use(serviceAccountAdmission((ns) => this.context.client('v1', 'ServiceAccount', ns)));
    this.admission.use(
      limitRangerAdmission(
        (ns) => this.context.client('v1', 'LimitRange', ns),
        (ns) => this.caches.limitRanges.list(ns),
      ),
    );
    this.admission.use(persistentVolumeClaimResizeAdmission(() => this.client<StorageClass>('storage.k8s.io/v1', 'StorageClass')));
    // Last, as in Kubernetes: it charges the quotas of what the plugins before it admitted.
    this.admission.use(
      resourceQuotaAdmission({
        quotas: (ns) => this.context.client('v1', 'ResourceQuota', ns),
        list: async (r, ns) => (await this.context.client(r.apiVersion, r.kind, ns).list()).items,
        cached: (ns) => this.caches.resourceQuotas.list(ns),
        observe: (q) => this.caches.resourceQuotas.observe(q),
      }),
    );
  }

  /**
   * Starts serving the CRDs the store holds (and follows them by watching), and creates the
   * system namespaces and PriorityClasses.
   */
  async boot(): Promise<void> {
    await this.registrar.start();
    await Promise.all(Object.values(this.caches).map((c) => c.start()));
    const namespaces = this.client('v1', 'Namespace');
    for (const name of SYSTEM_NAMESPACES) {
      if (!(await namespaces.find(name))) await namespaces.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
    }
    const classes = this.client<PriorityClass>('scheduling.k8s.io/v1', 'PriorityClass');
    for (const pc of SYSTEM_PRIORITY_CLASSES) {
      if (!(await classes.find(pc.metadata.name!))) await classes.create(pc);
    }
  }

  /** Writes the Events queued, then stops recording and following CRDs. */
  async stop(): Promise<void> {
    await this.recorder?.flushed();
    this.recorder?.stop();
    await this.registrar.stop();
    await Promise.all(Object.values(this.caches).map((c) => c.stop()));
  }

  /** A client for any served kind, for users: its writes' warnings reach `onWarning`; they write as `tugboat`. */
  client<T extends KubeObject = KubeObject>(apiVersion: string, kind: string, namespace?: string): ResourceClient<T> {
    return this.ownContext.client<T>(apiVersion, kind, namespace);
  }

  /**
   * What a component is handed: {@link context}'s clients (quiet), whose writes that name no
   * field manager write as `fieldManager` (one of {@link FIELD_MANAGERS}).
   */
  contextFor(fieldManager: string): ApiContext {
    let ctx = this.componentContexts.get(fieldManager);
    if (!ctx) {
      ctx = new ClusterApiContext(this.api, this.registry, this.clock, this.events, {
        quiet: true,
        tokens: this.tokenIssuer,
        fieldManager,
      });
      this.componentContexts.set(fieldManager, ctx);
    }
    return ctx;
  }
}
