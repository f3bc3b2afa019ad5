import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Cluster } from '../../../src/cluster/cluster.js';
import { rejection } from '../../support/rejection.js';
import { TugboatError } from '../../../src/model/errors.js';
import { everything } from '../../support/store-listing.js';

const WEB = `
apiVersion: v1
kind: Namespace
metadata: { name: shop }
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: web, namespace: shop }
spec:
  replicas: 2
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec:
      containers: [{ name: web, image: "nginx:1.25", ports: [{ containerPort: 80 }] }]
---
apiVersion: v1
kind: Service
metadata: { name: web, namespace: shop }
spec:
  selector: { app: web }
  ports: [{ port: 80 }]
`;

const WIDGET_CRD = `
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: { name: widgets.example.com }
spec:
  group: example.com
  scope: Namespaced
  names: { plural: widgets, singular: widget, kind: Widget, shortNames: [wd] }
  versions:
    - name: v1
      served: true
      storage: true
      subresources: { status: {} }
      schema:
        openAPIV3Schema:
          type: object
          properties:
            spec:
              type: object
              required: [size]
              properties:
                size: { type: integer, minimum: 1 }
                color: { type: string, enum: [red, blue] }
---
apiVersion: example.com/v1
kind: Widget
metadata: { name: w1 }
spec: { size: 3, color: red }
`;

