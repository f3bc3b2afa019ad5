/**
 * The official JavaScript client (@kubernetes/client-node) against cluster.serve(): list, an
 * informer's list-watch, and patches.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as k8s from '@kubernetes/client-node';
import { Cluster } from '../../../src/cluster/cluster.js';
import type { ServedApi } from '../../../src/server/types.js';
import { eventually } from '../../../src/testing/eventually.js';

describe('@kubernetes/client-node against cluster.serve()', () => {
  let cluster: Cluster;
  let api: ServedApi;
  let config: k8s.KubeConfig;

  beforeAll(async () => {
    cluster = await Cluster.start({ controllers: false, scheduler: false });
    api = await cluster.serve();
    config = new k8s.KubeConfig();
    config.loadFromString(api.kubeconfig);
  });
  afterAll(async () => {
    await cluster?.stop();
  });

  it('lists namespaces and config maps', async () => {
    const core = config.makeApiClient(k8s.CoreV1Api);
    const namespaces = await core.listNamespace();
    expect(namespaces.items.map((n) => n.metadata?.name)).toEqual(expect.arrayContaining(['default', 'kube-system']));
    await cluster.configMaps().create({ metadata: { name: 'one', labels: { app: 'x' } }, data: { a: '1' } });
    const list = await core.listNamespacedConfigMap({ namespace: 'default', labelSelector: 'app=x' });
    expect(list.items.map((c) => c.metadata?.name)).toEqual(['one']);
    expect(list.metadata?.resourceVersion).toBeTruthy();
  });

  it('an informer lists, then sees adds, updates and deletes through its watch', async () => {
    const core = config.makeApiClient(k8s.CoreV1Api);
    const informer = k8s.makeInformer(config, '/api/v1/namespaces/default/configmaps', () =>
      core.listNamespacedConfigMap({ namespace: 'default' }),
    );
    const seen: string[] = [];
    informer.on('add', (o) => seen.push(`add ${o.metadata?.name}`));
    informer.on('update', (o) => seen.push(`update ${o.metadata?.name} ${o.data?.a}`));
    informer.on('delete', (o) => seen.push(`delete ${o.metadata?.name}`));
    await informer.start();
    try {
      await eventually(() => seen.includes('add one'), 'the listed object');
      await cluster.configMaps().create({ metadata: { name: 'two' }, data: { a: '1' } });
      await eventually(() => seen.includes('add two'), 'the ADDED event');
      await cluster.configMaps().patch('two', { data: { a: '2' } });
      await eventually(() => seen.includes('update two 2'), 'the MODIFIED event');
      await cluster.configMaps().delete('two');
      await eventually(() => seen.includes('delete two'), 'the DELETED event');
    } finally {
      await informer.stop();
    }
  });

  it('patches with merge, JSON and strategic merge patches', async () => {
    const apps = config.makeApiClient(k8s.AppsV1Api);
    const core = config.makeApiClient(k8s.CoreV1Api);
    await core.patchNamespacedConfigMap(
      { name: 'one', namespace: 'default', body: { data: { b: '2' } } },
      k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch),
    );
    await core.patchNamespacedConfigMap(
      { name: 'one', namespace: 'default', body: [{ op: 'replace', path: '/data/a', value: 'z' }] },
      k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.JsonPatch),
    );
    expect((await cluster.configMaps().get('one')).data).toEqual({ a: 'z', b: '2' });
    await apps.createNamespacedDeployment({
      namespace: 'default',
      body: {
        metadata: { name: 'web' },
        spec: {
          selector: { matchLabels: { app: 'web' } },
          template: {
            metadata: { labels: { app: 'web' } },
            spec: {
              containers: [
                { name: 'a', image: 'x:1' },
                { name: 'b', image: 'y:1' },
              ],
            },
          },
        },
      },
    });
    await apps.patchNamespacedDeployment(
      { name: 'web', namespace: 'default', body: { spec: { template: { spec: { containers: [{ name: 'b', image: 'y:2' }] } } } } },
      k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.StrategicMergePatch),
    );
    const images = (await cluster.deployments().get('web')).spec?.template?.spec?.containers?.map((c) => c.image);
    expect(images).toEqual(['x:1', 'y:2']);
  });

  it('a NotFound is an ApiException carrying the Status', async () => {
    const core = config.makeApiClient(k8s.CoreV1Api);
    const err = await core.readNamespacedConfigMap({ name: 'nope', namespace: 'default' }).catch((e) => e);
    expect(err).toBeInstanceOf(k8s.ApiException);
    expect(err.code).toBe(404);
    expect(JSON.parse(err.body)).toMatchObject({ kind: 'Status', reason: 'NotFound', message: 'configmaps "nope" not found' });
  });
});
