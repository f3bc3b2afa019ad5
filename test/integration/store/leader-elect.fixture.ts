/**
 * Fixture of leader-election-crash.test.ts: a control plane (a Cluster with leaderElection, no
 * nodes) on an EtcdStore (argv[2] endpoint, argv[3] prefix) campaigning as `child`, with the
 * test's short durations. Prints `STARTED`; the test SIGKILLs it (nothing is released).
 */
import { Cluster } from '../../../src/cluster/cluster.js';
import { EtcdStore } from '../../../src/etcd.js';

const [endpoint, prefix] = process.argv.slice(2);
if (!endpoint || !prefix) throw new Error('usage: leader-elect.fixture.ts <etcd endpoint> <prefix>');
await Cluster.start({
  name: 'le-child',
  store: new EtcdStore({ endpoints: [endpoint], prefix }),
  nodePortAddress: false,
  leaderElection: { identity: 'child', leaseDurationMs: 3000, renewDeadlineMs: 2000, retryPeriodMs: 400 },
});
console.log('STARTED');
process.stdin.resume();
