/** The served API's HTTP semantics: errors as Status bodies, limits, paging, dry runs, discovery. */
import https from 'node:https';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Cluster } from '../../../src/cluster/cluster.js';
import type { ServedApi } from '../../../src/server/types.js';
import { request } from '../../support/https-request.js';

describe('cluster.serve() over HTTPS', () => {
  let cluster: Cluster;
  let api: ServedApi;

  beforeAll(async () => {
    cluster = await Cluster.start({ controllers: false, scheduler: false });
    api = await cluster.serve({ maxBodyBytes: 10_000, maxWatchesPerClient: 2 });
  });
  afterAll(async () => {
    await cluster?.stop();
  });

  it('serves /version and /healthz without credentials, and refuses the rest with a 401 Status', async () => {
    expect((await request(api, 'GET', '/version', { token: null })).json.gitVersion).toBe('v1.30.0-tugboat');
    expect((await request(api, 'GET', '/readyz', { token: null })).text).toBe('ok');
    for (const token of [null, 'wrong']) {
      const r = await request(api, 'GET', '/api/v1/namespaces', { token });
      expect(r.status).toBe(401);
      expect(r.json).toEqual({
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Failure',
        message: 'Unauthorized',
        reason: 'Unauthorized',
        code: 401,
      });
    }
  });

  it('maps errors to Kubernetes Status bodies and codes', async () => {
    const missing = await request(api, 'GET', '/api/v1/namespaces/default/configmaps/nope');
    expect(missing.status).toBe(404);
    expect(missing.json).toMatchObject({
      kind: 'Status',
      reason: 'NotFound',
      message: 'configmaps "nope" not found',
      details: { name: 'nope', kind: 'configmaps' },
    });
    const bad = await request(api, 'POST', '/api/v1/namespaces/default/configmaps', { body: { metadata: { name: 'Bad_Name' } } });
    expect(bad.status).toBe(422);
    expect(bad.json.reason).toBe('Invalid');
    expect(bad.json.details.causes[0].field).toBe('metadata.name');
    await request(api, 'POST', '/api/v1/namespaces/default/configmaps', { body: { metadata: { name: 'dup' } } });
    const dup = await request(api, 'POST', '/api/v1/namespaces/default/configmaps', { body: { metadata: { name: 'dup' } } });
    expect([dup.status, dup.json.reason]).toEqual([409, 'AlreadyExists']);
    const stale = await request(api, 'PUT', '/api/v1/namespaces/default/configmaps/dup', {
      body: { metadata: { name: 'dup', resourceVersion: '1' } },
    });
    expect([stale.status, stale.json.reason]).toEqual([409, 'Conflict']);
    const unknown = await request(api, 'GET', '/apis/example.com/v1/widgets');
    expect([unknown.status, unknown.json.reason]).toEqual([404, 'NotFound']);
    const junk = await request(api, 'POST', '/api/v1/namespaces/default/configmaps', { body: '{not json' });
    expect([junk.status, junk.json.reason]).toEqual([400, 'BadRequest']);
  });

  it('refuses a body over the limit with 413 and stores nothing', async () => {
    const r = await request(api, 'POST', '/api/v1/namespaces/default/configmaps', {
      body: { metadata: { name: 'big' }, data: { x: 'a'.repeat(20_000) } },
    });
    expect(r.status).toBe(413);
    expect(r.json).toMatchObject({ kind: 'Status', reason: 'RequestEntityTooLarge', code: 413 });
    expect(await cluster.configMaps().find('big')).toBeUndefined();
  });

  it('dryRun validates and stores nothing; warnings come back as Warning headers', async () => {
    const r = await request(api, 'POST', '/api/v1/namespaces/default/configmaps?dryRun=All', {
      body: { metadata: { name: 'dry' }, dataz: {} },
    });
    expect(r.status).toBe(201);
    expect(r.json.metadata.name).toBe('dry');
    expect(String(r.headers.warning)).toContain('dataz');
    expect(await cluster.configMaps().find('dry')).toBeUndefined();
    const strict = await request(api, 'POST', '/api/v1/namespaces/default/configmaps?fieldValidation=Strict', {
      body: { metadata: { name: 'dry' }, dataz: {} },
    });
    expect([strict.status, strict.json.reason]).toEqual([400, 'BadRequest']);
  });

  it('pages lists with limit and continue', async () => {
    for (let i = 0; i < 5; i++)
      await cluster
        .configMaps('paged')
        .create({ metadata: { name: `cm-${i}` } })
        .catch(async () => {
          await cluster.namespaces().create({ metadata: { name: 'paged' } });
          await cluster.configMaps('paged').create({ metadata: { name: `cm-${i}` } });
        });
    const names: string[] = [];
    let next = '';
    let pages = 0;
    do {
      const r = await request(api, 'GET', `/api/v1/namespaces/paged/configmaps?limit=2${next ? `&continue=${next}` : ''}`);
      names.push(...r.json.items.map((i: any) => i.metadata.name));
      next = r.json.metadata.continue ?? '';
      pages++;
    } while (next);
    expect(pages).toBe(3);
    expect(names).toEqual(['cm-0', 'cm-1', 'cm-2', 'cm-3', 'cm-4']);
  });

  it('answers discovery as legacy documents and, when asked, aggregated', async () => {
    const groups = await request(api, 'GET', '/apis');
    expect(groups.json.groups.map((g: any) => g.name)).toContain('apps');
    const aggregated = await request(api, 'GET', '/apis', {
      accept: 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json',
    });
    expect(aggregated.headers['content-type']).toBe('application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList');
    const apps = aggregated.json.items.find((i: any) => i.metadata.name === 'apps');
    const deployments = apps.versions[0].resources.find((r: any) => r.resource === 'deployments');
    expect(deployments.subresources.map((s: any) => s.subresource)).toEqual(['status', 'scale']);
  });

  it('flushes watch headers at once, streams events, and bounds the watches of one client', async () => {
    const open = () =>
      new Promise<import('node:http').IncomingMessage>((resolve, reject) => {
        const agent = new https.Agent({ ca: api.ca });
        const req = https.get(
          new URL('/api/v1/namespaces/default/configmaps?watch=true', api.url),
          { agent, headers: { Authorization: `Bearer ${api.token}` } },
          resolve,
        );
        req.on('error', reject);
      });
    // No object changes: the headers arrive all the same.
    const first = await open();
    expect(first.statusCode).toBe(200);
    expect(first.headers['content-type']).toBe('application/json');
    const second = await open();
    const third = await open();
    expect(third.statusCode).toBe(429);
    third.resume();
    let text = '';
    first.on('data', (d) => (text += d));
    await cluster.configMaps().create({ metadata: { name: 'watched' } });
    await new Promise<void>((resolve) => {
      const check = () => (text.includes('"watched"') ? resolve() : setTimeout(check, 10));
      check();
    });
    const events = text
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(events.find((e) => e.object.metadata.name === 'watched')?.type).toBe('ADDED');
    first.destroy();
    second.destroy();
  });
});
