/**
 * The loop between the API and the ingress adapters: watches Ingresses, IngressClasses,
 * Services, EndpointSlices and Secrets through the shared informers, rebuilds each adapter's
 * routes on every change (coalesced), hands them to the adapter, writes each served Ingress's
 * status.loadBalancer with the adapter's real address, and reports problems as Warning Events.
 */
import type { EndpointSlice, Ingress, IngressClass, KubeObject, Secret, Service } from '../model/types.js';
import type { ApiContext } from '../client/types.js';
import type { InformerFactory } from '../client/informer-factory.js';
import type { Informer } from '../client/informer.js';
import { kinds } from '../client/kinds.js';
import { silentLogger, type Logger } from '../client/logger.js';
import type { IngressAdapter, IngressAddress } from './types.js';
import { buildRoutes } from './routes/build-routes.js';
import { SERVICE_NAME_LABEL } from './routes/backends.js';

const COMPONENT = 'ingress-controller';

interface Served {
  adapter: IngressAdapter;
  address: IngressAddress;
  /** Problems already reported, so a rebuild does not report them again. */
  reported: Map<string, Set<string>>;
}

/** Runs a set of ingress adapters against the API. */
export class IngressSync {
  private readonly served: Served[] = [];
  private ingresses?: Informer<Ingress>;
  private classes?: Informer<IngressClass>;
  private services?: Informer<Service>;
  private slices?: Informer<EndpointSlice>;
  private secrets?: Informer<Secret>;
  private pending = false;
  private busy = false;
  private running: Promise<void> = Promise.resolve();
  private stopped = false;
  private readonly unsubscribe: (() => void)[] = [];

  constructor(
    private readonly ctx: ApiContext,
    private readonly informers: InformerFactory,
    private readonly adapters: readonly IngressAdapter[],
    private readonly logger: Logger = silentLogger,
  ) {
    const names = new Set<string>();
    for (const a of adapters) {
      if (names.has(a.className)) throw new Error(`ingressAdapters: two adapters serve the IngressClass "${a.className}"`);
      names.add(a.className);
    }
  }

  /** Starts the adapters and the informers; resolves once the first routes are applied. */
  async start(): Promise<void> {
    for (const adapter of this.adapters) {
      const address = await adapter.start();
      this.served.push({ adapter, address, reported: new Map() });
    }
    this.ingresses = await this.informers.start(kinds.Ingress);
    this.classes = await this.informers.start(kinds.IngressClass);
    this.services = await this.informers.start(kinds.Service);
    this.slices = await this.informers.start(kinds.EndpointSlice);
    this.secrets = await this.informers.start(kinds.Secret);
    const handler = {
      onAdd: () => this.schedule(),
      onUpdate: (a: KubeObject, b: KubeObject) => this.changed(a, b),
      onDelete: () => this.schedule(),
    };
    for (const inf of [this.ingresses, this.classes, this.services, this.slices, this.secrets] as Informer<KubeObject>[]) {
      this.unsubscribe.push(inf.addHandler(handler));
    }
    this.schedule();
    await this.idle();
  }

  /** The address of the adapter serving `className`. */
  addressOf(className: string): IngressAddress | undefined {
    return this.served.find((s) => s.adapter.className === className)?.address;
  }

  /** True when no rebuild is pending or running. */
  isIdle(): boolean {
    return !this.pending && !this.busy;
  }

  /** Resolves when no rebuild is pending or running. */
  async idle(): Promise<void> {
    for (;;) {
      const current = this.running;
      await current;
      if (current === this.running && !this.pending) return;
      await new Promise<void>((r) => setImmediate(r));
    }
  }

