import { afterEach, describe, expect, it } from 'vitest';
import { nodeLifecycleController } from '../../../src/controllers/node-lifecycle.js';
import { desiredTaints, evictionTimeMs, tolerates } from '../../../src/controllers/node-lifecycle/taints.js';
import type { Lease, Node, Pod } from '../../../src/model/types.js';
import { container, pods, startHarness, type Harness } from './helpers.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.stop();
  h = undefined;
});

describe('node lifecycle decisions', () => {
  const now = '2026-01-01T00:00:00.000Z';
  it.each([
    ['True', []],
    [undefined, []],
    ['False', ['node.kubernetes.io/not-ready:NoSchedule', 'node.kubernetes.io/not-ready:NoExecute']],
    ['Unknown', ['node.kubernetes.io/unreachable:NoSchedule', 'node.kubernetes.io/unreachable:NoExecute']],
  ])('Ready=%s taints the node with %j', (ready, expected) => {
    const taints = desiredTaints([{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }], ready, now);
    expect(taints.map((t) => `${t.key}:${t.effect}`)).toEqual(['dedicated:NoSchedule', ...expected]);
  });

  it('swaps not-ready for unreachable and keeps timeAdded of a kept taint', () => {
    const first = desiredTaints([], 'False', now);
    const swapped = desiredTaints(first, 'Unknown', '2026-01-01T00:01:00.000Z');
    expect(swapped.map((t) => t.key)).toEqual(['node.kubernetes.io/unreachable', 'node.kubernetes.io/unreachable']);
    expect(desiredTaints(swapped, 'Unknown', '2026-01-02T00:00:00.000Z')).toBe(swapped);
  });

  it('computes eviction times from tolerations', () => {
    const t0 = Date.parse(now);
    const taints = [{ key: 'node.kubernetes.io/unreachable', effect: 'NoExecute', timeAdded: now }];
    expect(evictionTimeMs(taints, [], t0 + 5)).toBe(t0 + 5);
    expect(
      evictionTimeMs(
        taints,
        [{ key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 }],
        t0,
      ),
    ).toBe(t0 + 300_000);
    expect(evictionTimeMs(taints, [{ operator: 'Exists' }], t0)).toBeUndefined();
    expect(evictionTimeMs(taints, [{ key: 'other', operator: 'Exists' }], t0)).toBe(t0);
    expect(evictionTimeMs([{ key: 'x', effect: 'NoSchedule' }], [], t0)).toBeUndefined();
    expect(tolerates({ key: 'k', operator: 'Equal', value: 'v' }, { key: 'k', value: 'v', effect: 'NoExecute' })).toBe(true);
    expect(tolerates({ key: 'k', operator: 'Equal', value: 'w' }, { key: 'k', value: 'v', effect: 'NoExecute' })).toBe(false);
  });
});

describe('node lifecycle controller', () => {
  it('taints a node whose lease stops, evicts its pods after tolerationSeconds, untaints it when back', async () => {
    h = await startHarness([nodeLifecycleController()]);
    const ctx = h.cluster.context;
    const nodes = ctx.client<Node>('v1', 'Node');
    const leases = ctx.client<Lease>('coordination.k8s.io/v1', 'Lease', 'kube-node-lease');
    const node = await nodes.create({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1' }, spec: {} });
    await nodes.updateStatus({
      ...node,
      status: { conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady', lastHeartbeatTime: h.clock.now().toISOString() }] },
    });
    const renew = async () => {
      const cur = await leases.find('n1');
      const spec = { holderIdentity: 'n1', leaseDurationSeconds: 40, renewTime: h!.clock.now().toISOString() };
      if (cur) await leases.update({ ...cur, spec });
      else
        await leases.create({
          apiVersion: 'coordination.k8s.io/v1',
          kind: 'Lease',
          metadata: { name: 'n1', namespace: 'kube-node-lease' },
          spec,
        });
    };
    await renew();
    const unreachable = (seconds: number) => [
      { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: seconds },
    ];
    await pods(h.cluster).create({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'patient' },
      spec: { nodeName: 'n1', containers: [container], tolerations: unreachable(100) },
    });
    await pods(h.cluster).create({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'impatient' },
      spec: { nodeName: 'n1', containers: [container], tolerations: unreachable(0) },
    });
    await h.idle();

    await h.clock.advance(30_000);
    await renew();
    await h.idle();
    await h.clock.advance(30_000);
    await h.idle();
    expect((await nodes.get('n1')).spec?.taints ?? []).toEqual([]);

    await h.clock.advance(11_000); // 41 s since the last renewal
    await h.idle();
    let n = await nodes.get('n1');
    expect(n.status?.conditions?.find((c) => c.type === 'Ready')).toMatchObject({
      status: 'Unknown',
      reason: 'NodeStatusUnknown',
      message: 'Kubelet stopped posting node status.',
    });
    expect(n.spec?.taints?.map((t) => `${t.key}:${t.effect}`)).toEqual([
      'node.kubernetes.io/unreachable:NoSchedule',
      'node.kubernetes.io/unreachable:NoExecute',
    ]);
    expect(await pods(h.cluster).find('impatient')).toBeUndefined();
    expect(await pods(h.cluster).find('patient')).toBeDefined();

    await h.clock.advance(99_000);
    await h.idle();
    expect(await pods(h.cluster).find('patient')).toBeDefined();
    await h.clock.advance(2_000);
    await h.idle();
    expect(await pods(h.cluster).find('patient')).toBeUndefined();

    // the node comes back
    await renew();
    n = await nodes.get('n1');
    await nodes.updateStatus({
      ...n,
      status: { conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady', lastHeartbeatTime: h.clock.now().toISOString() }] },
    });
    await h.idle();
    expect((await nodes.get('n1')).spec?.taints ?? []).toEqual([]);
  });
});
