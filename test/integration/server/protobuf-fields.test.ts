/**
 * Protobuf request bodies through cluster.serve(): a field number the decoder does not declare
 * is warned about (`Warning: 299 - "unknown field ..."`) as JSON's unknown fields are, refused
 * with 400 under fieldValidation=Strict (nothing stored), and ignored under Ignore.
 */
import protobuf from 'protobufjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Cluster } from '../../../src/cluster/cluster.js';
import type { ServedApi } from '../../../src/server/types.js';
import { request } from '../../support/https-request.js';

const PATH = '/apis/rbac.authorization.k8s.io/v1/namespaces/default/rolebindings';
const PROTOBUF = 'application/vnd.kubernetes.protobuf';

/** A RoleBinding `name` as kubectl's typed client encodes it, with field 42 of ObjectMeta set when `extra`. */
function roleBinding(name: string, extra: boolean): Buffer {
  const meta = protobuf.Writer.create().uint32(10).string(name);
  if (extra) meta.uint32((42 << 3) | 2).string('surprise');
  const subject = protobuf.Writer.create()
    .uint32(10)
    .string('User')
    .uint32(18)
    .string('rbac.authorization.k8s.io')
    .uint32(26)
    .string('bob');
  const ref = protobuf.Writer.create()
    .uint32(10)
    .string('rbac.authorization.k8s.io')
    .uint32(18)
    .string('ClusterRole')
    .uint32(26)
    .string('view');
  const raw = protobuf.Writer.create()
    .uint32(10)
    .bytes(meta.finish())
    .uint32(18)
    .bytes(subject.finish())
    .uint32(26)
    .bytes(ref.finish())
    .finish();
  const typeMeta = protobuf.Writer.create().uint32(10).string('rbac.authorization.k8s.io/v1').uint32(18).string('RoleBinding').finish();
  const envelope = protobuf.Writer.create().uint32(10).bytes(typeMeta).uint32(18).bytes(raw).finish();
  return Buffer.concat([Buffer.from('k8s\0', 'latin1'), envelope]);
}

describe('unknown fields of protobuf bodies', () => {
  let cluster: Cluster;
  let api: ServedApi;

  beforeAll(async () => {
    cluster = await Cluster.start({ controllers: false, scheduler: false });
    api = await cluster.serve();
  });
  afterAll(async () => {
    await cluster?.stop();
  });

  const bindings = () => cluster.client('rbac.authorization.k8s.io/v1', 'RoleBinding');

  it('warns about them by default and stores the rest', async () => {
    const r = await request(api, 'POST', PATH, { body: roleBinding('warned', true), contentType: PROTOBUF });
    expect(r.status).toBe(201);
    expect(r.headers.warning).toBe('299 - "unknown field \\"metadata.#42\\""');
    expect(r.json.subjects).toEqual([{ kind: 'User', apiGroup: 'rbac.authorization.k8s.io', name: 'bob' }]);
    const clean = await request(api, 'POST', PATH, { body: roleBinding('clean', false), contentType: PROTOBUF });
    expect([clean.status, clean.headers.warning]).toEqual([201, undefined]);
  });

  it('refuses them with 400 under fieldValidation=Strict, storing nothing; Ignore says nothing', async () => {
    const strict = await request(api, 'POST', `${PATH}?fieldValidation=Strict`, {
      body: roleBinding('strict', true),
      contentType: PROTOBUF,
    });
    expect(strict.status).toBe(400);
    expect(strict.json.message).toBe(
      'RoleBinding in version "v1" cannot be handled as a RoleBinding: strict decoding error: unknown field "metadata.#42"',
    );
    expect(strict.json.details.causes).toEqual([{ field: 'metadata.#42', message: 'unknown field', reason: 'FieldValueInvalid' }]);
    expect(await bindings().find('strict')).toBeUndefined();
    const ignored = await request(api, 'POST', `${PATH}?fieldValidation=Ignore`, {
      body: roleBinding('ignored', true),
      contentType: PROTOBUF,
    });
    expect([ignored.status, ignored.headers.warning]).toEqual([201, undefined]);
  });
});
