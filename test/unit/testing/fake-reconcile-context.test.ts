/** The fake reconcile context runs a reconcile against the real API code over a bare store. */
import { describe, expect, it } from 'vitest';
import type { ConfigMap, Controller, Deployment } from '../../../src/index.js';
import { fakeReconcileContext, makeDeployment } from '../../../src/testing.js';
import { rejection } from '../../support/rejection.js';

/** Copies a Deployment's ready replica count into a ConfigMap it owns. */
const reporter: Controller = {
  name: 'reporter',
  for: { apiVersion: 'apps/v1', kind: 'Deployment' },
  async reconcile({ namespace, name }, ctx) {
    const d = await ctx.cache.get<Deployment>('apps/v1', 'Deployment', namespace, name);
    if (!d) return;
    const maps = ctx.client<ConfigMap>('v1', 'ConfigMap', namespace);
    const data = { ready: String(d.status?.readyReplicas ?? 0) };
    const owner = { apiVersion: 'apps/v1', kind: 'Deployment', name, uid: d.metadata.uid!, controller: true };
    if (await maps.find(`${name}-report`)) await maps.patch(`${name}-report`, { data });
    else await maps.create({ metadata: { name: `${name}-report`, ownerReferences: [owner] }, data });
    await ctx.events.record(d, 'Normal', 'Reported', `ready=${data.ready}`, 'reporter');
  },
};

describe('fakeReconcileContext', () => {
  it('seeds objects (with status) through the API; a reconcile reads them from the cache and writes through the API', async () => {
    const d = { ...makeDeployment('web').replicas(3).obj(), status: { readyReplicas: 2 } };
    await using ctx = await fakeReconcileContext({ objects: [d] });
    await reporter.reconcile({ namespace: 'default', name: 'web' }, ctx);
    const report = await ctx.client<ConfigMap>('v1', 'ConfigMap', 'default').get('web-report');
    expect(report.data).toEqual({ ready: '2' });
    expect(report.metadata.ownerReferences?.[0]).toMatchObject({ kind: 'Deployment', name: 'web', controller: true });
    expect(
      await ctx.cache.ownedBy('v1', 'ConfigMap', (await ctx.cache.get('apps/v1', 'Deployment', 'default', 'web'))!.metadata.uid!),
    ).toHaveLength(1);
    expect((await ctx.recorded.list('default')).map((e) => `${e.reason} ${e.message}`)).toEqual(['Reported ready=2']);
    // No controller runs: no ReplicaSet appears for the Deployment.
    expect((await ctx.client('apps/v1', 'ReplicaSet', 'default').list()).items).toEqual([]);
  });

  it('defaults and validates as the cluster API does (it is the same code)', async () => {
    await using ctx = await fakeReconcileContext();
    const created = await ctx.client<Deployment>('apps/v1', 'Deployment', 'default').create(makeDeployment('web').obj());
    expect(created.spec?.strategy?.type).toBe('RollingUpdate');
    const err = await rejection(ctx.client('v1', 'ConfigMap', 'default').create({ metadata: { name: 'Bad_Name' } }));
    expect(err.reason).toBe('Invalid');
  });

  it('serves the kinds of seeded CRDs, and lists the cache by namespace and labels', async () => {
    await using ctx = await fakeReconcileContext({
      objects: `
apiVersion: example.com/v1
kind: Widget
metadata: { name: w1, labels: { size: big } }
---
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: { name: widgets.example.com }
spec:
  group: example.com
  scope: Namespaced
  names: { plural: widgets, singular: widget, kind: Widget }
  versions: [{ name: v1, served: true, storage: true, schema: { openAPIV3Schema: { type: object, x-kubernetes-preserve-unknown-fields: true } } }]
`,
    });
    expect(
      (await ctx.cache.list('example.com/v1', 'Widget', { labelSelector: { matchLabels: { size: 'big' } } })).map((w) => w.metadata.name),
    ).toEqual(['w1']);
    expect(await ctx.cache.list('example.com/v1', 'Widget', { namespace: 'other' })).toEqual([]);
  });
});
