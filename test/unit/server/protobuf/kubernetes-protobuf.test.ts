import { describe, expect, it } from 'vitest';
import { decodeProtobufBody, PROTOBUF_KINDS } from '../../../../src/server/protobuf/kubernetes-protobuf.js';
import { TugboatError } from '../../../../src/model/errors.js';
import { objectMeta, protobufEnvelope as envelope, roleBinding, roleRef, subject } from '../../../support/protobuf.js';

describe('Kubernetes protobuf request bodies', () => {
  it('decodes a RoleBinding: metadata (with a creation time), subjects and roleRef', () => {
    const raw = roleBinding({
      metadata: objectMeta({ name: 'rb', namespace: 'team', creationSeconds: 1767225600 }).finish(),
      subjects: [subject({ kind: 'User', apiGroup: 'rbac.authorization.k8s.io', name: 'bob' }).finish()],
      roleRef: roleRef({ apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' }).finish(),
    }).finish();
    expect(decodeProtobufBody(envelope('rbac.authorization.k8s.io/v1', 'RoleBinding', raw))).toEqual({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name: 'rb', namespace: 'team', creationTimestamp: '2026-01-01T00:00:00Z' },
      subjects: [{ kind: 'User', apiGroup: 'rbac.authorization.k8s.io', name: 'bob' }],
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' },
    });
  });

  it('refuses a body without the k8s prefix (400), another kind (415, naming the decoded ones) and an encoded payload', () => {
    const refused = (body: Buffer) => {
      try {
        decodeProtobufBody(body);
      } catch (err) {
        return err as TugboatError & { status?: number };
      }
      throw new Error('accepted');
    };
    expect(TugboatError.is(refused(Buffer.from('{"kind":"Pod"}')), 'BadRequest')).toBe(true);
    const pod = refused(envelope('v1', 'Pod', new Uint8Array()));
    expect(pod.message).toContain(`protobuf is decoded for ${PROTOBUF_KINDS.join(', ')} only (got v1 Pod)`);
    expect(refused(envelope('rbac.authorization.k8s.io/v1', 'RoleBinding', new Uint8Array(), 'gzip')).message).toContain(
      'content encoding "gzip" is not supported',
    );
  });
});

describe('protobuf fields the decoder does not declare', () => {
  it('are handed back by path (declared names, then #number), at any depth and list index', () => {
    const meta = objectMeta({ name: 'rb' })
      .uint32((99 << 3) | 0)
      .uint32(7)
      .finish();
    const user = (name: string, extra: boolean) => {
      const w = subject({ kind: 'User', name });
      if (extra) w.uint32((9 << 3) | 2).string('x');
      return w.finish();
    };
    const ref = roleRef({ kind: 'ClusterRole', name: 'view' }).finish();
    const raw = roleBinding({ metadata: meta, subjects: [user('a', false), user('b', true)], roleRef: ref })
      .uint32((12 << 3) | 1)
      .fixed64(5)
      .finish();
    const unknown: string[] = [];
    const decoded = decodeProtobufBody(envelope('rbac.authorization.k8s.io/v1', 'RoleBinding', raw), unknown);
    expect(unknown).toEqual(['metadata.#99', 'subjects[1].#9', '#12']);
    // The declared fields decode as before.
    expect(decoded).toMatchObject({ metadata: { name: 'rb' }, subjects: [{ name: 'a' }, { name: 'b' }], roleRef: { name: 'view' } });
    const clean: string[] = [];
    decodeProtobufBody(envelope('rbac.authorization.k8s.io/v1', 'RoleBinding', roleBinding({ roleRef: ref }).finish()), clean);
    expect(clean).toEqual([]);
  });
});
