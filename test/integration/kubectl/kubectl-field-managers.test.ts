/**
 * Writes other than server-side apply own the fields they set (managedFields `Update` entries, the
 * manager named by `--field-manager` or kubectl's User-Agent), so `kubectl apply --server-side`
 * over a field that `kubectl edit` or `kubectl scale` changed conflicts, as with Kubernetes 1.30.
 */
import { chmodSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Cluster } from '../../../src/cluster/cluster.js';
import { type Kubectl, kubectlAvailable, startServedKubectl, stopServedKubectl } from '../../support/kubectl.js';

const managers = (obj: { metadata: { managedFields?: unknown[] } }) =>
  (obj.metadata.managedFields ?? []).map((e) => {
    const { manager, operation, subresource, fieldsV1 } = e as Record<string, unknown>;
    return { manager, operation, ...(subresource ? { subresource } : {}), fieldsV1 };
  });

describe.skipIf(!kubectlAvailable())('kubectl: field managers of create, edit, scale and apply', () => {
  let cluster: Cluster;
  let k: Kubectl;

  beforeAll(async () => {
    ({ cluster, k } = await startServedKubectl());
  });
  afterAll(() => stopServedKubectl({ cluster, k }));

  it('create and edit record Update entries; apply --server-side over the edited field conflicts; --force-conflicts takes it', async () => {
    await k.ok(['create', 'configmap', 'edited', '--from-literal=size=1', '--from-literal=color=blue']);
    const created = await cluster.configMaps().get('edited');
    expect(managers(created)).toEqual([
      { manager: 'kubectl-create', operation: 'Update', fieldsV1: { 'f:data': { 'f:color': {}, 'f:size': {} } } },
    ]);
    expect(created.metadata.managedFields?.[0]).toMatchObject({ apiVersion: 'v1', fieldsType: 'FieldsV1', time: expect.any(String) });
    const applied = `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: edited}\ndata: {size: "1"}\n`;
    // The same value as kubectl-create set: no conflict, both own it.
    await k.ok(['apply', '--server-side', '-f', '-'], applied);
    const editor = k.file('editor.sh', `#!/bin/sh\nsed -i -e 's/size: "1"/size: "2"/' "$1"\n`);
    chmodSync(editor, 0o755);
    const edit = await k.run(['edit', 'configmap', 'edited'], undefined, 30_000, { KUBE_EDITOR: editor });
    expect(edit.code, edit.stderr).toBe(0);
    const edited = await cluster.configMaps().get('edited');
    expect(edited.data).toEqual({ size: '2', color: 'blue' });
    expect(managers(edited)).toEqual([
      { manager: 'kubectl-create', operation: 'Update', fieldsV1: { 'f:data': { 'f:color': {} } } },
      { manager: 'kubectl-edit', operation: 'Update', fieldsV1: { 'f:data': { 'f:size': {} } } },
    ]);
    const conflict = await k.run(['apply', '--server-side', '-f', '-'], applied);
    expect(conflict.code).not.toBe(0);
    expect(conflict.stderr).toContain('Apply failed with 1 conflict: conflict with "kubectl-edit" using v1: .data.size');
    expect((await cluster.configMaps().get('edited')).data?.size).toBe('2');
    await k.ok(['apply', '--server-side', '--force-conflicts', '-f', '-'], applied);
    const forced = await cluster.configMaps().get('edited');
    expect(forced.data).toEqual({ size: '1', color: 'blue' });
    expect(managers(forced)).toEqual([
      { manager: 'kubectl', operation: 'Apply', fieldsV1: { 'f:data': { 'f:size': {} } } },
      { manager: 'kubectl-create', operation: 'Update', fieldsV1: { 'f:data': { 'f:color': {} } } },
    ]);
  });

  it('scale records an Update of the scale subresource; apply --server-side of other replicas conflicts with it', async () => {
    const deployment = (replicas: number) => `apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: ${replicas}
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: main, image: busybox:1}]}
`;
    await k.ok(['apply', '--server-side', '-f', '-'], deployment(2));
    await k.ok(['scale', 'deployment', 'web', '--replicas=5']);
    const scaled = await cluster.deployments().get('web');
    expect(scaled.spec?.replicas).toBe(5);
    const scaleEntry = managers(scaled).find((e) => e.subresource === 'scale');
    expect(scaleEntry).toEqual({
      manager: 'kubectl',
      operation: 'Update',
      subresource: 'scale',
      fieldsV1: { 'f:spec': { 'f:replicas': {} } },
    });
    const conflict = await k.run(['apply', '--server-side', '-f', '-'], deployment(2));
    expect(conflict.code).not.toBe(0);
    expect(conflict.stderr).toContain(
      'Apply failed with 1 conflict: conflict with "kubectl" with subresource "scale" using apps/v1: .spec.replicas',
    );
    expect((await cluster.deployments().get('web')).spec?.replicas).toBe(5);
    await k.ok(['apply', '--server-side', '--force-conflicts', '-f', '-'], deployment(2));
    const forced = await cluster.deployments().get('web');
    expect(forced.spec?.replicas).toBe(2);
    expect(managers(forced).map((e) => [e.manager, e.operation, e.subresource])).toEqual([['kubectl', 'Apply', undefined]]);
  });

  it('client-side apply records kubectl-client-side-apply, which a server-side apply of another value conflicts with', async () => {
    const cm = (v: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: csa}\ndata: {mode: "${v}"}\n`;
    await k.ok(['apply', '-f', '-'], cm('a'));
    const applied = await cluster.configMaps().get('csa');
    expect(managers(applied).map((e) => [e.manager, e.operation])).toEqual([['kubectl-client-side-apply', 'Update']]);
    const conflict = await k.run(['apply', '--server-side', '-f', '-'], cm('b'));
    expect(conflict.stderr).toContain('conflict with "kubectl-client-side-apply" using v1: .data.mode');
  });
});
