/** The cloud-provider conformance suite against LocalCloudProvider's parts and MockCloudProvider. */
import { runCloudProviderConformance } from '../../src/testing/conformance.js';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalLoadBalancers, LocalNodeGroups, LocalVolumes } from '../../src/cloud-providers/local/index.js';
import { MockCloudProvider } from '../../src/testing/mock-cloud-provider.js';
import { MockRuntime } from '../../src/runtime-adapters/mock/index.js';

const VOLUME_ROOT = join(tmpdir(), `tugboat-conformance-volumes-${process.pid}`);

await runCloudProviderConformance({
  name: 'LocalCloudProvider',
  // Any free port: a fixed Service port may be taken on a shared machine (the balancer then picks another).
  newLoadBalancers: () => new LocalLoadBalancers({ preferServicePort: false }),
  closeLoadBalancers: (lb) => (lb as LocalLoadBalancers).close(),
  volumes: {
    newVolumes: () => new LocalVolumes({ root: VOLUME_ROOT }),
    closeVolumes: () => rm(VOLUME_ROOT, { recursive: true, force: true }),
  },
  newNodeGroups: async (host) => {
    const nodeGroups = new LocalNodeGroups([{ name: 'pool', min: 0, max: 2, template: { runtime: new MockRuntime() } }]);
    await nodeGroups.attach(host);
    return { nodeGroups, groupId: 'pool' };
  },
});

await runCloudProviderConformance({
  name: 'MockCloudProvider',
  newLoadBalancers: () => new MockCloudProvider().loadBalancers,
  volumes: { newVolumes: () => new MockCloudProvider().volumes },
  newNodeGroups: async (host) => {
    const mock = new MockCloudProvider({
      nodeGroups: new LocalNodeGroups([{ name: 'pool', min: 0, max: 3, template: { runtime: new MockRuntime() } }]),
    });
    await mock.attach(host);
    return { nodeGroups: mock.nodeGroups!, groupId: 'pool' };
  },
  skip: { 'loadBalancers > forwards TCP to a Ready endpoint': 'the mock has no data plane: its balancers exist only in memory' },
});