  /** Stops the adapters (the informers are the factory's). */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const u of this.unsubscribe.splice(0)) u();
    await this.running.catch(() => undefined);
    await Promise.all(this.served.map((s) => s.adapter.stop()));
  }

  private changed(a: KubeObject, b: KubeObject): void {
    // An Ingress's own status write (ours) changes nothing routes depend on.
    if (a.kind === 'Ingress' && a.metadata.generation === b.metadata.generation && sameAnnotations(a, b)) {
      if (!!a.metadata.deletionTimestamp === !!b.metadata.deletionTimestamp) return;
    }
    this.schedule();
  }

  private schedule(): void {
    if (this.pending || this.stopped) return;
    this.pending = true;
    setImmediate(() => {
      this.running = this.running.then(() => {
        this.pending = false;
        this.busy = true;
        return this.sync()
          .catch((e) => this.logger.error({ err: e }, 'ingress sync failed'))
          .finally(() => {
            this.busy = false;
          });
      });
    });
  }

  private async sync(): Promise<void> {
    if (this.stopped) return;
    const ingresses = this.ingresses?.list() ?? [];
    const classes = this.classes?.list() ?? [];
    const servedBy = new Map<string, IngressAddress>();
    for (const s of this.served) {
      const built = buildRoutes({
        className: s.adapter.className,
        controller: s.adapter.controller,
        ingressClasses: classes,
        ingresses,
        service: (ns, name) => this.services?.get(ns, name),
        endpointSlices: (ns, svc) =>
          this.slices?.list({ namespace: ns, labelSelector: { matchLabels: { [SERVICE_NAME_LABEL]: svc } } }) ?? [],
        secret: (ns, name) => this.secrets?.get(ns, name),
      });
      let applied = true;
      try {
        await s.adapter.apply(built.routes);
      } catch (e) {
        applied = false;
        const message = `${s.adapter.className}: configuration rejected, the previous one stays in force: ${(e as Error).message}`;
        for (const ing of built.served) await this.ctx.events.record(ing, 'Warning', 'InvalidConfiguration', message, COMPONENT);
      }
      for (const ing of built.served) {
        const key = `${ing.metadata.namespace}/${ing.metadata.name}`;
        if (applied) servedBy.set(key, s.address);
        const problems = built.problems.get(key) ?? [];
        const seen = s.reported.get(key) ?? new Set<string>();
        for (const p of problems) {
          if (seen.has(p)) continue;
          await this.ctx.events.record(ing, 'Warning', 'BadConfig', p, COMPONENT);
        }
        s.reported.set(key, new Set(problems));
        if (applied && problems.length === 0 && !seen.has('sync')) {
          await this.ctx.events.record(
            ing,
            'Normal',
            'Sync',
            `Scheduled for sync by ${s.adapter.controller} (class ${s.adapter.className})`,
            COMPONENT,
          );
          s.reported.get(key)?.add('sync');
        } else if (seen.has('sync')) s.reported.get(key)?.add('sync');
      }
    }
    for (const ing of ingresses) await this.writeStatus(ing, servedBy.get(`${ing.metadata.namespace}/${ing.metadata.name}`));
  }

  private async writeStatus(ing: Ingress, address: IngressAddress | undefined): Promise<void> {
    const current = ing.status?.loadBalancer?.ingress ?? [];
    const ours = this.served.some((s) => current.some((c) => c.ip === s.address.ip && c.ports?.[0]?.port === s.address.port));
    const want = address
      ? [
          {
            ip: address.ip,
            ports: [
              { port: address.port, protocol: 'TCP' },
              { port: address.tlsPort, protocol: 'TCP' },
            ],
          },
        ]
      : ours
        ? []
        : undefined;
    if (!want || JSON.stringify(current) === JSON.stringify(want)) return;
    try {
      await this.ctx
        .client(kinds.Ingress, ing.metadata.namespace)
        .patchStatus(ing.metadata.name as string, { status: { loadBalancer: { ingress: want } } }, 'merge');
    } catch (e) {
      this.logger.debug({ err: e }, 'ingress status write failed');
    }
  }
}

function sameAnnotations(a: KubeObject, b: KubeObject): boolean {
  return JSON.stringify(a.metadata.annotations ?? {}) === JSON.stringify(b.metadata.annotations ?? {});
}
