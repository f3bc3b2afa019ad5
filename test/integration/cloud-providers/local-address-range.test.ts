/**
 * The local load balancers' address range on the real loopback interface: each balancer gets its
 * own address and listens there on the Service's port; two clusters (two providers in this
 * process, or another process) never take the same address; a requested spec.loadBalancerIP in
 * the range is honoured; an exhausted range fails the ensure (SyncLoadBalancerFailed) and the
 * retry succeeds once an address is released. Each case uses its own small range of 127.0.0.0/8.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { Service } from '../../../src/model/types.js';
import type { LoadBalancerRequest } from '../../../src/cloud-providers/types.js';
import {
  AddressPool,
  AddressRangeExhaustedError,
  DEFAULT_RESERVATION_PORT,
  LocalCloudProvider,
  LocalLoadBalancers,
} from '../../../src/cloud-providers/local/index.js';
import { TugboatError } from '../../../src/model/errors.js';
import { startMockCluster, type MockCluster } from '../../support/mock-cluster.js';

const closers: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of closers.splice(0).reverse()) await c();
});

function service(name: string, port: number, loadBalancerIP?: string): Service {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace: 'default', uid: `uid-${name}` },
    spec: { type: 'LoadBalancer', ports: [{ port, protocol: 'TCP', targetPort: port }], ...(loadBalancerIP ? { loadBalancerIP } : {}) },
  };
}

function request(svc: Service, backendPort?: number, clusterName = 'c1'): LoadBalancerRequest {
  const endpoints = backendPort ? [{ ip: '127.0.0.1', port: backendPort }] : [];
  return { clusterName, service: svc, ports: [{ protocol: 'TCP', port: svc.spec!.ports![0]!.port, endpoints }], nodes: [] };
}

function lbs(range: string): LocalLoadBalancers {
  const lb = new LocalLoadBalancers({ range });
  closers.push(() => lb.close());
  return lb;
}

async function echo(text: string): Promise<number> {
  const server = net.createServer((s) => s.end(text));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  closers.push(() => new Promise((r) => server.close(r)));
  return (server.address() as net.AddressInfo).port;
}

function read(host: string, port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let data = '';
    const s = net.connect({ host, port });
    s.setTimeout(5000, () => s.destroy(new Error('timeout')));
    s.on('data', (d) => (data += d.toString()));
    s.on('end', () => resolve(data));
    s.on('error', reject);
  });
}

describe('AddressPool', () => {
  it('rejects a range that is not an IPv4 CIDR, naming the field', () => {
    expect(() => new AddressPool('127.0.100.0')).toThrow(/loadBalancerRange: Invalid value: "127.0.100.0"/);
    expect(() => new LocalCloudProvider({ loadBalancerRange: '300.0.0.0/8' })).toThrow(TugboatError);
  });

  it('skips the network and broadcast addresses and runs out at the end of the range', async () => {
    const pool = new AddressPool('127.0.103.0/30');
    closers.push(() => pool.close());
    const a = await pool.acquire();
    const b = await pool.acquire();
    expect([a.ip, b.ip].sort()).toEqual(['127.0.103.1', '127.0.103.2']);
    await expect(pool.acquire()).rejects.toBeInstanceOf(AddressRangeExhaustedError);
    await a.release();
    expect((await pool.acquire()).ip).toBe(a.ip);
  });

  it('never hands out an address another process holds', async () => {
    // The other process holds the first address the way a pool does: its UDP reservation socket.
    const child: ChildProcess = spawn(
      process.execPath,
      [
        '-e',
        `const s = require('node:dgram').createSocket('udp4');
         s.bind({ address: '127.0.104.1', port: ${DEFAULT_RESERVATION_PORT}, exclusive: true }, () => console.log('held'));`,
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    closers.push(() => child.kill('SIGKILL'));
    await new Promise<void>((resolve) => child.stdout!.once('data', () => resolve()));
    const pool = new AddressPool('127.0.104.0/30');
    closers.push(() => pool.close());
    expect((await pool.acquire()).ip).toBe('127.0.104.2');
    await expect(pool.acquire('127.0.104.1')).rejects.toThrow(/requested ip "127.0.104.1" is in use/);
    // Killed, even with SIGKILL, it leaves nothing held: the kernel closed its socket.
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGKILL');
    await exited;
    expect((await pool.acquire()).ip).toBe('127.0.104.1');
  });
});

describe('LocalLoadBalancers address range', () => {
  it('gives each balancer its own address, listening on the Service port there', async () => {
    const lb = lbs('127.0.105.0/29');
    const backend = await echo('one\n');
    const a = await lb.ensure(request(service('a', 18090), backend));
    const b = await lb.ensure(request(service('b', 18090), backend));
    const ipA = a.ingress![0]!.ip!;
    const ipB = b.ingress![0]!.ip!;
    expect(ipA).not.toBe(ipB);
    for (const ip of [ipA, ipB]) expect(lb.addresses.contains(ip)).toBe(true);
    expect(a.ingress![0]!.ports![0]!.port).toBe(18090);
    expect(await read(ipA, 18090)).toBe('one\n');
    expect(await read(ipB, 18090)).toBe('one\n');
    // Idempotent: the same address again.
    expect((await lb.ensure(request(service('a', 18090), backend))).ingress![0]!.ip).toBe(ipA);
  });

  it('two clusters on one range never share an address', async () => {
    const one = lbs('127.0.106.0/29');
    const two = lbs('127.0.106.0/29');
    const ips = new Set<string>();
    for (const [i, lb] of [one, two, one, two].entries()) {
      const status = await lb.ensure(request(service(`s${i}`, 18091), undefined, i % 2 ? 'c2' : 'c1'));
      ips.add(status.ingress![0]!.ip!);
    }
    expect(ips.size).toBe(4);
  });

  it('honours a requested loadBalancerIP in the range, moves when it changes, and refuses one outside', async () => {
    const lb = lbs('127.0.107.0/29');
    expect((await lb.ensure(request(service('a', 18092, '127.0.107.5')))).ingress![0]!.ip).toBe('127.0.107.5');
    expect((await lb.ensure(request(service('a', 18092, '127.0.107.6')))).ingress![0]!.ip).toBe('127.0.107.6');
    expect(lb.addresses.inUse).toEqual(['127.0.107.6']);
    await expect(lb.ensure(request(service('b', 18092, '127.0.107.6')))).rejects.toThrow(/in use/);
    await expect(lb.ensure(request(service('c', 18092, '10.0.0.1')))).rejects.toThrow(
      /spec.loadBalancerIP: Invalid value: "10.0.0.1": not in the load balancer range 127.0.107.0\/29/,
    );
    await lb.delete('c1', service('a', 18092));
    expect(lb.addresses.inUse).toEqual([]);
  });
});

describe('the service controller over an exhausted range', () => {
  let m: MockCluster | undefined;
  afterEach(async () => {
    await m?.stop();
    m = undefined;
  });

  it('records SyncLoadBalancerFailed, retries with back-off, and succeeds once an address is released', async () => {
    const cloud = new LocalCloudProvider({ loadBalancerRange: '127.0.108.0/30', volumes: { memory: true } });
    m = await startMockCluster({ nodes: 1, cluster: { cloudProvider: cloud } });
    const c = m.cluster;
    const ingressOf = async (name: string) => (await c.services().get(name)).status?.loadBalancer?.ingress?.[0]?.ip;
    for (const name of ['a', 'b', 'c']) {
      const { uid: _uid, ...metadata } = service(name, 18093).metadata;
      await c.apply({ ...service(name, 18093), metadata });
    }
    await c.advanceUntil(async () => (await ingressOf('a')) && (await ingressOf('b')), { maxMs: 60_000 });
    const failed = await c.advanceUntil(
      async () => (await c.events.list('default')).find((e) => e.involvedObject?.name === 'c' && e.reason === 'SyncLoadBalancerFailed'),
      { maxMs: 60_000 },
    );
    expect(failed!.type).toBe('Warning');
    expect(failed!.message).toContain('no free address in the load balancer range 127.0.108.0/30');
    expect(await ingressOf('c')).toBeUndefined();
    const freed = await ingressOf('a');
    await c.services().delete('a');
    await c.advanceUntil(async () => (await ingressOf('c')) === freed, { maxMs: 600_000 });
    // A type change releases the address too.
    await c.services().patch('b', { spec: { type: 'ClusterIP' } }, 'merge');
    await c.advanceUntil(() => cloud.loadBalancers!.addresses.inUse.length === 1, { maxMs: 60_000 });
  });
});
