import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { produce } from 'immer';
import { Cluster } from '../../../src/cluster/cluster.js';
import { rejection } from '../../support/rejection.js';
import { TugboatError } from '../../../src/model/errors.js';
import type { ConfigMap, Deployment } from '../../../src/model/types.js';

const deployment = (name: string, image = 'nginx:1.25'): Deployment => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name, labels: { app: name } },
  spec: {
    selector: { matchLabels: { app: name } },
    template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'web', image }] } },
  },
});

async function reasonOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (err) {
    if (err instanceof TugboatError) return err.reason;
    throw err;
  }
  return 'resolved';
}

describe('typed clients', () => {
  let cluster: Cluster;
  beforeEach(async () => {
    cluster = await Cluster.start({ controllers: false, scheduler: false });
  });
  afterEach(async () => {
    await cluster.stop();
  });

  it('has the system namespaces at start', async () => {
    const names = (await cluster.namespaces().list()).items.map((n) => n.metadata.name);
    expect(names).toEqual(expect.arrayContaining(['default', 'kube-system', 'kube-public', 'kube-node-lease']));
  });

  it('creates with defaults, stamps metadata, and hands out frozen objects', async () => {
    const created = await cluster.deployments().create(deployment('web'));
    expect(created.metadata.namespace).toBe('default');
    expect(created.metadata.uid).toMatch(/[0-9a-f-]{36}/);
    expect(created.metadata.generation).toBe(1);
    expect(created.spec?.replicas).toBe(1);
    expect(created.spec?.strategy?.rollingUpdate?.maxSurge).toBe('25%');
    expect(Object.isFrozen(created)).toBe(true);
    expect(Object.isFrozen(created.spec?.template)).toBe(true);
    expect(() => {
      (created.metadata as { name: string }).name = 'x';
    }).toThrow();
  });

  it('takes the client namespace when the object names none, and rejects another one', async () => {
    await cluster.namespaces().create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team' } });
    const cm = await cluster.configMaps('team').create({ metadata: { name: 'c' }, data: { a: '1' } });
    expect(cm.metadata.namespace).toBe('team');
    const err = await rejection(cluster.configMaps('team').create({ metadata: { name: 'd', namespace: 'default' } }));
    expect(TugboatError.is(err, 'BadRequest')).toBe(true);
    expect((err as Error).message).toContain('does not match the namespace');
    expect(await cluster.configMaps('default').find('d')).toBeUndefined();
  });

  it('rejects objects in a missing namespace with NotFound and stores nothing', async () => {
    const before = (await cluster.deployments('').list()).resourceVersion;
    const err = await rejection(cluster.deployments('nope').create(deployment('web')));
    expect(TugboatError.is(err, 'NotFound')).toBe(true);
    expect((err as Error).message).toBe('namespaces "nope" not found');
    expect((await cluster.deployments('').list()).resourceVersion).toBe(before);
  });

  it('fails AlreadyExists, NotFound and Conflict like Kubernetes', async () => {
    const d = await cluster.deployments().create(deployment('web'));
    expect(await reasonOf(cluster.deployments().create(deployment('web')))).toBe('AlreadyExists');
    const nf = await rejection(cluster.deployments().get('nope'));
    expect(nf.message).toBe('deployments.apps "nope" not found');
    expect(nf.code).toBe(404);
    const fresh = await cluster.deployments().update(produce(d, (x) => void (x.spec!.replicas = 3)));
    expect(fresh.spec?.replicas).toBe(3);
    const stale = await rejection(cluster.deployments().update(produce(d, (x) => void (x.spec!.replicas = 5))));
    expect(stale.reason).toBe('Conflict');
    expect(stale.code).toBe(409);
    expect((await cluster.deployments().get('web')).spec?.replicas).toBe(3);
  });

  it('raises generation on spec changes only', async () => {
    const d = await cluster.deployments().create(deployment('web'));
    const relabelled = await cluster.deployments().patch('web', { metadata: { labels: { extra: 'x' } } });
    expect(relabelled.metadata.generation).toBe(1);
    const scaled = await cluster.deployments().patch('web', { spec: { replicas: 4 } });
    expect(scaled.metadata.generation).toBe(2);
    const status = await cluster.deployments().updateStatus(produce(scaled, (x) => void (x.status = { replicas: 4 })));
    expect(status.metadata.generation).toBe(2);
    expect(Number(status.metadata.resourceVersion)).toBeGreaterThan(Number(d.metadata.resourceVersion));
  });

  it('keeps status on update and spec on updateStatus', async () => {
    const d = await cluster.deployments().create(deployment('web'));
    const withStatus = await cluster.deployments().updateStatus(
      produce(d, (x) => {
        x.status = { replicas: 7 };
        x.spec!.replicas = 9;
      }),
    );
    expect(withStatus.status?.replicas).toBe(7);
    expect(withStatus.spec?.replicas).toBe(1);
    const updated = await cluster.deployments().update(
      produce(withStatus, (x) => {
        x.status = { replicas: 0 };
        x.spec!.replicas = 2;
      }),
    );
    expect(updated.status?.replicas).toBe(7);
    expect(updated.spec?.replicas).toBe(2);
  });

  it('patches with merge, strategic and JSON patches', async () => {
    await cluster.deployments().create(deployment('web'));
    const strategic = await cluster
      .deployments()
      .patch('web', { spec: { template: { spec: { containers: [{ name: 'side', image: 'busybox:1' }] } } } }, 'strategic');
    expect(strategic.spec?.template.spec?.containers.map((c) => c.name)).toEqual(['web', 'side']);
    const merged = await cluster
      .deployments()
      .patch('web', { spec: { template: { spec: { containers: [{ name: 'only', image: 'a:1' }] } } } }, 'merge');
    expect(merged.spec?.template.spec?.containers.map((c) => c.name)).toEqual(['only']);
    const json = await cluster.deployments().patch('web', [{ op: 'replace', path: '/spec/replicas', value: 6 }], 'json');
    expect(json.spec?.replicas).toBe(6);
    expect(await reasonOf(cluster.deployments().patch('web', [{ op: 'remove', path: '/spec/nope' }], 'json'))).toBe('BadRequest');
  });

  it('rejects an invalid update with causes naming the fields, and changes nothing', async () => {
    const d = await cluster.deployments().create(deployment('web'));
    const err = await rejection(
      cluster.deployments().update(produce(d, (x) => void (x.spec!.selector = { matchLabels: { app: 'other' } }))),
    );
    expect(err.reason).toBe('Invalid');
    expect(err.causes.map((c) => c.field)).toContain('spec.selector');
    expect((await cluster.deployments().get('web')).metadata.resourceVersion).toBe(d.metadata.resourceVersion);
  });

  it('watches changes in order with the client filters', async () => {
    const start = await cluster.configMaps().list();
    const seen: string[] = [];
    const abort = new AbortController();
    const done = (async () => {
      for await (const ev of cluster
        .configMaps()
        .watch({ resourceVersion: start.resourceVersion, labelSelector: 'keep=yes', signal: abort.signal })) {
        seen.push(`${ev.type} ${ev.object.metadata.name}`);
        if (seen.length === 3) abort.abort();
      }
    })();
    await cluster.configMaps().create({ metadata: { name: 'a', labels: { keep: 'yes' } } });
    await cluster.configMaps().create({ metadata: { name: 'b', labels: { keep: 'no' } } });
    await cluster.configMaps().patch('a', { data: { x: '1' } });
    await cluster.configMaps().delete('a');
    await done;
    expect(seen).toEqual(['ADDED a', 'MODIFIED a', 'DELETED a']);
  });

  it('runs admission plugins: mutate, then validate, and a rejection stores nothing', async () => {
    cluster.admission.use({
      name: 'stamp',
      mutate: (req) => {
        if (req.operation === 'CREATE') req.object.metadata.labels = { ...req.object.metadata.labels, stamped: 'yes' };
      },
    });
    const remove = cluster.admission.use({
      name: 'no-latest',
      validate: (req) => (JSON.stringify(req.object.spec ?? {}).includes(':latest') ? 'latest images are not allowed' : undefined),
    });
    const ok = await cluster.deployments().create(deployment('ok'));
    expect(ok.metadata.labels?.stamped).toBe('yes');
    const err = await rejection(cluster.deployments().create(deployment('bad', 'nginx:latest')));
    expect(err.reason).toBe('Forbidden');
    expect(err.message).toContain('latest images are not allowed');
    expect(await cluster.deployments().find('bad')).toBeUndefined();
    remove();
    expect((await cluster.deployments().create(deployment('bad', 'nginx:latest'))).metadata.name).toBe('bad');
  });

  it('a mutating plugin that changes in place what a status write keeps fails it with an InternalError naming it', async () => {
    const created = await cluster.deployments().create(deployment('kept'));
    const remove = cluster.admission.use({
      name: 'relabel',
      mutate: (req) => {
        if (req.subresource === 'status') (req.object.metadata.labels as Record<string, string>).touched = 'yes';
      },
    });
    const err = await rejection(cluster.deployments().patchStatus('kept', { status: { observedGeneration: 7 } }, 'merge'));
    expect(err.reason).toBe('InternalError');
    expect(err.message).toMatch(/^admission plugin "relabel" changed in place what a status write keeps from the stored object/);
    const after = await cluster.deployments().get('kept');
    expect(after.metadata.resourceVersion).toBe(created.metadata.resourceVersion);
    expect(after.metadata.labels?.touched).toBeUndefined();
    remove();
    // Setting metadata's own fields (a new labels object) is allowed: mutating admission runs after
    // the status write's reset of metadata, as in Kubernetes, so what it sets is stored.
    cluster.admission.use({
      name: 'relabel-new',
      mutate: (req) => {
        if (req.subresource === 'status') req.object.metadata.labels = { ...req.object.metadata.labels, touched: 'yes' };
      },
    });
    const written = await cluster.deployments().patchStatus('kept', { status: { observedGeneration: 7 } }, 'merge');
    expect(written.status?.observedGeneration).toBe(7);
    expect(written.metadata.labels?.touched).toBe('yes');
  });
});
