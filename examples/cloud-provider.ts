/**
 * A cloud provider of your own: the skeleton of one for Nimbus, a fictitious cloud, with its
 * load balancers and node groups. `NimbusApi` stands in for the cloud's SDK (in memory here);
 * everything else is what a real provider looks like. Runs on the mock runtime and a fake clock:
 * `npx tsx examples/cloud-provider.ts`.
 */
import { pathToFileURL } from 'node:url';
import {
  Cluster,
  FakeClock,
  MockRuntime,
  type CloudHost,
  type CloudProvider,
  type ContainerRuntime,
  type LoadBalancerProvider,
  type LoadBalancerRequest,
  type NodeGroup,
  type NodeGroupProvider,
  type Service,
} from '../src/index.js';

/** The cloud's SDK, as far as the provider needs it (a real one makes HTTP calls). */
export class NimbusApi {
  readonly balancers = new Map<string, { ip: string; targets: string[] }>();
  readonly instances = new Map<string, string[]>([['pool', []]]);
  private nextIp = 10;
  private nextInstance = 1;

  async upsertBalancer(name: string, targets: string[]): Promise<string> {
    const ip = this.balancers.get(name)?.ip ?? `203.0.113.${this.nextIp++}`;
    this.balancers.set(name, { ip, targets });
    return ip;
  }
  async deleteBalancer(name: string): Promise<void> {
    this.balancers.delete(name);
  }
  async createInstance(group: string): Promise<string> {
    const name = `${group}-${this.nextInstance++}`;
    this.instances.get(group)?.push(name);
    return name;
  }
  async deleteInstance(group: string, name: string): Promise<void> {
    this.instances.set(
      group,
      (this.instances.get(group) ?? []).filter((n) => n !== name),
    );
  }
}

/** One balancer per Service: its name in the cloud carries the cluster's, so clusters never share one. */
const balancerName = (clusterName: string, s: Service) => `${clusterName}-${s.metadata.namespace}-${s.metadata.name}`;

class NimbusLoadBalancers implements LoadBalancerProvider {
  constructor(private readonly api: NimbusApi) {}

  async get(clusterName: string, service: Service) {
    const lb = this.api.balancers.get(balancerName(clusterName, service));
    return lb ? { ingress: [{ ip: lb.ip }] } : undefined;
  }

  async ensure(request: LoadBalancerRequest) {
    // Send traffic to the Ready endpoints (or, with a cloud that can only reach nodes, to request.nodes at each port's nodePort).
    const targets = request.ports.flatMap((p) => p.endpoints.map((e) => `${e.ip}:${e.port}`));
    const ip = await this.api.upsertBalancer(balancerName(request.clusterName, request.service), targets);
    return { ingress: [{ ip }] };
  }

  async delete(clusterName: string, service: Service) {
    await this.api.deleteBalancer(balancerName(clusterName, service));
  }
}

class NimbusNodeGroups implements NodeGroupProvider {
  host: CloudHost | undefined;
  constructor(
    private readonly api: NimbusApi,
    private readonly runtime: (node: string) => ContainerRuntime,
  ) {}

  async groups(): Promise<NodeGroup[]> {
    // The template is what the autoscaler simulates pending pods on before it asks for a node.
    const template = { capacity: { cpu: '2', memory: '4Gi', pods: '110' }, labels: { 'nimbus.example/pool': 'pool' } };
    return [{ id: 'pool', minSize: 0, maxSize: 3, template }];
  }
  async targetSize(id: string) {
    return (this.api.instances.get(id) ?? []).length;
  }
  async nodes(id: string) {
    return [...(this.api.instances.get(id) ?? [])];
  }
  async increaseSize(id: string, delta: number) {
    const group = (await this.groups()).find((g) => g.id === id);
    if (!group) throw new Error(`no node group ${id}`);
    // Refuse what the group cannot do, changing nothing (the conformance suite checks this).
    const size = await this.targetSize(id);
    if (size + delta > group.maxSize) throw new Error(`size increase too large: desired ${size + delta}, max ${group.maxSize}`);
    for (let i = 0; i < delta; i++) {
      const name = await this.api.createInstance(id);
      // A real cloud boots a machine whose own agent joins the cluster; here the cluster starts the node.
      await this.host!.addNode({ name, runtime: this.runtime(name), ...group.template });
    }
  }
  async deleteNodes(id: string, names: string[]) {
    const group = (await this.groups()).find((g) => g.id === id);
    const size = await this.targetSize(id);
    if (!group || size - names.length < group.minSize) throw new Error(`size decrease too large: desired ${size - names.length}`);
    for (const name of names) {
      await this.host!.removeNode(name);
      await this.api.deleteInstance(id, name);
    }
  }
}

/** The provider: the parts Nimbus offers (no volumes: StorageClasses of other provisioners keep their claims Pending). */
export class NimbusCloudProvider implements CloudProvider {
  readonly name = 'nimbus';
  readonly loadBalancers: NimbusLoadBalancers;
  readonly nodeGroups: NimbusNodeGroups;

  constructor(api: NimbusApi, runtime: (node: string) => ContainerRuntime) {
    this.loadBalancers = new NimbusLoadBalancers(api);
    this.nodeGroups = new NimbusNodeGroups(api, runtime);
  }

  attach(host: CloudHost) {
    this.nodeGroups.host = host;
  }
}

async function main(): Promise<void> {
  const clock = new FakeClock(new Date('2026-01-01T00:00:00Z'));
  const runtime = new MockRuntime({ clock });
  const api = new NimbusApi();
  const cluster = await Cluster.start({
    clock,
    cloudProvider: new NimbusCloudProvider(api, () => runtime),
    nodes: [{ name: 'node-a', runtime, capacity: { cpu: '1', memory: '4Gi', pods: '110' } }],
  });
  await cluster.apply({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'default' },
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: 'web' } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: { containers: [{ name: 'web', image: 'web:1', resources: { requests: { cpu: '800m' } } }] },
      },
    },
  });
  await cluster.apply({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'web', namespace: 'default' },
    spec: { type: 'LoadBalancer', selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080 }] },
  });
  // One replica fits node-a; the other makes the autoscaler ask Nimbus for a node.
  await cluster.advanceUntil(async () => (await cluster.pods().list()).items.filter((p) => p.status?.phase === 'Running').length === 2);
  console.log(`nodes: ${(await cluster.nodes().list()).items.map((n) => n.metadata.name).join(', ')}`);
  const ip = await cluster.advanceUntil(async () => {
    const ingress = (await cluster.services().get('web')).status?.loadBalancer?.ingress?.[0]?.ip;
    return api.balancers.get(`${cluster.name}-default-web`)?.targets.length === 2 ? ingress : undefined;
  });
  console.log(`web: load balancer ${ip} over 2 endpoints`);
  await cluster.services().delete('web');
  await cluster.advanceUntil(async () => !(await cluster.services().find('web')));
  console.log(`web deleted: ${api.balancers.size} balancers left in Nimbus`);
  await cluster.stop();
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
