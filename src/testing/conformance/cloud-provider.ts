/**
 * The cloud-provider conformance cases, one group per part: what every LoadBalancerProvider and
 * NodeGroupProvider must do, whatever cloud it talks to. Register them with
 * `runCloudProviderConformance` from tugboat/testing.
 */
import net from 'node:net';
import { describe, expect } from 'vitest';
import type { Service } from '../../model/types.js';
import type {
  CloudHost,
  CloudNodeSpec,
  LoadBalancerProvider,
  LoadBalancerRequest,
  NodeGroupProvider,
} from '../../cloud-providers/types.js';
import { ConformanceCases, type SkippedCases } from './cases.js';
import { registerVolumeCases, type VolumeConformanceOptions } from './cloud-provider-volumes.js';

/** A host that records the nodes a provider adds and removes (for node-group cases). */
export interface RecordingHost extends CloudHost {
  readonly nodes: Map<string, CloudNodeSpec>;
}

/** Options of the cloud-provider conformance suite. */
export interface CloudProviderConformanceOptions {
  /** The implementation's name (the describe block's title). */
  name: string;
  /** A fresh load-balancer part, or absent when the provider has none. */
  newLoadBalancers?: () => LoadBalancerProvider | Promise<LoadBalancerProvider>;
  /** Releases what a load-balancer part holds after a case. */
  closeLoadBalancers?: (lb: LoadBalancerProvider) => Promise<void> | void;
  /**
   * A fresh node-group part attached to `host`, with one group of minSize 0 and maxSize 2 or
   * more, or absent when the provider has none. Returns the part and that group's id.
   */
  newNodeGroups?: (host: RecordingHost) => Promise<{ nodeGroups: NodeGroupProvider; groupId: string }>;
  /** A fresh volumes part and its release, or absent when the provider has none. */
  volumes?: VolumeConformanceOptions;
  /** Cases to skip with the reason: `{ 'loadBalancers > forwards TCP to a Ready endpoint': 'no data plane' }`. */
  skip?: SkippedCases;
}

function service(name: string, port = 18081): Service {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace: 'default', uid: `uid-${name}` },
    spec: { type: 'LoadBalancer', ports: [{ port, protocol: 'TCP', targetPort: port }] },
  };
}

function request(svc: Service, endpoints: Array<{ ip: string; port: number }> = []): LoadBalancerRequest {
  return {
    clusterName: 'conformance',
    service: svc,
    ports: (svc.spec?.ports ?? []).map((p) => ({ protocol: 'TCP', port: p.port, endpoints })),
    nodes: [],
  };
}

function recordingHost(): RecordingHost {
  const nodes = new Map<string, CloudNodeSpec>();
  return {
    clusterName: 'conformance',
    nodes,
    async addNode(spec) {
      if (nodes.has(spec.name)) throw new Error(`node ${spec.name} exists`);
      nodes.set(spec.name, spec);
    },
    async removeNode(name) {
      nodes.delete(name);
    },
  };
}

async function echoServer(): Promise<{ port: number; close: () => Promise<void> }> {
  const server = net.createServer((s) => s.end('conformance\n'));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as net.AddressInfo).port;
  return { port, close: () => new Promise((r) => server.close(() => r())) };
}

function readFrom(host: string, port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let data = '';
    const s = net.connect({ host, port });
    s.setTimeout(5000, () => s.destroy(new Error('timeout')));
    s.on('data', (d) => (data += d.toString()));
    s.on('end', () => resolve(data));
    s.on('error', reject);
  });
}

