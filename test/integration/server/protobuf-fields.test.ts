/**
 * Protobuf request bodies through cluster.serve(): a field number the decoder does not declare
 * is warned about (`Warning: 299 - "unknown field ..."`) as JSON's unknown fields are, refused
 * with 400 under fieldValidation=Strict (nothing stored), and ignored under Ignore.
 */
import { describe, expect, it } from 'vitest';
import { request } from '../../support/https-request.js';
import { objectMeta, protobufEnvelope, roleBinding as roleBindingMessage, roleRef, subject } from '../../support/protobuf.js';
import { servedClusterPerSuite } from '../../support/served-cluster.js';

const PATH = '/apis/rbac.authorization.k8s.io/v1/namespaces/default/rolebindings';
const PROTOBUF = 'application/vnd.kubernetes.protobuf';

/** A RoleBinding `name` as kubectl's typed client encodes it, with field 42 of ObjectMeta set when `extra`. */
function roleBinding(name: string, extra: boolean): Buffer {
  const meta = objectMeta({ name });
  if (extra) meta.uint32((42 << 3) | 2).string('surprise');
  const raw = roleBindingMessage({
    metadata: meta.finish(),
    subjects: [subject({ kind: 'User', apiGroup: 'rbac.authorization.k8s.io', name: 'bob' }).finish()],
    roleRef: roleRef({ apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' }).finish(),
  }).finish();
  return protobufEnvelope('rbac.authorization.k8s.io/v1', 'RoleBinding', raw);
}

describe('unknown fields of protobuf bodies', () => {
  const served = servedClusterPerSuite();

  const bindings = () => served.cluster.client('rbac.authorization.k8s.io/v1', 'RoleBinding');

  it('warns about them by default and stores the rest', async () => {
    const r = await request(served.api, 'POST', PATH, { body: roleBinding('warned', true), contentType: PROTOBUF });
    expect(r.status).toBe(201);
    expect(r.headers.warning).toBe('299 - "unknown field \\"metadata.#42\\""');
    expect(r.json.subjects).toEqual([{ kind: 'User', apiGroup: 'rbac.authorization.k8s.io', name: 'bob' }]);
    const clean = await request(served.api, 'POST', PATH, { body: roleBinding('clean', false), contentType: PROTOBUF });
    expect([clean.status, clean.headers.warning]).toEqual([201, undefined]);
  });

  it('refuses them with 400 under fieldValidation=Strict, storing nothing; Ignore says nothing', async () => {
    const strict = await request(served.api, 'POST', `${PATH}?fieldValidation=Strict`, {
      body: roleBinding('strict', true),
      contentType: PROTOBUF,
    });
    expect(strict.status).toBe(400);
    expect(strict.json.message).toBe(
      'RoleBinding in version "v1" cannot be handled as a RoleBinding: strict decoding error: unknown field "metadata.#42"',
    );
    expect(strict.json.details.causes).toEqual([{ field: 'metadata.#42', message: 'unknown field', reason: 'FieldValueInvalid' }]);
    expect(await bindings().find('strict')).toBeUndefined();
    const ignored = await request(served.api, 'POST', `${PATH}?fieldValidation=Ignore`, {
      body: roleBinding('ignored', true),
      contentType: PROTOBUF,
    });
    expect([ignored.status, ignored.headers.warning]).toEqual([201, undefined]);
  });
});
