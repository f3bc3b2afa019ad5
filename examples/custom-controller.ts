/**
 * A controller of your own: a `Website` custom resource that the controller turns into a
 * Deployment, reporting the ready replicas back into the Website's status.
 * Runs in milliseconds on the mock runtime and a fake clock: `npx tsx examples/custom-controller.ts`.
 */
import { Cluster, FakeClock, MockRuntime, type Controller, type Deployment, type KubeObject } from '../src/index.js';

interface Website extends KubeObject {
  spec: { image: string; replicas: number };
  status?: { readyReplicas?: number };
}

const websiteController: Controller = {
  name: 'website',
  for: { apiVersion: 'example.com/v1', kind: 'Website' },
  owns: [{ apiVersion: 'apps/v1', kind: 'Deployment' }],
  async reconcile({ namespace, name }, ctx) {
    const site = await ctx.cache.get<Website>('example.com/v1', 'Website', namespace, name);
    if (!site) return; // deleted: the garbage collector removes what it owned
    const deployments = ctx.client<Deployment>('apps/v1', 'Deployment', namespace);
    const labels = { website: name };
    const desired: Deployment = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: {
        name,
        labels,
        ownerReferences: [
          { apiVersion: site.apiVersion, kind: site.kind, name, uid: site.metadata.uid!, controller: true, blockOwnerDeletion: true },
        ],
      },
      spec: {
        replicas: site.spec.replicas,
        selector: { matchLabels: labels },
        template: { metadata: { labels }, spec: { containers: [{ name: 'web', image: site.spec.image }] } },
      },
    };
    const current = await deployments.find(name);
    const deployment = current
      ? await deployments.patch(name, { spec: { replicas: site.spec.replicas, template: desired.spec!.template } }, 'strategic')
      : await deployments.create(desired);
    const ready = deployment.status?.readyReplicas ?? 0;
    if (site.status?.readyReplicas !== ready) {
      await ctx.client<Website>('example.com/v1', 'Website', namespace).patchStatus(name, { status: { readyReplicas: ready } });
    }
  },
};

const clock = new FakeClock();
const runtime = new MockRuntime();
await using cluster = await Cluster.start({ clock, nodes: [{ name: 'node-a', runtime }] });
await cluster.apply(`
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: { name: websites.example.com }
spec:
  group: example.com
  scope: Namespaced
  names: { plural: websites, singular: website, kind: Website }
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
              required: [image, replicas]
              properties:
                image: { type: string }
                replicas: { type: integer, minimum: 0 }
            status:
              type: object
              properties:
                readyReplicas: { type: integer }
`);
// The kind exists once its CRD is applied; then the controller can watch it.
await cluster.controllers.register(websiteController);
await cluster.apply({ apiVersion: 'example.com/v1', kind: 'Website', metadata: { name: 'blog' }, spec: { image: 'blog:1', replicas: 3 } });

const websites = cluster.client<Website>('example.com/v1', 'Website');
const ready = cluster.waitFor(websites, 'blog', (w) => w?.status?.readyReplicas === 3, { timeoutMs: 10_000 });
for (let i = 0; i < 20; i++) await clock.advance(1_000);
console.log(`blog: ${(await ready)?.status?.readyReplicas} ready replicas`);

await websites.delete('blog');
const gone = cluster.waitFor(cluster.deployments(), 'blog', (d) => d === undefined, { timeoutMs: 10_000 });
await gone;
console.log('blog deleted: its Deployment was garbage-collected');