/** Registers the cases (vitest). */
export function registerCloudProviderConformance(options: CloudProviderConformanceOptions): void {
  const cases = ConformanceCases.of(options.skip);
  describe(`CloudProvider conformance: ${options.name}`, () => {
    const withLb = async (fn: (lb: LoadBalancerProvider) => Promise<void>) => {
      const lb = await options.newLoadBalancers!();
      try {
        await fn(lb);
      } finally {
        await options.closeLoadBalancers?.(lb);
      }
    };
    if (options.newLoadBalancers) {
      cases.group('loadBalancers', (c) => {
        c.case('ensure returns an ingress point with an ip or a hostname', () =>
          withLb(async (lb) => {
            const status = await lb.ensure(request(service('a')));
            expect(status.ingress?.length).toBeGreaterThan(0);
            expect(status.ingress!.every((i) => !!(i.ip || i.hostname))).toBe(true);
          }),
        );
        c.case('ensure is idempotent: the same request gives the same status', () =>
          withLb(async (lb) => {
            const first = await lb.ensure(request(service('a')));
            expect(await lb.ensure(request(service('a')))).toEqual(first);
          }),
        );
        c.case('get is undefined before ensure and after delete, the status in between', () =>
          withLb(async (lb) => {
            const svc = service('a');
            expect(await lb.get('conformance', svc)).toBeUndefined();
            const status = await lb.ensure(request(svc));
            expect(await lb.get('conformance', svc)).toEqual(status);
            await lb.delete('conformance', svc);
            expect(await lb.get('conformance', svc)).toBeUndefined();
          }),
        );
        c.case('delete of a balancer that does not exist succeeds', () => withLb((lb) => lb.delete('conformance', service('never'))));
        c.case('balancers of two Services are independent', () =>
          withLb(async (lb) => {
            await lb.ensure(request(service('a')));
            await lb.ensure(request(service('b', 18082)));
            await lb.delete('conformance', service('a'));
            expect(await lb.get('conformance', service('b', 18082))).toBeDefined();
          }),
        );
        c.case('forwards TCP to a Ready endpoint', () =>
          withLb(async (lb) => {
            const backend = await echoServer();
            try {
              const status = await lb.ensure(request(service('a'), [{ ip: '127.0.0.1', port: backend.port }]));
              const ingress = status.ingress![0]!;
              const port = ingress.ports?.[0]?.port ?? 18081;
              expect(await readFrom(ingress.ip ?? ingress.hostname ?? '', port)).toBe('conformance\n');
            } finally {
              await backend.close();
            }
          }),
        );
      });
    }
    if (options.newNodeGroups) {
      cases.group('nodeGroups', (c) => {
        c.case('lists its groups with 0 <= minSize <= maxSize', async () => {
          const { nodeGroups } = await options.newNodeGroups!(recordingHost());
          const groups = await nodeGroups.groups();
          expect(groups.length).toBeGreaterThan(0);
          for (const g of groups) expect(0 <= g.minSize && g.minSize <= g.maxSize).toBe(true);
        });
        c.case('increaseSize adds nodes through the host and raises the target size', async () => {
          const host = recordingHost();
          const { nodeGroups, groupId } = await options.newNodeGroups!(host);
          const before = await nodeGroups.targetSize(groupId);
          await nodeGroups.increaseSize(groupId, 1);
          expect(await nodeGroups.targetSize(groupId)).toBe(before + 1);
          expect((await nodeGroups.nodes(groupId)).length).toBe(before + 1);
          for (const n of await nodeGroups.nodes(groupId)) expect(host.nodes.has(n)).toBe(true);
        });
        c.case('increaseSize past maxSize fails and changes nothing', async () => {
          const host = recordingHost();
          const { nodeGroups, groupId } = await options.newNodeGroups!(host);
          const group = (await nodeGroups.groups()).find((g) => g.id === groupId)!;
          const size = await nodeGroups.targetSize(groupId);
          await expect(nodeGroups.increaseSize(groupId, group.maxSize - size + 1)).rejects.toThrow();
          expect(await nodeGroups.targetSize(groupId)).toBe(size);
          expect(host.nodes.size).toBe(size);
        });
        c.case('deleteNodes removes those nodes; below minSize it fails', async () => {
          const host = recordingHost();
          const { nodeGroups, groupId } = await options.newNodeGroups!(host);
          const group = (await nodeGroups.groups()).find((g) => g.id === groupId)!;
          await nodeGroups.increaseSize(groupId, 1);
          const [victim] = await nodeGroups.nodes(groupId);
          const size = await nodeGroups.targetSize(groupId);
          if (size - 1 < group.minSize) {
            await expect(nodeGroups.deleteNodes(groupId, [victim!])).rejects.toThrow();
            return;
          }
          await nodeGroups.deleteNodes(groupId, [victim!]);
          expect(await nodeGroups.nodes(groupId)).not.toContain(victim);
          expect(host.nodes.has(victim!)).toBe(false);
          expect(await nodeGroups.targetSize(groupId)).toBe(size - 1);
        });
      });
    }
    if (options.volumes) registerVolumeCases(cases, options.volumes);
    cases.checkSkips();
  });
}
