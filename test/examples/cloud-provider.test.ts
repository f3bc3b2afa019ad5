/** The cloud-provider guide: it shows examples/cloud-provider.ts as it is, the example runs, and its provider passes the conformance suite. */
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { NimbusApi, NimbusCloudProvider } from '../../examples/cloud-provider.js';
import { runCloudProviderConformance } from '../../src/testing.js';
import { MockRuntime } from '../../src/index.js';

const root = resolve(import.meta.dirname, '../..');

describe('the cloud provider guide', () => {
  it('shows examples/cloud-provider.ts exactly', async () => {
    const guide = await readFile(join(root, 'docs/guides/cloud-provider.md'), 'utf8');
    const code = await readFile(join(root, 'examples/cloud-provider.ts'), 'utf8');
    expect(/```ts\n([\s\S]*?)```/.exec(guide)?.[1]).toBe(code);
  });

  it('runs the example: a node from Nimbus for the pending replica, a balancer over both endpoints, released with the Service', {
    timeout: 60_000,
  }, async () => {
    const { stdout } = await promisify(execFile)(join(root, 'node_modules/.bin/tsx'), ['examples/cloud-provider.ts'], {
      cwd: root,
      timeout: 50_000,
    });
    expect(stdout.trim().split('\n')).toEqual([
      'nodes: node-a, pool-1',
      'web: load balancer 203.0.113.10 over 2 endpoints',
      'web deleted: 0 balancers left in Nimbus',
    ]);
  });
});

const runtime = new MockRuntime();
await runCloudProviderConformance({
  name: 'Nimbus (the guide)',
  newLoadBalancers: () => new NimbusCloudProvider(new NimbusApi(), () => runtime).loadBalancers,
  newNodeGroups: async (host) => {
    const provider = new NimbusCloudProvider(new NimbusApi(), () => runtime);
    provider.attach(host);
    return { nodeGroups: provider.nodeGroups, groupId: 'pool' };
  },
  skip: { 'loadBalancers > forwards TCP to a Ready endpoint': 'Nimbus balancers are not reachable from the test' },
});
