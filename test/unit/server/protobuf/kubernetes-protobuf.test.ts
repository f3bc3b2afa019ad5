import protobuf from 'protobufjs';
import { describe, expect, it } from 'vitest';
import { decodeProtobufBody, PROTOBUF_KINDS } from '../../../../src/server/protobuf/kubernetes-protobuf.js';
import { TugboatError } from '../../../../src/model/errors.js';

// Writes an envelope by hand (protobufjs' Writer, field numbers of runtime.Unknown and TypeMeta).
function envelope(apiVersion: string, kind: string, raw: Uint8Array, contentEncoding = ''): Buffer {
  const typeMeta = protobuf.Writer.create().uint32(10).string(apiVersion).uint32(18).string(kind).finish();
  const w = protobuf.Writer.create().uint32(10).bytes(typeMeta).uint32(18).bytes(raw);
  if (contentEncoding) w.uint32(26).string(contentEncoding);
  return Buffer.concat([Buffer.from('k8s\0', 'latin1'), w.finish()]);
}

describe('Kubernetes protobuf request bodies', () => {
  it('decodes a RoleBinding: metadata (with a creation time), subjects and roleRef', () => {
    const time = protobuf.Writer.create().uint32(8).int64(1767225600).finish();
    const meta = protobuf.Writer.create().uint32(10).string('rb').uint32(26).string('team').uint32(66).bytes(time).finish();
    const subject = protobuf.Writer.create()
      .uint32(10)
      .string('User')
      .uint32(18)
      .string('rbac.authorization.k8s.io')
      .uint32(26)
      .string('bob')
      .finish();
    const ref = protobuf.Writer.create()
      .uint32(10)
      .string('rbac.authorization.k8s.io')
      .uint32(18)
      .string('ClusterRole')
      .uint32(26)
      .string('view')
      .finish();
    const raw = protobuf.Writer.create().uint32(10).bytes(meta).uint32(18).bytes(subject).uint32(26).bytes(ref).finish();
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
    const meta = protobuf.Writer.create()
      .uint32(10)
      .string('rb')
      .uint32((99 << 3) | 0)
      .uint32(7)
      .finish();
    const subject = (name: string, extra: boolean) => {
      const w = protobuf.Writer.create().uint32(10).string('User').uint32(26).string(name);
      if (extra) w.uint32((9 << 3) | 2).string('x');
      return w.finish();
    };
    const ref = protobuf.Writer.create().uint32(18).string('ClusterRole').uint32(26).string('view').finish();
    const raw = protobuf.Writer.create()
      .uint32(10)
      .bytes(meta)
      .uint32(18)
      .bytes(subject('a', false))
      .uint32(18)
      .bytes(subject('b', true))
      .uint32(26)
      .bytes(ref)
      .uint32((12 << 3) | 1)
      .fixed64(5)
      .finish();
    const unknown: string[] = [];
    const decoded = decodeProtobufBody(envelope('rbac.authorization.k8s.io/v1', 'RoleBinding', raw), unknown);
    expect(unknown).toEqual(['metadata.#99', 'subjects[1].#9', '#12']);
    // The declared fields decode as before.
    expect(decoded).toMatchObject({ metadata: { name: 'rb' }, subjects: [{ name: 'a' }, { name: 'b' }], roleRef: { name: 'view' } });
    const clean: string[] = [];
    decodeProtobufBody(
      envelope('rbac.authorization.k8s.io/v1', 'RoleBinding', protobuf.Writer.create().uint32(26).bytes(ref).finish()),
      clean,
    );
    expect(clean).toEqual([]);
  });
});
