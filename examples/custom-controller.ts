/**
 * A controller of your own: a `Website` custom resource that the controller turns into a
 * Deployment, reporting the ready replicas back into the Website's status. First one reconcile
 * in a unit test's fake context, then the whole loop on a mock cluster.
 * Runs in milliseconds on the mock runtime and a fake clock: `npx tsx examples/custom-controller.ts`.
 */
import type { Controller, Deployment, KubeObject } from '../src/index.js';
import { fakeReconcileContext, startMockCluster } from '../src/testing.js';

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

const websiteCrd = `
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
`;
const blog = {
  apiVersion: 'example.com/v1',
  kind: 'Website',
  metadata: { name: 'blog', namespace: 'default' },
  spec: { image: 'blog:1', replicas: 3 },
};

// A unit test of one reconcile: the real API code over a bare store, no controller running.
{
  await using ctx = await fakeReconcileContext({ objects: [websiteCrd, blog] });
  await websiteController.reconcile({ namespace: 'default', name: 'blog' }, ctx);
  const deployment = await ctx.client<Deployment>('apps/v1', 'Deployment', 'default').get('blog');
  console.log(
    `one reconcile: Deployment blog, ${deployment.spec?.replicas} replicas of ${deployment.spec?.template.spec?.containers[0].image}`,
  );
}

// The whole loop: a cluster of mock nodes on a FakeClock.
await using mock = await startMockCluster({ nodes: 1 });
const { cluster } = mock;
await cluster.apply(websiteCrd);
// The kind exists once its CRD is applied; then the controller can watch it.
await cluster.controllers.register(websiteController);
await cluster.apply(blog);

// Moves the fake clock a second at a time, letting the cluster settle, until the status says 3.
const websites = cluster.client<Website>('example.com/v1', 'Website');
const site = await cluster.advanceUntil(async () => {
  const w = await websites.get('blog');
  return w.status?.readyReplicas === 3 && w;
});
console.log(`blog: ${site && site.status?.readyReplicas} ready replicas`);

await websites.delete('blog');
await cluster.advanceUntil(async () => (await cluster.deployments().find('blog')) === undefined);
console.log('blog deleted: its Deployment was garbage-collected');
