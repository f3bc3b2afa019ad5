/**
 * The real kubectl against cluster.serve() on a MockRuntime node (real clock): every verb of the
 * issue's list that needs no container output.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { Cluster } from '../../../src/cluster/cluster.js';
import { MockRuntime } from '../../../src/runtime-adapters/mock/index.js';
import type { ServedApi } from '../../../src/server/types.js';
import { eventually } from '../../../src/testing/eventually.js';
import { Kubectl, kubectlAvailable } from '../../support/kubectl.js';

const MANIFESTS = {
  'config.yaml': `apiVersion: v1
kind: ConfigMap
metadata: {name: settings}
data: {mode: fast}
`,
  'app.yaml': `apiVersion: apps/v1
kind: Deployment
metadata: {name: app, labels: {team: a}}
spec:
  replicas: 2
  selector: {matchLabels: {app: app}}
  template:
    metadata: {labels: {app: app}}
    spec: {containers: [{name: main, image: busybox:1}]}
`,
};

describe.skipIf(!kubectlAvailable())('kubectl against cluster.serve()', () => {
  let cluster: Cluster;
  let api: ServedApi;
  let k: Kubectl;

  beforeAll(async () => {
    cluster = await Cluster.start({ nodes: [{ name: 'node-1', runtime: new MockRuntime() }] });
    api = await cluster.serve();
    k = new Kubectl(api.kubeconfig);
  });
  afterAll(async () => {
    await cluster?.stop();
    k?.cleanup();
  });

  it('version, api-resources and get nodes -o wide', async () => {
    expect(await k.ok(['version'])).toContain('Server Version: v1.30.0-tugboat');
    const resources = await k.ok(['api-resources']);
    expect(resources).toMatch(/deployments\s+deploy\s+apps\/v1\s+true\s+Deployment/);
    expect(resources).toMatch(/selfsubjectaccessreviews\s+authorization.k8s.io\/v1\s+false\s+SelfSubjectAccessReview/);
    const nodes = await k.ok(['get', 'nodes', '-o', 'wide']);
    expect(nodes).toMatch(/^NAME\s+STATUS\s+ROLES\s+AGE\s+VERSION\s+INTERNAL-IP/);
    expect(nodes).toMatch(/node-1\s+Ready/);
  });

  it('apply -f a folder, then again unchanged; get -o name, json, yaml; describe', async () => {
    k.file('manifests/config.yaml', MANIFESTS['config.yaml']);
    k.file('manifests/app.yaml', MANIFESTS['app.yaml']);
    const first = await k.ok(['apply', '-f', `${k.dir}/manifests`]);
    expect(first).toContain('configmap/settings created');
    expect(first).toContain('deployment.apps/app created');
    const again = await k.ok(['apply', '-f', `${k.dir}/manifests`]);
    expect(again).toContain('configmap/settings unchanged');
    expect(await k.ok(['get', 'configmaps,deployments', '-o', 'name'])).toMatch(/configmap\/settings[\s\S]*deployment.apps\/app/);
    const json = JSON.parse(await k.ok(['get', 'configmap', 'settings', '-o', 'json']));
    expect(json.data).toEqual({ mode: 'fast' });
    const yaml = parse(await k.ok(['get', 'deploy', 'app', '-o', 'yaml']));
    expect(yaml.spec.replicas).toBe(2);
    await k.ok(['wait', '--for=condition=Available', 'deployment/app', '--timeout=20s']);
    const wide = await k.ok(['get', 'deploy', 'app', '-o', 'wide']);
    expect(wide).toMatch(/^NAME\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+AGE\s+CONTAINERS\s+IMAGES\s+SELECTOR/);
    expect(wide).toMatch(/app\s+2\/2\s+2\s+2\s+\S+\s+main\s+busybox:1\s+app=app/);
    const pods = await k.ok(['get', 'pods']);
    expect(pods).toMatch(/^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE/);
    expect(pods).toMatch(/app-\S+\s+1\/1\s+Running\s+0/);
    const described = await k.ok(['describe', 'deployment', 'app']);
    expect(described).toMatch(/Replicas:\s+2 desired \| 2 updated \| 2 total \| 2 available/);
    expect(described).toContain('ScalingReplicaSet');
  });

  it('scale, set image, rollout status/history/undo/restart/pause/resume', async () => {
    expect(await k.ok(['scale', 'deployment/app', '--replicas=3'])).toContain('deployment.apps/app scaled');
    expect(await k.ok(['rollout', 'status', 'deployment/app', '--timeout=20s'])).toContain('successfully rolled out');
    expect((await cluster.deployments().get('app')).spec?.replicas).toBe(3);
    await k.ok(['set', 'image', 'deployment/app', 'main=busybox:2']);
    await k.ok(['rollout', 'status', 'deployment/app', '--timeout=20s']);
    const history = await k.ok(['rollout', 'history', 'deployment/app']);
    expect(history).toMatch(/REVISION\s+CHANGE-CAUSE\s+1\s+<none>\s+2\s+<none>/);
    expect(await k.ok(['rollout', 'undo', 'deployment/app'])).toContain('rolled back');
    await k.ok(['rollout', 'status', 'deployment/app', '--timeout=20s']);
    expect((await cluster.deployments().get('app')).spec?.template?.spec?.containers?.[0]?.image).toBe('busybox:1');
    expect(await k.ok(['rollout', 'restart', 'deployment/app'])).toContain('restarted');
    const restarted = await cluster.deployments().get('app');
    expect(restarted.spec?.template?.metadata?.annotations?.['kubectl.kubernetes.io/restartedAt']).toBeTruthy();
    await k.ok(['rollout', 'pause', 'deployment/app']);
    expect((await cluster.deployments().get('app')).spec?.paused).toBe(true);
    await k.ok(['rollout', 'resume', 'deployment/app']);
    expect((await cluster.deployments().get('app')).spec?.paused).toBeFalsy();
  });

  it('label, annotate, create deployment, expose', async () => {
    await k.ok(['label', 'configmap', 'settings', 'tier=backend']);
    await k.ok(['annotate', 'configmap', 'settings', 'owner=ops']);
    const cm = await cluster.configMaps().get('settings');
    expect(cm.metadata.labels).toMatchObject({ tier: 'backend' });
    expect(cm.metadata.annotations).toMatchObject({ owner: 'ops' });
    expect(await k.ok(['get', 'cm', '-l', 'tier=backend', '-o', 'name'])).toBe('configmap/settings\n');
    expect(await k.ok(['create', 'deployment', 'web', '--image=nginx:1', '--replicas=1'])).toContain('deployment.apps/web created');
    expect(await k.ok(['expose', 'deployment', 'web', '--port=80'])).toContain('service/web exposed');
    const svc = await k.ok(['get', 'service', 'web']);
    expect(svc).toMatch(/^NAME\s+TYPE\s+CLUSTER-IP\s+EXTERNAL-IP\s+PORT\(S\)\s+AGE/);
    expect(svc).toMatch(/web\s+ClusterIP\s+\S+\s+<none>\s+80\/TCP/);
    expect((await cluster.services().get('web')).spec?.selector).toEqual({ app: 'web' });
  });

  it('get -w prints the changes as they happen', async () => {
    const watch = k.spawn(['get', 'configmaps', '-w']);
    try {
      await eventually(() => watch.output().includes('settings'), 'the initial list');
      await cluster.configMaps().create({ metadata: { name: 'watched' }, data: { a: '1' } });
      await eventually(() => /watched\s+1\s+/.test(watch.output()), 'the ADDED row');
      expect(watch.output().match(/^NAME\s+DATA\s+AGE/gm)).toHaveLength(1);
    } finally {
      watch.child.kill();
    }
  });

  it('explain reads the OpenAPI v3 documents', async () => {
    const out = await k.ok(['explain', 'deployment.spec.replicas']);
    expect(out).toMatch(/KIND:\s+Deployment/);
    expect(out).toMatch(/FIELD:\s+replicas <integer>/);
    const pod = await k.ok(['explain', 'pods.spec.containers']);
    expect(pod).toMatch(/FIELD:\s+containers <\[\]Container>/);
  });

  it('apply --server-side records managedFields and reports conflicts between managers', async () => {
    const manifest = `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ssa}\ndata: {size: "1", color: blue}\n`;
    expect(await k.ok(['apply', '--server-side', '-f', '-'], manifest)).toContain('configmap/ssa serverside-applied');
    const cm = await cluster.configMaps().get('ssa');
    expect(cm.metadata.managedFields?.[0]).toMatchObject({
      manager: 'kubectl',
      operation: 'Apply',
      fieldsV1: { 'f:data': { 'f:size': {}, 'f:color': {} } },
    });
    const other = `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ssa}\ndata: {size: "2"}\n`;
    const conflict = await k.run(['apply', '--server-side', '--field-manager=other', '-f', '-'], other);
    expect(conflict.code).not.toBe(0);
    expect(conflict.stderr).toContain('Apply failed with 1 conflict: conflict with "kubectl": .data.size');
    expect((await cluster.configMaps().get('ssa')).data?.size).toBe('1');
    await k.ok(['apply', '--server-side', '--field-manager=other', '--force-conflicts', '-f', '-'], other);
    expect((await cluster.configMaps().get('ssa')).data).toEqual({ size: '2', color: 'blue' });
    // kubectl drops color from its configuration: the field goes, size stays (owned by other now).
    await k.ok(['apply', '--server-side', '-f', '-'], `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ssa}\ndata: {}\n`);
    expect((await cluster.configMaps().get('ssa')).data).toEqual({ size: '2' });
  });

  it('delete cascades to ReplicaSets and pods; a missing object is NotFound', async () => {
    expect(await k.ok(['delete', 'deployment', 'app'])).toContain('deployment.apps "app" deleted');
    await eventually(
      async () => (await cluster.replicaSets().list({ labelSelector: 'app=app' })).items.length === 0,
      'the ReplicaSets to go',
    );
    await eventually(async () => (await cluster.pods().list({ labelSelector: 'app=app' })).items.length === 0, 'the pods to go');
    const missing = await k.run(['get', 'deployment', 'app']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('Error from server (NotFound): deployments.apps "app" not found');
  });

  it('auth can-i as the admin', async () => {
    expect((await k.ok(['auth', 'can-i', 'delete', 'pods'])).trim()).toBe('yes');
    expect(await k.ok(['auth', 'whoami'])).toMatch(/admin/);
  });
});
