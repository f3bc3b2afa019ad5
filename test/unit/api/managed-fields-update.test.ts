/**
 * managedFields Update entries, as kube-apiserver records them for create, update and patch: the
 * writer owns what it added or changed, takes it from the other managers, and everyone loses what
 * it removed; writes without a field manager (in-process components) record none and keep the
 * stored entries.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Cluster } from '../../../src/cluster/cluster.js';
import { FakeClock } from '../../../src/clock/fake-clock.js';
import { managedFieldsAfterUpdate } from '../../../src/api/managed-fields-update.js';
import type { ManagedFieldsEntry } from '../../../src/api/managed-fields.js';
import type { ConfigMap, KubeObject } from '../../../src/model/types.js';
import { deployment } from '../../support/mock-cluster.js';

const T = '2026-01-01T00:00:00Z';
const who = (manager: string, extra: { subresource?: 'status' | 'scale'; hasStatus?: boolean } = {}) => ({
  manager,
  apiVersion: 'v1',
  time: T,
  hasStatus: extra.hasStatus ?? false,
  ...(extra.subresource ? { subresource: extra.subresource } : {}),
});
const cm = (data: Record<string, string>, labels?: Record<string, string>): KubeObject =>
  ({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'c', namespace: 'default', uid: 'u', ...(labels ? { labels } : {}) },
    data,
  }) as KubeObject;
const owned = (entries: ManagedFieldsEntry[]) => entries.map((e) => [e.manager, e.operation, e.subresource, e.fieldsV1]);

describe('managedFieldsAfterUpdate', () => {
  it('a create owns every field but the server-owned metadata', () => {
    const entries = managedFieldsAfterUpdate([], undefined, cm({ a: '1' }, { app: 'x' }), who('kubectl-create'));
    expect(entries).toEqual([
      {
        manager: 'kubectl-create',
        operation: 'Update',
        apiVersion: 'v1',
        time: T,
        fieldsType: 'FieldsV1',
        fieldsV1: { 'f:data': { 'f:a': {} }, 'f:metadata': { 'f:labels': { 'f:app': {} } } },
      },
    ]);
  });

  it('an update takes the fields it changes from other managers, keeps shared unchanged ones, and drops removed ones', () => {
    const start = managedFieldsAfterUpdate([], undefined, cm({ a: '1', b: '1', c: '1' }), who('creator'));
    const next = managedFieldsAfterUpdate(start, cm({ a: '1', b: '1', c: '1' }), cm({ a: '2', b: '1', d: '1' }), who('editor'));
    expect(owned(next)).toEqual([
      ['creator', 'Update', undefined, { 'f:data': { 'f:b': {} } }],
      ['editor', 'Update', undefined, { 'f:data': { 'f:a': {}, 'f:d': {} } }],
    ]);
    // The editor removes b: the creator owns nothing more and leaves the list.
    const last = managedFieldsAfterUpdate(next, cm({ a: '2', b: '1', d: '1' }), cm({ a: '2', d: '1' }), who('editor'));
    expect(owned(last)).toEqual([['editor', 'Update', undefined, { 'f:data': { 'f:a': {}, 'f:d': {} } }]]);
  });

  it('a write that changes nothing leaves the entries (and their times) alone', () => {
    const start = managedFieldsAfterUpdate([], undefined, cm({ a: '1' }), who('creator'));
    expect(managedFieldsAfterUpdate(start, cm({ a: '1' }), cm({ a: '1' }), { ...who('other'), time: 'later' })).toEqual(start);
  });

  it('keys list elements by their merge key; the status and scale subresources own only their part', () => {
    const pod = (image: string, phase?: string): KubeObject =>
      ({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'p' },
        spec: { containers: [{ name: 'web', image }] },
        ...(phase ? { status: { phase } } : {}),
      }) as KubeObject;
    const created = managedFieldsAfterUpdate([], undefined, pod('a', 'Pending'), who('creator', { hasStatus: true }));
    expect(created[0]!.fieldsV1).toEqual({
      'f:spec': { 'f:containers': { 'k:{"name":"web"}': { '.': {}, 'f:image': {}, 'f:name': {} } } },
    });
    const status = managedFieldsAfterUpdate(
      created,
      pod('a', 'Pending'),
      pod('a', 'Running'),
      who('kubelet', { subresource: 'status', hasStatus: true }),
    );
    expect(owned(status)[1]).toEqual(['kubelet', 'Update', 'status', { 'f:status': { 'f:phase': {} } }]);
    const d = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' }, spec: { replicas: 1, paused: false } } as KubeObject;
    const scaled = managedFieldsAfterUpdate(
      managedFieldsAfterUpdate([], undefined, d, who('creator', { hasStatus: true })),
      d,
      { ...d, spec: { replicas: 3, paused: true } } as KubeObject,
      who('scaler', { subresource: 'scale', hasStatus: true }),
    );
    expect(owned(scaled)).toEqual([
      ['creator', 'Update', undefined, { 'f:spec': { 'f:paused': {} } }],
      ['scaler', 'Update', 'scale', { 'f:spec': { 'f:replicas': {} } }],
    ]);
  });
});

describe('the API records Update entries for writes with a field manager', () => {
  let cluster: Cluster;
  beforeEach(async () => {
    cluster = await Cluster.start({ clock: new FakeClock(new Date('2026-01-01T00:00:00Z')), scheduler: false, controllers: false });
  });
  afterEach(async () => {
    await cluster.stop();
  });

  it('create, update, patch and updateStatus with fieldManager own what they set (defaults of a create included)', async () => {
    const d = cluster.deployments();
    const created = await d.create(deployment('web', { replicas: 2 }), { fieldManager: 'creator' });
    const fields = created.metadata.managedFields?.[0]?.fieldsV1 as { 'f:spec': Record<string, unknown> };
    expect(created.metadata.managedFields?.map((e) => [e.manager, e.operation, e.time])).toEqual([
      ['creator', 'Update', '2026-01-01T00:00:00Z'],
    ]);
    // Defaulted fields are the creator's, as kube-apiserver records them.
    expect(Object.keys(fields['f:spec'])).toEqual(expect.arrayContaining(['f:replicas', 'f:strategy', 'f:revisionHistoryLimit']));
    const patched = await d.patch('web', { spec: { replicas: 3 } }, 'merge', { fieldManager: 'scaler' });
    expect(patched.metadata.managedFields?.map((e) => e.manager)).toEqual(['creator', 'scaler']);
    expect(patched.metadata.managedFields?.[1]?.fieldsV1).toEqual({ 'f:spec': { 'f:replicas': {} } });
    // A write with no manager (the components' unnamed context; cluster clients write as `tugboat`).
    const status = await cluster.context.client('apps/v1', 'Deployment').patchStatus('web', { status: { replicas: 3 } });
    expect(status.metadata.managedFields).toEqual(patched.metadata.managedFields);
  });

  it('a write without a manager keeps the stored entries (none given), and an empty list clears them', async () => {
    const c = cluster.context.client<ConfigMap>('v1', 'ConfigMap');
    await c.create({ metadata: { name: 'c' }, data: { a: '1' } }, { fieldManager: 'creator' });
    const { managedFields: _m, ...meta } = (await c.get('c')).metadata;
    const kept = await c.update({ apiVersion: 'v1', kind: 'ConfigMap', metadata: meta, data: { a: '2' } } as ConfigMap);
    expect(kept.metadata.managedFields?.map((e) => e.manager)).toEqual(['creator']);
    const cleared = await c.update({ ...kept, metadata: { ...kept.metadata, managedFields: [] } } as ConfigMap);
    expect(cleared.metadata.managedFields).toBeUndefined();
    const none = await c.create({ metadata: { name: 'n' } });
    expect(none.metadata.managedFields).toBeUndefined();
  });
});
