/**
 * In-process writes name their writer in managedFields, as Kubernetes' components do
 * (kube-controller-manager, kube-scheduler, kubelet): `tugboat` for the user's cluster.apply and
 * cluster.client writes, `tugboat-controller-manager` for the controllers' objects,
 * `tugboat-scheduler` for the scheduler's status writes and `tugboat-agent` for the node
 * agents' (the Node, its Lease, pod status); an explicit fieldManager wins.
 */
import { describe, expect, it } from 'vitest';
import { startMockCluster } from '../../../src/testing/mock-cluster.js';
import type { KubeObject, Pod } from '../../../src/model/types.js';

const managers = (obj: KubeObject | undefined) =>
  (obj?.metadata.managedFields ?? []).map((e) => `${e.manager}/${e.operation}${e.subresource ? `/${e.subresource}` : ''}`);

describe('field managers of in-process writes', () => {
  it('name the user, the controller manager, the scheduler and the node agent', async () => {
    await using m = await startMockCluster({ nodes: 1 });
    const { cluster } = m;
    await cluster.apply(`
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 1
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: web, image: web:1}]}
`);
    await m.advance(5000);
    const deployment = await cluster.client('apps/v1', 'Deployment').get('web');
    // As in Kubernetes: the controller manager owns the revision annotation and the status.
    expect(managers(deployment)).toEqual([
      'tugboat/Update',
      'tugboat-controller-manager/Update',
      'tugboat-controller-manager/Update/status',
    ]);
    expect(deployment.metadata.managedFields?.[1]?.fieldsV1).toEqual({
      'f:metadata': { 'f:annotations': { 'f:deployment.kubernetes.io/revision': {} } },
    });
    const [rs] = (await cluster.client('apps/v1', 'ReplicaSet').list()).items;
    expect(managers(rs)).toContain('tugboat-controller-manager/Update');
    const [pod] = (await cluster.pods().list()).items;
    expect(pod?.status?.phase).toBe('Running');
    expect(managers(pod).sort()).toEqual(['tugboat-agent/Update/status', 'tugboat-controller-manager/Update']);
    const node = await cluster.client('v1', 'Node').get('node-a');
    expect(managers(node)).toContain('tugboat-agent/Update');
    const lease = await cluster.client('coordination.k8s.io/v1', 'Lease', 'kube-node-lease').get('node-a');
    expect(managers(lease)).toEqual(['tugboat-agent/Update']);

    // A pod no node fits: the scheduler writes its PodScheduled condition.
    await cluster.pods().create({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'huge' },
      spec: { containers: [{ name: 'c', image: 'web:1', resources: { requests: { cpu: '1000' } } }] },
    } as Pod);
    await m.advance(2000);
    expect(managers(await cluster.pods().get('huge'))).toEqual(['tugboat/Update', 'tugboat-scheduler/Update/status']);

    // An explicit fieldManager wins over the context's.
    const cm = await cluster
      .configMaps()
      .create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } }, { fieldManager: 'mine' });
    const named = await cluster.configMaps().update({ ...cm, data: { a: '1' } });
    expect(managers(cm)).toEqual([]);
    expect(managers(named)).toEqual(['tugboat/Update']);
  });
});
