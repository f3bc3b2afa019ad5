/**
 * The scale subresource: getScale/updateScale on every scalable kind (Deployment, ReplicaSet,
 * StatefulSet, a CRD declaring subresources.scale), resourceVersion preconditions, bad input,
 * kinds without one; and cluster.scale on top of it.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Cluster } from '../../../src/cluster/cluster.js';
import { FakeClock } from '../../../src/clock/fake-clock.js';
import type { CustomResourceDefinition, KubeObject } from '../../../src/model/types.js';
import { deployment } from '../../support/mock-cluster.js';
import { widgetCrd } from '../../support/widget-crd.js';
import { rejection } from '../../support/rejection.js';

let cluster: Cluster;
beforeEach(async () => {
  cluster = await Cluster.start({ clock: new FakeClock(), scheduler: false, controllers: false });
});
afterEach(async () => {
  await cluster.stop();
});

/** The widget CRD with a scale subresource: spec.size, status.count, status.selector. */
function scalableWidgets(): CustomResourceDefinition {
  const crd = widgetCrd();
  const v = crd.spec.versions[0]!;
  v.subresources = {
    status: {},
    scale: { specReplicasPath: '.spec.size', statusReplicasPath: '.status.count', labelSelectorPath: '.status.selector' },
  };
  v.schema = {
    openAPIV3Schema: {
      type: 'object',
      properties: {
        spec: { type: 'object', properties: { size: { type: 'integer' } } },
        status: { type: 'object', properties: { count: { type: 'integer' }, selector: { type: 'string' } } },
      },
    },
  };
  return crd;
}

describe('scale subresource', () => {
  it('reads and writes a Deployment: spec.replicas, status.replicas, the selector as text', async () => {
    await cluster.apply(deployment('web', { replicas: 2 }));
    const scale = await cluster.deployments().getScale('web');
    expect(scale).toMatchObject({
      apiVersion: 'autoscaling/v1',
      kind: 'Scale',
      metadata: { name: 'web', namespace: 'default' },
      spec: { replicas: 2 },
      status: { replicas: 0, selector: 'app=web' },
    });
    const next = await cluster.deployments().updateScale('web', { spec: { replicas: 5 } });
    expect(next.spec?.replicas).toBe(5);
    expect((await cluster.deployments().get('web')).spec?.replicas).toBe(5);
    // A stale resourceVersion is a Conflict and changes nothing.
    const stale = await rejection(cluster.deployments().updateScale('web', { metadata: scale.metadata, spec: { replicas: 1 } }));
    expect(stale.reason).toBe('Conflict');
    expect((await cluster.deployments().get('web')).spec?.replicas).toBe(5);
  });

  it('rejects bad replicas naming the field, and kinds without a scale subresource', async () => {
    await cluster.apply(deployment('web'));
    const neg = await rejection(cluster.deployments().updateScale('web', { spec: { replicas: -1 } }));
    expect(neg.reason).toBe('Invalid');
    expect(neg.causes).toEqual([expect.objectContaining({ field: 'spec.replicas' })]);
    const frac = await rejection(cluster.deployments().updateScale('web', { spec: { replicas: 1.5 } }));
    expect(frac.causes[0]?.message).toContain('must be an integer');
    const none = await rejection(cluster.configMaps().getScale('x'));
    expect(none.reason).toBe('NotFound');
    expect(none.message).toContain('configmaps/scale');
    await expect(cluster.deployments().getScale('missing')).rejects.toMatchObject({ reason: 'NotFound' });
  });

  it('a CRD declaring subresources.scale scales through its paths; cluster.scale takes it by kind name', async () => {
    await cluster.customResourceDefinitions().create(scalableWidgets());
    const widgets = cluster.client<KubeObject>('example.com/v1', 'Widget');
    await widgets.create({ metadata: { name: 'w' }, spec: { size: 1 } });
    await widgets.patchStatus('w', { status: { count: 1, selector: 'app=w' } });
    expect(await widgets.getScale('w')).toMatchObject({ spec: { replicas: 1 }, status: { replicas: 1, selector: 'app=w' } });
    await cluster.scale('default', 'Widget', 'w', 4);
    expect((await widgets.get('w')).spec).toEqual({ size: 4 });
    await cluster.scale('default', { apiVersion: 'example.com/v1', kind: 'Widget' }, 'w', 2);
    expect((await widgets.getScale('w')).spec?.replicas).toBe(2);
  });
});

describe('cluster.scale', () => {
  it('scales ReplicaSets and StatefulSets; refuses kinds without a scale subresource, listing those with one', async () => {
    await cluster.replicaSets().create({
      metadata: { name: 'rs' },
      spec: {
        replicas: 1,
        selector: { matchLabels: { app: 'rs' } },
        template: { metadata: { labels: { app: 'rs' } }, spec: { containers: [{ name: 'c', image: 'i' }] } },
      },
    });
    await cluster.statefulSets().create({
      metadata: { name: 'db' },
      spec: {
        serviceName: 'db',
        replicas: 1,
        selector: { matchLabels: { app: 'db' } },
        template: { metadata: { labels: { app: 'db' } }, spec: { containers: [{ name: 'c', image: 'i' }] } },
      },
    });
    expect((await cluster.scale('default', 'ReplicaSet', 'rs', 3)).spec?.replicas).toBe(3);
    expect((await cluster.scale('default', 'StatefulSet', 'db', 2)).spec?.replicas).toBe(2);
    expect((await cluster.statefulSets().get('db')).spec?.replicas).toBe(2);
    const ds = await rejection(cluster.scale('default', 'DaemonSet', 'x', 1));
    expect(ds.reason).toBe('BadRequest');
    expect(ds.message).toBe(
      'kind: Unsupported value: "DaemonSet": supported values: "Deployment", "ReplicaSet", "ReplicationController", "StatefulSet" (the kinds with a scale subresource)',
    );
  });
});
