import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Cluster } from '../../../src/cluster/cluster.js';
import { rejection } from '../../support/rejection.js';
import type { CustomResourceDefinition, KubeObject, Pod } from '../../../src/model/types.js';

const DEPLOYMENT = `
apiVersion: apps/v1
kind: Deployment
metadata: { name: web }
spec:
  replicas: 2
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec:
      containers: [{ name: web, image: "nginx:1.25", imagePolicy: Always }]
`;
const TYPO = 'unknown field "spec.template.spec.containers[0].imagePolicy"';

const CONFIG = (data: string) => `
apiVersion: v1
kind: ConfigMap
metadata: { name: conf }
data:
${data}
`;

function pod(extra: Record<string, unknown> = {}): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { generateName: 'p-' },
    spec: { containers: [{ name: 'c', image: 'x', ...extra }] },
  } as Pod;
}

describe('warnings of a write', () => {
  let cluster: Cluster;
  afterEach(async () => {
    await cluster.stop();
  });

  it('reports a misspelled field once, for the object the user wrote (issue 8 bug 3)', async () => {
    cluster = await Cluster.start({ scheduler: false });
    const seen: string[] = [];
    cluster.on('warning', (w, obj) => seen.push(`${obj.kind}/${obj.metadata.name}: ${w}`));
    const out = await cluster.apply(DEPLOYMENT);
    await cluster.controllers.waitForIdle();
    expect((await cluster.pods().list()).items).toHaveLength(2);
    expect(seen).toEqual([`Deployment/web: ${TYPO}`]);
    expect(out.warnings).toEqual([TYPO]);
  });

  it('names an object by the name the API gave it (generateName)', async () => {
    cluster = await Cluster.start({ controllers: false, scheduler: false });
    const seen: string[] = [];
    cluster.on('warning', (_w, obj) => seen.push(obj.metadata.name ?? 'undefined'));
    const created = await cluster.pods().create(pod({ imagePolicy: 'Always' }));
    expect(seen).toEqual([created.metadata.name]);
    expect(created.metadata.name).toMatch(/^p-/);
  });
});

describe('fieldValidation', () => {
  let cluster: Cluster;
  beforeEach(async () => {
    cluster = await Cluster.start({ controllers: false, scheduler: false });
  });
  afterEach(async () => {
    await cluster.stop();
  });

  it('Warn (the default) drops an unknown field with a warning: it reaches no ReplicaSet or Pod', async () => {
    const out = await cluster.apply(DEPLOYMENT);
    expect(out.warnings).toEqual([TYPO]);
    const stored = await cluster.deployments().get('web');
    expect(stored.spec?.template.spec?.containers[0]).toEqual(expect.not.objectContaining({ imagePolicy: expect.anything() }));
    const warnings: string[] = [];
    const p = await cluster.pods().create(pod({ imagePolicy: 'Always' }), { warnings });
    expect(warnings).toEqual(['unknown field "spec.containers[0].imagePolicy"']);
    expect(p.spec?.containers[0]).not.toHaveProperty('imagePolicy');
  });

  it('Strict rejects an unknown field, naming it, and writes nothing', async () => {
    const before = (await cluster.namespaces().list()).resourceVersion;
    const err = await rejection(cluster.apply(DEPLOYMENT, { fieldValidation: 'Strict' }));
    expect(err.reason).toBe('BadRequest');
    expect(err.message).toBe(`Deployment in version "v1" cannot be handled as a Deployment: strict decoding error: ${TYPO}`);
    expect(err.causes.map((c) => c.field)).toEqual(['spec.template.spec.containers[0].imagePolicy']);
    expect(await cluster.deployments().find('web')).toBeUndefined();
    expect((await cluster.namespaces().list()).resourceVersion).toBe(before);
    // the same option on a client's writes
    expect((await rejection(cluster.pods().create(pod({ imagePolicy: 'x' }), { fieldValidation: 'Strict' }))).reason).toBe('BadRequest');
    const ok = await cluster.pods().create(pod());
    const patched = rejection(cluster.pods().patch(ok.metadata.name!, { spec: { nodeNam: 'n' } }, 'merge', { fieldValidation: 'Strict' }));
    expect((await patched).message).toContain('unknown field "spec.nodeNam"');
  });

  it('Ignore drops an unknown field silently', async () => {
    const seen: string[] = [];
    cluster.on('warning', (w) => seen.push(w));
    const out = await cluster.apply(DEPLOYMENT, { fieldValidation: 'Ignore' });
    expect(out.warnings).toEqual([]);
    expect(seen).toEqual([]);
    expect((await cluster.deployments().get('web')).spec?.template.spec?.containers[0]).not.toHaveProperty('imagePolicy');
  });

  it('a field given twice: the last value wins, warned (Warn), rejected (Strict) or not (Ignore)', async () => {
    const twice = CONFIG('  a: "1"\n  a: "2"');
    const err = await rejection(cluster.apply(twice, { fieldValidation: 'Strict' }));
    expect(err.message).toContain('strict decoding error: duplicate field "data.a"');
    expect(await cluster.configMaps().find('conf')).toBeUndefined();
    expect((await cluster.apply(twice, { fieldValidation: 'Ignore' })).warnings).toEqual([]);
    const out = await cluster.apply(twice);
    expect(out.warnings).toEqual(['duplicate field "data.a"']);
    expect((await cluster.configMaps().get('conf')).data).toEqual({ a: '2' });
  });

  it('rejects a fieldValidation it does not know', async () => {
    const err = await rejection(cluster.pods().create(pod(), { fieldValidation: 'Loud' as never }));
    expect(err.reason).toBe('BadRequest');
    expect(err.message).toContain('fieldValidation');
  });

  it("prunes a custom resource's unknown fields per its structural schema, keeping x-kubernetes-preserve-unknown-fields", async () => {
    const crd: CustomResourceDefinition = {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: 'widgets.example.com' },
      spec: {
        group: 'example.com',
        scope: 'Namespaced',
        names: { plural: 'widgets', kind: 'Widget' },
        versions: [
          {
            name: 'v1',
            served: true,
            storage: true,
            schema: {
              openAPIV3Schema: {
                type: 'object',
                properties: {
                  spec: {
                    type: 'object',
                    properties: { size: { type: 'integer' }, extra: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } },
                  },
                },
              },
            },
          },
        ],
      },
    } as unknown as CustomResourceDefinition;
    const manifest = [
      crd,
      { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' }, spec: { size: 1, colour: 'red', extra: { any: 1 } } },
    ];
    const strict = await rejection(cluster.apply(manifest, { fieldValidation: 'Strict' }));
    expect(strict.message).toContain('unknown field "spec.colour"');
    expect(await cluster.customResourceDefinitions().find('widgets.example.com')).toBeUndefined();
    const out = await cluster.apply(manifest);
    expect(out.warnings).toEqual(['unknown field "spec.colour"']);
    expect((await cluster.client('example.com/v1', 'Widget').get('w')).spec).toEqual({ size: 1, extra: { any: 1 } });
  });
});
