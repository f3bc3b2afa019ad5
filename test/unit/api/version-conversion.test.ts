/**
 * A kind served at two versions from one stored collection: autoscaling/v1
 * HorizontalPodAutoscaler beside autoscaling/v2 (its storage version), as Kubernetes 1.30 serves
 * it. Each object is readable, listable, watchable and writable through both versions.
 */
import { describe, expect, it } from 'vitest';
import { startMockCluster } from '../../../src/testing/mock-cluster.js';
import type { KubeObject, WatchEvent } from '../../../src/model/types.js';
import { HPA_METRICS_ANNOTATION } from '../../../src/model/well-known.js';

const ref = { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' };
const v1Hpa = (name: string, extra: Record<string, unknown> = {}) => ({
  apiVersion: 'autoscaling/v1',
  kind: 'HorizontalPodAutoscaler',
  metadata: { name },
  spec: { scaleTargetRef: ref, maxReplicas: 4, targetCPUUtilizationPercentage: 50, ...extra },
});
const cpu = (u: number) => ({ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: u } } });
const memory = { type: 'Resource', resource: { name: 'memory', target: { type: 'AverageValue', averageValue: '100Mi' } } };

describe('a kind served at two versions (autoscaling/v1 and v2 HorizontalPodAutoscaler)', () => {
  it('a v1 write is stored as v2 and reads back as v1 through v1, as v2 through v2', async () => {
    await using m = await startMockCluster({ nodes: 0, cluster: { controllers: false } });
    const v1 = m.cluster.client<KubeObject>('autoscaling/v1', 'HorizontalPodAutoscaler');
    const v2 = m.cluster.client<KubeObject>('autoscaling/v2', 'HorizontalPodAutoscaler');
    const created = await v1.create(v1Hpa('web'));
    expect(created.apiVersion).toBe('autoscaling/v1');
    expect(created.spec).toEqual({ scaleTargetRef: ref, minReplicas: 1, maxReplicas: 4, targetCPUUtilizationPercentage: 50 });
    expect(created.status).toEqual({ currentReplicas: 0, desiredReplicas: 0 });

    const stored = await m.cluster.store.get({ resource: 'autoscaling/horizontalpodautoscalers', namespace: 'default', name: 'web' });
    expect(stored?.apiVersion).toBe('autoscaling/v2');
    expect(stored?.spec).toMatchObject({ metrics: [cpu(50)] });

    const asV2 = await v2.get('web');
    expect(asV2.apiVersion).toBe('autoscaling/v2');
    expect(asV2.spec).toMatchObject({ minReplicas: 1, maxReplicas: 4, metrics: [cpu(50)] });
    expect(asV2.metadata.resourceVersion).toBe(created.metadata.resourceVersion);
    expect(asV2.metadata.uid).toBe(created.metadata.uid);
    expect((await v1.list()).items.map((o) => [o.apiVersion, o.metadata.name])).toEqual([['autoscaling/v1', 'web']]);
    expect((await v2.list()).items.map((o) => [o.apiVersion, o.metadata.name])).toEqual([['autoscaling/v2', 'web']]);
  });

  it('a v2 metric v1 has no field for survives a v1 read-modify-write (in the metrics annotation), and a v1 patch', async () => {
    await using m = await startMockCluster({ nodes: 0, cluster: { controllers: false } });
    const v1 = m.cluster.client<KubeObject>('autoscaling/v1', 'HorizontalPodAutoscaler');
    const v2 = m.cluster.client<KubeObject>('autoscaling/v2', 'HorizontalPodAutoscaler');
    await v2.create({ metadata: { name: 'web' }, spec: { scaleTargetRef: ref, maxReplicas: 4, metrics: [memory, cpu(70)] } });
    const read = await v1.get('web');
    expect((read.spec as any).targetCPUUtilizationPercentage).toBe(70);
    expect(JSON.parse(read.metadata.annotations?.[HPA_METRICS_ANNOTATION] ?? '[]')).toEqual([
      { type: 'Resource', resource: { name: 'memory', targetAverageValue: '100Mi' } },
    ]);
    await v1.update({ ...read, spec: { ...(read.spec as object), maxReplicas: 6 } });
    expect((await v2.get('web')).spec).toMatchObject({ maxReplicas: 6, metrics: [memory, cpu(70)] });
    expect((await v2.get('web')).metadata.annotations).toBeUndefined();

    // A merge patch in v1 terms changes the v1 field; the rest is kept.
    const patched = await v1.patch('web', { spec: { targetCPUUtilizationPercentage: 40 } });
    expect((patched.spec as any).targetCPUUtilizationPercentage).toBe(40);
    expect((await v2.get('web')).spec).toMatchObject({ maxReplicas: 6, metrics: [memory, cpu(40)] });
  });

  it('a status written through v2 is read through v1 as currentCPUUtilizationPercentage', async () => {
    await using m = await startMockCluster({ nodes: 0, cluster: { controllers: false } });
    const v1 = m.cluster.client<KubeObject>('autoscaling/v1', 'HorizontalPodAutoscaler');
    const v2 = m.cluster.client<KubeObject>('autoscaling/v2', 'HorizontalPodAutoscaler');
    const created = await v1.create(v1Hpa('web'));
    await v2.updateStatus({
      ...(await v2.get('web')),
      status: {
        currentReplicas: 2,
        desiredReplicas: 3,
        currentMetrics: [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: 90, averageValue: '450m' } } }],
      },
    });
    const read = await v1.get('web');
    expect(read.status).toEqual({ currentReplicas: 2, desiredReplicas: 3, currentCPUUtilizationPercentage: 90 });
    // A v1 status write keeps what the annotation carries (the raw value too).
    await v1.updateStatus({ ...read, status: { ...(read.status as object), desiredReplicas: 4 } });
    expect((await v2.get('web')).status).toEqual({
      currentReplicas: 2,
      desiredReplicas: 4,
      currentMetrics: [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: 90, averageValue: '450m' } } }],
    });
    expect((await v1.get('web')).metadata.generation).toBe(created.metadata.generation);
  });

  it('a watch through v1 sees v1 objects, whichever version wrote them', async () => {
    await using m = await startMockCluster({ nodes: 0, cluster: { controllers: false } });
    const v1 = m.cluster.client<KubeObject>('autoscaling/v1', 'HorizontalPodAutoscaler');
    const v2 = m.cluster.client<KubeObject>('autoscaling/v2', 'HorizontalPodAutoscaler');
    const abort = new AbortController();
    const events: WatchEvent[] = [];
    const done = (async () => {
      for await (const e of v1.watch({ signal: abort.signal })) {
        events.push(e);
        if (events.length === 3) break;
      }
    })();
    await v2.create({ metadata: { name: 'web' }, spec: { scaleTargetRef: ref, maxReplicas: 4, metrics: [cpu(65)] } });
    await v2.patch('web', { spec: { maxReplicas: 5 } });
    await v1.delete('web');
    await done;
    abort.abort();
    expect(
      events.map((e) => [
        e.type,
        e.object.apiVersion,
        (e.object.spec as any).maxReplicas,
        (e.object.spec as any).targetCPUUtilizationPercentage,
      ]),
    ).toEqual([
      ['ADDED', 'autoscaling/v1', 4, 65],
      ['MODIFIED', 'autoscaling/v1', 5, 65],
      ['DELETED', 'autoscaling/v1', 5, 65],
    ]);
  });

  it('a v1 write is checked as v1 (unknown fields, field types) and validated as v2; a bad one changes nothing', async () => {
    await using m = await startMockCluster({ nodes: 0, cluster: { controllers: false } });
    const v1 = m.cluster.client<KubeObject>('autoscaling/v1', 'HorizontalPodAutoscaler');
    const strict = await v1.create(v1Hpa('a', { metrics: [cpu(1)] }), { fieldValidation: 'Strict' }).catch((e) => e);
    expect(strict.reason).toBe('BadRequest');
    expect(strict.message).toContain('unknown field "spec.metrics"');
    const typed = await v1.create(v1Hpa('b', { targetCPUUtilizationPercentage: 'high' })).catch((e) => e);
    expect(typed.reason).toBe('BadRequest');
    expect(typed.message).toContain('targetCPUUtilizationPercentage');
    const invalid = await v1.create(v1Hpa('c', { minReplicas: 5, maxReplicas: 2 })).catch((e) => e);
    expect(invalid.reason).toBe('Invalid');
    const badAnnotation = await v1
      .create({ ...v1Hpa('d'), metadata: { name: 'd', annotations: { [HPA_METRICS_ANNOTATION]: '{' } } })
      .catch((e) => e);
    expect(badAnnotation.reason).toBe('BadRequest');
    expect(badAnnotation.message).toContain(`metadata.annotations[${HPA_METRICS_ANNOTATION}]`);
    expect((await v1.list()).items).toEqual([]);
  });

  it('apply of a v1 manifest creates, then reports it unchanged; discovery serves both versions, v2 first', async () => {
    await using m = await startMockCluster({ nodes: 0, cluster: { controllers: false } });
    const first = await m.cluster.apply(v1Hpa('web'));
    expect(first[0]?.apiVersion).toBe('autoscaling/v1');
    expect(first.outcomes.map((o) => [o.object, o.action])).toEqual([['horizontalpodautoscaler.autoscaling/web', 'created']]);
    const again = await m.cluster.apply(v1Hpa('web'));
    expect(again.outcomes.map((o) => o.action)).toEqual(['unchanged']);
    const changed = await m.cluster.apply(v1Hpa('web', { maxReplicas: 7 }));
    expect(changed.outcomes.map((o) => o.action)).toEqual(['configured']);
    expect((await m.cluster.client<KubeObject>('autoscaling/v2', 'HorizontalPodAutoscaler').get('web')).spec).toMatchObject({
      maxReplicas: 7,
    });
    const types = m.cluster.registry.all().filter((t) => t.kind === 'HorizontalPodAutoscaler');
    expect(types.map((t) => t.version).sort()).toEqual(['v1', 'v2']);
    expect(m.cluster.registry.byStoreResource('autoscaling/horizontalpodautoscalers')?.version).toBe('v2');
  });
});

describe('the controllers that act on every kind, with a kind served twice', () => {
  it('a namespace holding an HPA is emptied and removed; an HPA owned by a ConfigMap is collected once its owner goes', async () => {
    await using m = await startMockCluster({ nodes: 0 });
    const { cluster } = m;
    await cluster.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team' } });
    const v1 = cluster.client<KubeObject>('autoscaling/v1', 'HorizontalPodAutoscaler', 'team');
    await v1.create(v1Hpa('web'));
    await cluster.namespaces().delete('team');
    await cluster.advanceUntil(async () => (await cluster.namespaces().find('team')) === undefined, { maxMs: 60_000 });
    expect((await v1.list()).items).toEqual([]);

    const [owner] = await cluster.apply({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'owner' } });
    const owned = cluster.client<KubeObject>('autoscaling/v1', 'HorizontalPodAutoscaler');
    await owned.create({
      ...v1Hpa('owned'),
      metadata: { name: 'owned', ownerReferences: [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'owner', uid: owner!.metadata.uid! }] },
    });
    await cluster.configMaps().delete('owner');
    await cluster.advanceUntil(async () => (await owned.find('owned')) === undefined, { maxMs: 60_000 });
  });
});
