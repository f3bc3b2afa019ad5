/**
 * managedFields over HTTP: the field manager of a create, update or patch is the fieldManager
 * parameter, else the User-Agent's first segment (kube-apiserver's rule); a bad one is Invalid;
 * server-side apply conflicts with an updater as kube-apiserver words it, and forcing takes the field.
 */
import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../../src/clock/fake-clock.js';
import { request } from '../../support/https-request.js';
import { servedClusterPerSuite, startServedCluster } from '../../support/served-cluster.js';

const CMS = '/api/v1/namespaces/default/configmaps';
const APPLY = 'application/apply-patch+yaml';

describe('managedFields Update entries through cluster.serve()', () => {
  const served = servedClusterPerSuite();

  const entries = (obj: any) => (obj.metadata.managedFields ?? []).map((e: any) => [e.manager, e.operation, e.fieldsV1]);

  it('names the manager by fieldManager, else by the User-Agent; a write with neither records none', async () => {
    const ua = await request(served.api, 'POST', CMS, {
      body: { metadata: { name: 'ua' }, data: { a: '1' } },
      userAgent: 'my-tool/1.2 (linux)',
    });
    expect(ua.status).toBe(201);
    expect(entries(ua.json)).toEqual([['my-tool', 'Update', { 'f:data': { 'f:a': {} } }]]);
    const named = await request(served.api, 'PATCH', `${CMS}/ua?fieldManager=patcher`, {
      body: { data: { b: '2' } },
      contentType: 'application/merge-patch+json',
      userAgent: 'my-tool/1.2',
    });
    expect(entries(named.json)).toEqual([
      ['my-tool', 'Update', { 'f:data': { 'f:a': {} } }],
      ['patcher', 'Update', { 'f:data': { 'f:b': {} } }],
    ]);
    const put = await request(served.api, 'PUT', `${CMS}/ua`, {
      body: { ...named.json, data: { a: '3', b: '2' } },
      userAgent: 'editor/9',
    });
    expect(entries(put.json).map((e: any) => e[0])).toEqual(['editor', 'patcher']);
    const anonymous = await request(served.api, 'POST', CMS, { body: { metadata: { name: 'anon' } } });
    expect(anonymous.json.metadata.managedFields).toBeUndefined();
  });

  it('refuses a fieldManager over 128 characters or with a control character, naming the field, and stores nothing', async () => {
    const long = await request(served.api, 'POST', `${CMS}?fieldManager=${'m'.repeat(129)}`, { body: { metadata: { name: 'long' } } });
    expect([long.status, long.json.reason, long.json.details.causes[0].field]).toEqual([422, 'Invalid', 'fieldManager']);
    expect(long.json.message).toContain('CreateOptions');
    const ctl = await request(served.api, 'POST', `${CMS}?fieldManager=a%01b`, { body: { metadata: { name: 'ctl' } } });
    expect([ctl.status, ctl.json.details.causes[0].field]).toEqual([422, 'fieldManager']);
    expect(await served.cluster.configMaps().find('long')).toBeUndefined();
    expect(await served.cluster.configMaps().find('ctl')).toBeUndefined();
  });

  it('an apply that changes fields updaters set conflicts with each, grouped by manager; force takes them', async () => {
    await request(served.api, 'POST', CMS, { body: { metadata: { name: 'shared' }, data: { a: '1', b: '1' } }, userAgent: 'first/1' });
    await request(served.api, 'PATCH', `${CMS}/shared`, {
      body: { data: { c: '1' } },
      contentType: 'application/merge-patch+json',
      userAgent: 'second/1',
    });
    const body = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: shared}\ndata: {a: "2", b: "2", c: "2"}\n';
    const r = await request(served.api, 'PATCH', `${CMS}/shared?fieldManager=applier`, { body, contentType: APPLY });
    expect(r.status).toBe(409);
    expect(r.json.message).toBe(
      'Apply failed with 3 conflicts: conflicts with "first" using v1:\n- .data.a\n- .data.b\nconflicts with "second" using v1:\n- .data.c',
    );
    expect(r.json.details.causes[0]).toEqual({
      reason: 'FieldManagerConflict',
      message: 'conflict with "first" using v1',
      field: '.data.a',
    });
    expect((await served.cluster.configMaps().get('shared')).data).toEqual({ a: '1', b: '1', c: '1' });
    const forced = await request(served.api, 'PATCH', `${CMS}/shared?fieldManager=applier&force=true`, { body, contentType: APPLY });
    expect(forced.status).toBe(200);
    expect(entries(forced.json)).toEqual([['applier', 'Apply', { 'f:data': { 'f:a': {}, 'f:b': {}, 'f:c': {} } }]]);
  });
});

describe('server-side apply on the cluster clock', () => {
  it("stamps the Apply entry's time from the cluster's clock, not the machine's", async () => {
    const { cluster, api } = await startServedCluster({ clock: new FakeClock(new Date('2031-05-06T07:08:09.500Z')) });
    try {
      const res = await request(api, 'PATCH', `${CMS}/clocked?fieldManager=applier`, {
        body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'clocked' }, data: { a: '1' } },
        contentType: APPLY,
      });
      expect(res.status).toBe(201);
      expect(res.json.metadata.managedFields.map((e: any) => [e.manager, e.operation, e.time])).toEqual([
        ['applier', 'Apply', '2031-05-06T07:08:09Z'],
      ]);
    } finally {
      await cluster.stop();
    }
  });
});
