/**
 * The real kubectl against cluster.serve(): HorizontalPodAutoscaler served at autoscaling/v1 and
 * autoscaling/v2 (preferred) from one collection, as Kubernetes 1.30 serves it. A version is
 * chosen with the full resource name (`horizontalpodautoscalers.v1.autoscaling`): kubectl 1.32
 * drops the version of a short name (`hpa.v1.autoscaling` is expanded to
 * horizontalpodautoscalers.autoscaling by client-go's shortcut expander, so it reads the preferred
 * v2 from any server).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { Cluster } from '../../../src/cluster/cluster.js';
import { MockRuntime } from '../../../src/runtime-adapters/mock/index.js';
import type { ServedApi } from '../../../src/server/types.js';
import { eventually } from '../../../src/testing/eventually.js';
import { HPA_METRICS_ANNOTATION } from '../../../src/model/well-known.js';
import { Kubectl, kubectlAvailable } from '../../support/kubectl.js';

const V1 = 'horizontalpodautoscalers.v1.autoscaling';
const V2 = 'horizontalpodautoscalers.v2.autoscaling';

const V1_HPA = `apiVersion: autoscaling/v1
kind: HorizontalPodAutoscaler
metadata: {name: web}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
  minReplicas: 1
  maxReplicas: 4
  targetCPUUtilizationPercentage: 50
`;

describe.skipIf(!kubectlAvailable())('kubectl and HorizontalPodAutoscaler autoscaling/v1 beside v2', () => {
  let cluster: Cluster;
  let api: ServedApi;
  let k: Kubectl;

  beforeAll(async () => {
    // No controllers: the HPA's status stays as written (no target Deployment here).
    cluster = await Cluster.start({ nodes: [{ name: 'node-1', runtime: new MockRuntime() }], controllers: false });
    api = await cluster.serve();
    k = new Kubectl(api.kubeconfig);
  });
  afterAll(async () => {
    await cluster?.stop();
    k?.cleanup();
  });

  it('discovery lists both versions, v2 preferred; api-resources names v2', async () => {
    const versions = (await k.ok(['api-versions'])).split('\n');
    expect(versions).toContain('autoscaling/v1');
    expect(versions).toContain('autoscaling/v2');
    const group = JSON.parse(await k.ok(['get', '--raw', '/apis/autoscaling']));
    expect(group.preferredVersion).toEqual({ groupVersion: 'autoscaling/v2', version: 'v2' });
    expect(group.versions.map((v: { version: string }) => v.version)).toEqual(['v2', 'v1']);
    const v1 = JSON.parse(await k.ok(['get', '--raw', '/apis/autoscaling/v1']));
    expect(v1.resources.map((r: { name: string }) => r.name)).toEqual(['horizontalpodautoscalers', 'horizontalpodautoscalers/status']);
    expect(await k.ok(['api-resources', '--api-group=autoscaling'])).toMatch(
      /horizontalpodautoscalers\s+hpa\s+autoscaling\/v2\s+true\s+HorizontalPodAutoscaler/,
    );
  });

  it('apply -f a v1 file, unchanged the second time; get shows v1 through the v1 resource and v2 by default', async () => {
    const file = k.file('hpa-v1.yaml', V1_HPA);
    expect(await k.ok(['apply', '-f', file])).toContain('horizontalpodautoscaler.autoscaling/web created');
    expect(await k.ok(['apply', '-f', file])).toContain('horizontalpodautoscaler.autoscaling/web unchanged');
    const v1 = parse(await k.ok(['get', V1, 'web', '-o', 'yaml']));
    expect(v1.apiVersion).toBe('autoscaling/v1');
    expect(v1.spec).toEqual({
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' },
      minReplicas: 1,
      maxReplicas: 4,
      targetCPUUtilizationPercentage: 50,
    });
    expect(v1.status).toEqual({ currentReplicas: 0, desiredReplicas: 0 });
    const v2 = JSON.parse(await k.ok(['get', 'hpa', 'web', '-o', 'json']));
    expect(v2.apiVersion).toBe('autoscaling/v2');
    expect(v2.spec.metrics).toEqual([
      { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } } },
    ]);
    expect(v2.metadata.resourceVersion).toBe(v1.metadata.resourceVersion);
    // kube-apiserver's HPA columns, as a real cluster prints them before the first measurement.
    const table = (await k.ok(['get', 'hpa'])).split('\n').map((l) => l.trim().split(/\s{2,}/));
    expect(table[0]).toEqual(['NAME', 'REFERENCE', 'TARGETS', 'MINPODS', 'MAXPODS', 'REPLICAS', 'AGE']);
    expect(table[1]!.slice(0, 6)).toEqual(['web', 'Deployment/web', 'cpu: <unknown>/50%', '1', '4', '0']);
    expect(await k.ok(['get', V1])).toMatch(/\nweb\s/);
    // kubectl's own rule: a short name loses its version.
    expect(parse(await k.ok(['get', 'hpa.v1.autoscaling', 'web', '-o', 'yaml'])).apiVersion).toBe('autoscaling/v2');
  });

  it('a v2-only metric is kept through a v1 patch and shows in the v1 annotation; watch, explain and delete through v1', async () => {
    await k.ok([
      'patch',
      V2,
      'web',
      '--type=json',
      '-p',
      JSON.stringify([
        {
          op: 'add',
          path: '/spec/metrics/-',
          value: { type: 'Resource', resource: { name: 'memory', target: { type: 'AverageValue', averageValue: '100Mi' } } },
        },
      ]),
    ]);
    const watch = k.spawn(['get', V1, '-w', '-o', 'jsonpath={.apiVersion} {.spec.maxReplicas}{"\\n"}']);
    try {
      await eventually(() => watch.output().includes('autoscaling/v1 4'), 'the initial list through v1');
      await k.ok(['patch', V1, 'web', '--type=merge', '-p', '{"spec":{"maxReplicas":6}}']);
      await eventually(() => watch.output().includes('autoscaling/v1 6'), 'the MODIFIED event through v1');
    } finally {
      watch.child.kill();
    }
    const v1 = JSON.parse(await k.ok(['get', V1, 'web', '-o', 'json']));
    expect(JSON.parse(v1.metadata.annotations[HPA_METRICS_ANNOTATION])).toEqual([
      { type: 'Resource', resource: { name: 'memory', targetAverageValue: '100Mi' } },
    ]);
    const v2 = JSON.parse(await k.ok(['get', V2, 'web', '-o', 'json']));
    expect(v2.spec.maxReplicas).toBe(6);
    // After a v1 write the annotation's metrics come first, then the cpu target (as Kubernetes converts).
    expect(v2.spec.metrics.map((m: { resource: { name: string } }) => m.resource.name)).toEqual(['memory', 'cpu']);
    expect(await k.ok(['explain', 'hpa.spec.targetCPUUtilizationPercentage', '--api-version=autoscaling/v1'])).toMatch(
      /targetCPUUtilizationPercentage\s*<integer>/,
    );
    // The preferred version's schema by default.
    expect(await k.ok(['explain', 'hpa.spec.behavior'])).toMatch(/VERSION:\s+v2[\s\S]*FIELD: behavior <HorizontalPodAutoscalerBehavior>/);
    expect(await k.ok(['delete', V1, 'web'])).toContain('horizontalpodautoscaler.autoscaling "web" deleted');
    expect(await k.ok(['get', 'hpa', '-o', 'name'])).toBe('');
  });

  it('kubectl autoscale writes autoscaling/v1; apply --server-side of a v1 file', async () => {
    await k.ok(['create', 'deployment', 'app', '--image=busybox:1']);
    expect(await k.ok(['autoscale', 'deployment', 'app', '--max=3', '--cpu-percent=60'])).toContain(
      'horizontalpodautoscaler.autoscaling/app autoscaled',
    );
    const v2 = JSON.parse(await k.ok(['get', 'hpa', 'app', '-o', 'json']));
    expect(v2.spec).toMatchObject({ minReplicas: 1, maxReplicas: 3, scaleTargetRef: { kind: 'Deployment', name: 'app' } });
    expect(v2.spec.metrics).toEqual([
      { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 60 } } },
    ]);
    const file = k.file('ssa.yaml', V1_HPA.replace('name: web}', 'name: ssa}'));
    expect(await k.ok(['apply', '--server-side', '-f', file])).toContain('horizontalpodautoscaler.autoscaling/ssa serverside-applied');
    expect(await k.ok(['apply', '--server-side', '-f', file])).toContain('horizontalpodautoscaler.autoscaling/ssa serverside-applied');
    const v1 = JSON.parse(await k.ok(['get', V1, 'ssa', '-o', 'json', '--show-managed-fields']));
    expect(v1.spec.targetCPUUtilizationPercentage).toBe(50);
    expect(v1.metadata.managedFields.map((f: { manager: string; apiVersion: string }) => [f.manager, f.apiVersion])).toEqual([
      ['kubectl', 'autoscaling/v1'],
    ]);
  });
});
