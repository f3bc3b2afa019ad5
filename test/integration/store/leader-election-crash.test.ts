/**
 * A controller manager in another process that dies (SIGKILL: no release) is replaced by this
 * process's after the lease duration, never while it still renews, as client-go's leader election.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { CONTROLLER_MANAGER_LEASE, Cluster } from '../../../src/cluster/cluster.js';
import { kinds } from '../../../src/client/kinds.js';
import { EtcdStore } from '../../../src/etcd.js';
import { eventually } from '../../../src/testing.js';
import { SHARED_ETCD, etcdForTests, uniquePrefix } from '../../support/etcd.js';

const run = await etcdForTests();
const here = path.dirname(fileURLToPath(import.meta.url));

describe.runIf(run)('leader election across processes on one etcd', { timeout: 120_000 }, () => {
  const prefix = uniquePrefix('leader-crash');
  let child: ChildProcess | undefined;
  let local: Cluster | undefined;
  afterAll(async () => {
    if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await local?.stop();
  });

  it('the leader process SIGKILLed: the other takes over after the lease expires, with leaseTransitions + 1', async () => {
    child = spawn(process.execPath, ['--import', 'tsx', path.join(here, 'leader-elect.fixture.ts'), SHARED_ETCD, prefix], {
      cwd: path.resolve(here, '../../..'),
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    for await (const line of createInterface({ input: child.stdout! })) if (line === 'STARTED') break;

    const seen: string[] = [];
    local = await Cluster.start({
      name: 'le-local',
      store: new EtcdStore({ endpoints: [SHARED_ETCD], prefix }),
      nodePortAddress: false,
      leaderElection: { identity: 'local', leaseDurationMs: 3000, renewDeadlineMs: 2000, retryPeriodMs: 400 },
    });
    await local.controllers.register({
      name: 'recorder',
      for: kinds.ConfigMap,
      reconcile: async (req) => {
        if (req.namespace === 'default') seen.push(req.name);
      },
    });
    const leases = local.context.client(kinds.Lease, 'kube-system');
    const first = await eventually(
      async () => {
        const l = await leases.find(CONTROLLER_MANAGER_LEASE);
        return l?.spec?.holderIdentity === 'child' ? l : undefined;
      },
      'the child leads',
      { timeoutMs: 30_000, intervalMs: 50 },
    );
    // While the child renews (several renewals seen, past a lease duration), this process never leads.
    let renewals = 0;
    let last = first.spec?.renewTime;
    while (renewals < 10) {
      const l = await eventually(
        async () => {
          const cur = await leases.get(CONTROLLER_MANAGER_LEASE);
          return cur.spec?.renewTime !== last ? cur : undefined;
        },
        'the child renews',
        { timeoutMs: 30_000, intervalMs: 50 },
      );
      expect(l.spec?.holderIdentity).toBe('child');
      expect(local.isLeading('controller-manager')).toBe(false);
      last = l.spec?.renewTime;
      renewals++;
    }
    await local.client(kinds.ConfigMap, 'default').create({ metadata: { name: 'made' }, data: {} });

    const exited = new Promise((r) => child?.once('exit', r));
    child.kill('SIGKILL');
    await exited;
    expect((await leases.get(CONTROLLER_MANAGER_LEASE)).spec?.holderIdentity).toBe('child');
    await eventually(async () => local?.isLeading('controller-manager') || undefined, 'this process takes over', {
      timeoutMs: 30_000,
      intervalMs: 50,
    });
    const taken = await leases.get(CONTROLLER_MANAGER_LEASE);
    expect(taken.spec?.holderIdentity).toBe('local');
    expect(taken.spec?.leaseTransitions).toBe((first.spec?.leaseTransitions ?? 0) + 1);
    await eventually(async () => seen.includes('made') || undefined, 'the new leader reconciles', { timeoutMs: 30_000, intervalMs: 50 });
  });
});