describe('cluster.apply', () => {
  let cluster: Cluster;
  beforeEach(async () => {
    cluster = await Cluster.start({ controllers: false, scheduler: false });
  });
  afterEach(async () => {
    await cluster.stop();
  });

  it('applies a multi-document manifest, namespaces first, and returns the stored objects', async () => {
    const out = await cluster.apply(WEB);
    expect(out.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual(['Namespace/shop', 'Deployment/web', 'Service/web']);
    expect(out.every((o) => o.metadata.resourceVersion)).toBe(true);
    expect((await cluster.deployments('shop').get('web')).spec?.replicas).toBe(2);
  });

  it('updates on re-apply, keeping fields others set and removing fields the user removed', async () => {
    await cluster.apply(WEB);
    await cluster.deployments('shop').patch('web', { metadata: { annotations: { 'other.io/note': 'kept' } } });
    const changed = WEB.replace('replicas: 2', 'replicas: 5').replace(', ports: [{ containerPort: 80 }]', '');
    const [, dep] = await cluster.apply(changed);
    expect(dep.metadata.generation).toBe(2);
    const live = await cluster.deployments('shop').get('web');
    expect(live.spec?.replicas).toBe(5);
    expect(live.spec?.template.spec?.containers[0].ports).toBeUndefined();
    expect(live.metadata.annotations?.['other.io/note']).toBe('kept');
    const again = await cluster.apply(changed);
    expect(again[1].metadata.resourceVersion).toBe(live.metadata.resourceVersion);
  });

  it('rejects a manifest with one bad document and leaves the store as it was', async () => {
    const before = (await cluster.namespaces().list()).resourceVersion;
    const bad = WEB.replace('image: "nginx:1.25"', 'image: ""');
    const err = await rejection(cluster.apply(bad));
    expect(err).toBeInstanceOf(TugboatError);
    expect(err.reason).toBe('Invalid');
    expect(err.causes.map((c) => c.field)).toEqual(['spec.template.spec.containers[0].image']);
    expect(await cluster.namespaces().find('shop')).toBeUndefined();
    expect((await cluster.namespaces().list()).resourceVersion).toBe(before);
  });

  it('reports per document what happened (index, kind, name, action) and names a rejected document in the error', async () => {
    const first = await cluster.apply(WEB);
    expect(first.outcomes.map((o) => `${o.index} ${o.kind} ${o.name} ${o.action}`)).toEqual([
      '0 Namespace shop created',
      '1 Deployment web created',
      '2 Service web created',
    ]);
    const changed = await cluster.apply(WEB.replace('replicas: 2', 'replicas: 3'));
    expect(changed.outcomes.map((o) => `${o.index} ${o.object} ${o.action}`)).toEqual([
      '0 namespace/shop unchanged',
      '1 deployment.apps/web configured',
      '2 service/web unchanged',
    ]);
    const bad = await rejection(cluster.apply(WEB.replace('replicas: 2', 'replicas: -1')));
    expect(bad.reason).toBe('Invalid');
    expect(bad.status.code).toBe(422);
    expect(bad.message).toMatch(/^document 1 \(Deployment web\): Deployment\.apps "web" is invalid: spec\.replicas: /);
    expect(bad.causes.map((c) => c.field)).toEqual(['spec.replicas']);
    const unserved = await rejection(cluster.apply(`${WEB}---\napiVersion: x/v1\nkind: Foo\nmetadata: { name: f }\n`));
    expect(unserved.message).toMatch(/^document 3 \(Foo f\): no matches for kind "Foo" in version "x\/v1"/);
    // A single object's error is not prefixed.
    const single = await rejection(cluster.apply({ apiVersion: 'x/v1', kind: 'Foo', metadata: { name: 'f' } }));
    expect(single.message).toMatch(/^no matches for kind "Foo" in version "x\/v1"/);
  });

  it('checks each document against what the documents before it write: two documents naming one object change nothing when the second is bad', async () => {
    const svc = (clusterIP: string) =>
      `apiVersion: v1\nkind: Service\nmetadata: { name: twice }\nspec:\n  clusterIP: ${clusterIP}\n  ports: [{ port: 80 }]\n`;
    const before = await everything(cluster);
    const err = await rejection(cluster.apply(`${svc('10.96.0.50')}---\n${svc('10.96.0.51')}`));
    expect(err.reason).toBe('Invalid');
    expect(err.causes.map((c) => c.field)).toContain('spec.clusterIP');
    expect(await cluster.services().find('twice')).toBeUndefined();
    expect(await everything(cluster)).toBe(before);
    // Two documents that agree still apply: the second is an update of the first.
    const ok = await cluster.apply(`${svc('10.96.0.50')}---\n${svc('10.96.0.50')}`);
    expect(ok).toHaveLength(2);
  });

  it('reports unknown fields as warnings, never an error', async () => {
    const warnings: string[] = [];
    cluster.on('warning', (w) => warnings.push(w));
    const out = await cluster.apply(WEB.replace('replicas: 2', 'replicas: 2\n  replicaz: 4'));
    // Besides: the Service's warning that tugboat stores Services without acting on them (api/stored-only.ts).
    expect(out.warnings.filter((w) => !w.includes('does not act on this kind yet'))).toEqual(['unknown field "spec.replicaz"']);
    expect(warnings).toEqual(out.warnings);
  });

  it('fails BadRequest for YAML it cannot read or a kind it does not know', async () => {
    expect((await rejection(cluster.apply('a: [1, 2'))).reason).toBe('BadRequest');
    const unknown = await rejection(cluster.apply({ apiVersion: 'nope/v1', kind: 'Thing', metadata: { name: 'x' } }));
    expect(unknown.reason).toBe('BadRequest');
    expect(unknown.message).toContain('no matches for kind "Thing"');
  });

  it('serves a CRD kind from the same manifest and validates it against its schema', async () => {
    const out = await cluster.apply(WIDGET_CRD);
    expect(out[1].kind).toBe('Widget');
    const widgets = cluster.client('example.com/v1', 'Widget');
    expect((await widgets.get('w1')).spec).toEqual({ size: 3, color: 'red' });
    const err = await rejection(
      widgets.create({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w2' }, spec: { size: 0, color: 'green' } }),
    );
    expect(err.reason).toBe('Invalid');
    expect(err.causes.map((c) => c.field).sort()).toEqual(['spec.color', 'spec.size']);
    expect(await widgets.find('w2')).toBeUndefined();
  });

  it('drops a CRD kind and its objects when the CRD is deleted', async () => {
    await cluster.apply(WIDGET_CRD);
    await cluster.customResourceDefinitions().delete('widgets.example.com');
    // The cleanup controller deletes the widgets through the API, then lets the CRD go.
    await cluster.waitFor(cluster.customResourceDefinitions(), 'widgets.example.com', (crd) => crd === undefined);
    expect(() => cluster.client('example.com/v1', 'Widget')).toThrow(TugboatError);
    expect((await cluster.store.list({ resource: 'example.com/widgets' })).items).toHaveLength(0);
  });
});
