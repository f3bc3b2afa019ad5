import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Cluster } from '../../../src/cluster/cluster.js';
import { rejection } from '../../support/rejection.js';
import type { KubeObject } from '../../../src/model/types.js';
import { everything } from '../../support/store-listing.js';

const dep = (spec: Record<string, unknown> = {}, meta: Record<string, unknown> = {}): KubeObject =>
  ({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', ...meta },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } },
      ...spec,
    },
  }) as KubeObject;

const podSpec = (extra: Record<string, unknown>, container: Record<string, unknown> = {}) => ({
  template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx', ...container }], ...extra } },
});

describe('malformed input: a TugboatError naming the field, and nothing stored', () => {
  let cluster: Cluster;
  beforeEach(async () => {
    cluster = await Cluster.start({ controllers: false, scheduler: false });
  });
  afterEach(async () => {
    await cluster.stop();
  });

  const typeCases: [string, KubeObject, string][] = [
    ['metadata.labels: 99996', dep({}, { labels: 99996 }), 'metadata.labels'],
    ['env[].value: {...}', dep(podSpec({}, { env: [{ name: 'A', value: { x: 1 } }] })), 'spec.template.spec.containers[0].env[0].value'],
    ['args: "x"', dep(podSpec({}, { args: 'x' })), 'spec.template.spec.containers[0].args'],
    ['paused: [6,6]', dep({ paused: [6, 6] }), 'spec.paused'],
    ['nodeSelector: true', dep(podSpec({ nodeSelector: true })), 'spec.template.spec.nodeSelector'],
    ['image: ["a","b"]', dep(podSpec({}, { image: ['a', 'b'] })), 'spec.template.spec.containers[0].image'],
    ['a numeric metadata.name', dep({}, { name: 12345 }), 'metadata.name'],
    ['spec: 5', { ...dep(), spec: 5 } as unknown as KubeObject, 'spec'],
    ['strategy: "x" (a string where an object belongs)', dep({ strategy: 'x' }), 'spec.strategy'],
    ['containers: 5 (a number where a list belongs)', dep(podSpec({ containers: 5 })), 'spec.template.spec.containers'],
    ['replicas: 2**53 (not an int32)', dep({ replicas: 2 ** 53 }), 'spec.replicas'],
    ['replicas: 1.5', dep({ replicas: 1.5 }), 'spec.replicas'],
    [
      'the quantity "lots"',
      dep(podSpec({}, { resources: { limits: { cpu: 'lots' } } })),
      'spec.template.spec.containers[0].resources.limits[cpu]',
    ],
    [
      'maxSurge: true (not an IntOrString)',
      dep({ strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: true } } }),
      'spec.strategy.rollingUpdate.maxSurge',
    ],
  ];

  for (const [what, obj, field] of typeCases) {
    it(`rejects ${what} as the decoder does, naming ${field}`, async () => {
      const before = await everything(cluster);
      const err = await rejection(cluster.apply(obj));
      expect(err.causes.map((c) => c.field)).toContain(field);
      expect(['BadRequest', 'Invalid']).toContain(err.reason);
      expect(await everything(cluster)).toBe(before);
    });
  }

  it('names the Go type as Kubernetes does', async () => {
    const err = await rejection(cluster.apply(dep({ replicas: 'lots' })));
    expect(err.reason).toBe('BadRequest');
    expect(err.message).toBe(
      'Deployment in version "v1" cannot be handled as a Deployment: json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32',
    );
  });

  it('decodes containers: [null] as an empty container, which validation rejects', async () => {
    const err = await rejection(cluster.apply(dep(podSpec({ containers: [null] }))));
    expect(err.reason).toBe('Invalid');
    expect(err.causes.map((c) => c.field)).toContain('spec.template.spec.containers[0].name');
  });

  it('warns about unknown fields named constructor, toString and valueOf, and stores the rest', async () => {
    const { warnings } = await cluster.apply(dep({ constructor: 1, toString: 2, valueOf: 3 }));
    expect(warnings).toEqual(
      expect.arrayContaining(['unknown field "spec.constructor"', 'unknown field "spec.toString"', 'unknown field "spec.valueOf"']),
    );
  });

  it('rejects an object over 1.5 MiB (etcd request limit) with RequestEntityTooLarge', async () => {
    const big = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'big' }, data: { a: 'x'.repeat(1.6 * 1024 * 1024) } };
    const err = await rejection(cluster.configMaps().create(big));
    expect(err.reason).toBe('RequestEntityTooLarge');
    expect(err.code).toBe(413);
    await expect(cluster.configMaps().create({ ...big, data: { a: 'x'.repeat(1024 * 1024) } })).resolves.toBeDefined();
  });

  it('rejects an object nested 5,000 deep without a stack overflow', async () => {
    let leaf: Record<string, unknown> = {};
    const root = leaf;
    for (let i = 0; i < 5000; i++) {
      const next = {};
      leaf.a = next;
      leaf = next;
    }
    const err = await rejection(cluster.configMaps().create({ metadata: { name: 'deep' }, data: {}, extra: root } as never));
    expect(err.reason).toBe('BadRequest');
    expect(err.message).toMatch(/max depth/);
  });

  it('validates status writes: types and counts', async () => {
    await cluster.apply(dep());
    const live = await cluster.deployments().get('web');
    const before = await everything(cluster);
    const lots = await rejection(cluster.deployments().updateStatus({ ...live, status: { replicas: 'lots' } } as never));
    expect(lots.causes.map((c) => c.field)).toEqual(['status.replicas']);
    const negative = await rejection(cluster.deployments().updateStatus({ ...live, status: { readyReplicas: -5 } }));
    expect(negative.reason).toBe('Invalid');
    expect(negative.causes[0]).toMatchObject({
      field: 'status.readyReplicas',
      message: 'Invalid value: -5: must be greater than or equal to 0',
    });
    const conditions = await rejection(cluster.deployments().updateStatus({ ...live, status: { conditions: 'x' } } as never));
    expect(conditions.causes.map((c) => c.field)).toEqual(['status.conditions']);
    expect(await everything(cluster)).toBe(before);
  });

  it('reads the quantity Ki as 0, as Kubernetes does (its parser turns an empty number part into 0)', async () => {
    await cluster.apply(dep(podSpec({}, { resources: { limits: { cpu: 'Ki' } } })));
    const live = await cluster.deployments().get('web');
    expect(live.spec?.template.spec?.containers[0].resources?.limits?.cpu).toBe('Ki');
  });

  it('rejects a resource name "Bad Name!" and a nodeName "Bad_Node!" (a DNS subdomain)', async () => {
    const name = await rejection(cluster.apply(dep({}, { name: 'Bad Name!' })));
    expect(name.causes.map((c) => c.field)).toEqual(['metadata.name']);
    const node = await rejection(cluster.apply(dep(podSpec({ nodeName: 'Bad_Node!' }))));
    expect(node.causes.map((c) => c.field)).toEqual(['spec.template.spec.nodeName']);
  });

  it('accepts the annotation key UPPER.COM/x, as Kubernetes does (annotation keys are checked lower-cased), but not as a label key', async () => {
    await expect(cluster.apply(dep({}, { annotations: { 'UPPER.COM/x': 'v' } }))).resolves.toHaveLength(1);
    const label = await rejection(cluster.apply(dep({}, { name: 'other', labels: { 'UPPER.COM/x': 'v' } })));
    expect(label.causes.map((c) => c.field)).toEqual(['metadata.labels']);
  });

  it('rejects a field selector on a field the kind does not support', async () => {
    const err = await rejection(cluster.pods().list({ fieldSelector: 'spec.bogus=x' }));
    expect(err.reason).toBe('BadRequest');
    expect(err.message).toBe('field label not supported: spec.bogus');
    await expect(cluster.pods().list({ fieldSelector: 'spec.nodeName=n1,status.phase=Running' })).resolves.toBeDefined();
    await expect(rejection(cluster.deployments().list({ fieldSelector: 'status.phase=Running' }))).resolves.toMatchObject({
      reason: 'BadRequest',
    });
  });

  it('rejects a watch from a resourceVersion the store has not reached (ResourceVersionTooLarge)', async () => {
    const err = await rejection(
      (async () => {
        for await (const _ of cluster.pods().watch({ resourceVersion: '999999' })) break;
      })(),
    );
    expect(err.reason).toBe('Timeout');
    expect(err.message).toMatch(/^Too large resource version: 999999, current: \d+$/);
  });

  it('rejects delete({ gracePeriodSeconds: "x" }) as the decoder does, and deletes nothing', async () => {
    await cluster.configMaps().create({ metadata: { name: 'keep' } });
    const err = await rejection(cluster.configMaps().delete('keep', { gracePeriodSeconds: 'x' as never }));
    expect(err.reason).toBe('BadRequest');
    expect(err.causes.map((c) => c.field)).toEqual(['gracePeriodSeconds']);
    await expect(cluster.configMaps().get('keep')).resolves.toBeDefined();
  });

  it('rejects JSON patch [null] and an array index 01, changing nothing', async () => {
    await cluster.apply(dep());
    const before = await everything(cluster);
    const nul = await rejection(cluster.deployments().patch('web', [null] as never, 'json'));
    expect(nul.reason).toBe('BadRequest');
    expect(nul.message).toMatch(/^patch\[0\]/);
    const index = await rejection(
      cluster.deployments().patch('web', [{ op: 'replace', path: '/spec/template/spec/containers/01/image', value: 'x' }], 'json'),
    );
    expect(index.message).toMatch(/invalid array index "01"/);
    expect(await everything(cluster)).toBe(before);
  });
});
