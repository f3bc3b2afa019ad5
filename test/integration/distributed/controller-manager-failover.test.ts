/**
 * Two `tugboat controller-manager --leader-elect` processes on one `tugboat apiserver`: exactly one
 * holds kube-system/tugboat-controller-manager (and keeps it while it renews); SIGKILLed (nothing
 * released), the other takes over once the Lease expires, within the lease duration (plus the
 * retry period it takes to notice), with leaseTransitions + 1, and its controllers act.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpApiContext } from '../../../src/client/http/http-api-context.js';
import { kinds } from '../../../src/client/kinds.js';
import { CONTROLLER_MANAGER_LEASE } from '../../../src/cluster/leader-election.js';
import type { Lease } from '../../../src/model/types.js';
import { eventually } from '../../../src/testing/eventually.js';
import { fileWritten, killAll, outputs, type Part, sigkill, spawnPart } from './parts.js';

const dir = mkdtempSync(join(tmpdir(), 'tugboat-cm-failover-'));
const kubeconfig = join(dir, 'admin.kubeconfig');
const LEASE_MS = 3000;
const RETRY_MS = 400;
const WAIT = { timeoutMs: 90_000, intervalMs: 50 };
const IDENTITIES = ['cm-a', 'cm-b'] as const;

describe('two controller managers with --leader-elect', () => {
  let ctx: HttpApiContext | undefined;
  const managers = new Map<string, Part>();

  beforeAll(async () => {
    const api = spawnPart('apiserver', ['apiserver', '--store', 'memory', '--port', '0', '--kubeconfig-out', kubeconfig]);
    await fileWritten(kubeconfig, api);
    for (const id of IDENTITIES) {
      const election = ['--leader-elect', '--leader-elect-identity', id, '--leader-elect-lease-duration', `${LEASE_MS}ms`];
      const periods = ['--leader-elect-renew-deadline', '2s', '--leader-elect-retry-period', `${RETRY_MS}ms`];
      managers.set(id, spawnPart(id, ['controller-manager', '--kubeconfig', kubeconfig, ...election, ...periods]));
    }
    ctx = await HttpApiContext.connect(kubeconfig);
  }, 180_000);

  afterAll(async () => {
    await ctx?.close();
    await killAll();
    rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  it('one leads; SIGKILLed, the other takes over within the lease duration and acts', { timeout: 300_000 }, async () => {
    const leases = ctx!.client<Lease>('coordination.k8s.io/v1', 'Lease', 'kube-system');
    const first = await eventually(
      async () => {
        const l = await leases.find(CONTROLLER_MANAGER_LEASE);
        return l?.spec?.holderIdentity ? l : undefined;
      },
      `a leader\n${outputs()}`,
      WAIT,
    );
    const leader = first.spec!.holderIdentity!;
    expect(IDENTITIES).toContain(leader);
    const other = IDENTITIES.find((id) => id !== leader)!;
    expect(first.spec?.leaseDurationSeconds).toBe(LEASE_MS / 1000);
    // While the leader renews (several renewals, past a lease duration), the other never takes it.
    let last = first.spec?.renewTime;
    for (let renewals = 0; renewals < 10; renewals++) {
      const l = await eventually(
        async () => {
          const cur = await leases.get(CONTROLLER_MANAGER_LEASE);
          return cur.spec?.renewTime !== last ? cur : undefined;
        },
        `the leader renews\n${outputs()}`,
        WAIT,
      );
      expect(l.spec?.holderIdentity).toBe(leader);
      last = l.spec?.renewTime;
    }

    await sigkill(managers.get(leader)!);
    const before = await leases.get(CONTROLLER_MANAGER_LEASE);
    expect(before.spec?.holderIdentity).toBe(leader);
    const taken = await eventually(
      async () => {
        const l = await leases.get(CONTROLLER_MANAGER_LEASE);
        return l.spec?.holderIdentity === other ? l : undefined;
      },
      `${other} takes over\n${outputs()}`,
      WAIT,
    );
    // Lease times, not the test's wall clock: from the dead leader's last renewal to the takeover.
    const gapMs = Date.parse(taken.spec!.acquireTime!) - Date.parse(before.spec!.renewTime!);
    console.log(`failover: ${gapMs} ms from the last renewal to the new leader's acquireTime (lease ${LEASE_MS} ms, retry ${RETRY_MS} ms)`);
    expect(gapMs).toBeGreaterThanOrEqual(LEASE_MS - 1);
    expect(gapMs).toBeLessThanOrEqual(LEASE_MS + 2 * RETRY_MS + 1000);
    expect(taken.spec?.leaseTransitions).toBe((before.spec?.leaseTransitions ?? 0) + 1);

    // The new leader's controllers act: a Deployment gets its ReplicaSet.
    await ctx!.client(kinds.Deployment, 'default').create({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'after-failover' },
      spec: {
        replicas: 1,
        selector: { matchLabels: { app: 'after' } },
        template: { metadata: { labels: { app: 'after' } }, spec: { containers: [{ name: 'main', image: 'busybox' }] } },
      },
    });
    const rs = await eventually(
      async () => (await ctx!.client(kinds.ReplicaSet, 'default').list({ labelSelector: 'app=after' })).items[0],
      `a ReplicaSet from the new leader\n${outputs()}`,
      WAIT,
    );
    expect(rs.metadata.ownerReferences?.[0]?.name).toBe('after-failover');
    expect(managers.get(other)!.child.exitCode).toBeNull();
  });
});
