/**
 * Writes Kubernetes protobuf request bodies by hand, as kubectl's typed clients send them: the
 * `k8s\0` magic and a runtime.Unknown envelope around an object's bytes, and the RBAC messages
 * (field numbers of k8s.io/api's generated.proto, written out here rather than taken from the
 * decoder's descriptor, so a test of the decoder checks it against an independent encoding).
 * The message builders return protobufjs Writers with only the fields given, in field order,
 * so a test can append a field the decoder does not declare before `finish()`.
 */
import protobuf from 'protobufjs';

/** A length-delimited field's tag (wire type 2): `(number << 3) | 2`. */
const bytesTag = (field: number) => (field << 3) | 2;

/** Writes the string fields given, in field-number order, to a new Writer. */
function strings(fields: [number, string | undefined][]): protobuf.Writer {
  const w = protobuf.Writer.create();
  for (const [field, value] of fields) if (value !== undefined) w.uint32(bytesTag(field)).string(value);
  return w;
}

/**
 * A body: `k8s\0`, then runtime.Unknown { typeMeta (1) { apiVersion (1), kind (2) }, raw (2),
 * contentEncoding (3) when given }.
 */
export function protobufEnvelope(apiVersion: string, kind: string, raw: Uint8Array, contentEncoding = ''): Buffer {
  const typeMeta = strings([
    [1, apiVersion],
    [2, kind],
  ]).finish();
  const w = protobuf.Writer.create().uint32(bytesTag(1)).bytes(typeMeta).uint32(bytesTag(2)).bytes(raw);
  if (contentEncoding) w.uint32(bytesTag(3)).string(contentEncoding);
  return Buffer.concat([Buffer.from('k8s\0', 'latin1'), w.finish()]);
}

/** meta.v1.ObjectMeta: name (1), namespace (3), creationTimestamp (8, a Time of `creationSeconds` (1)). */
export function objectMeta(meta: { name?: string; namespace?: string; creationSeconds?: number }): protobuf.Writer {
  const w = strings([
    [1, meta.name],
    [3, meta.namespace],
  ]);
  if (meta.creationSeconds !== undefined) {
    w.uint32(bytesTag(8)).bytes(protobuf.Writer.create().uint32(8).int64(meta.creationSeconds).finish());
  }
  return w;
}

/** rbac.v1.Subject: kind (1), apiGroup (2), name (3). */
export function subject(s: { kind?: string; apiGroup?: string; name?: string }): protobuf.Writer {
  return strings([
    [1, s.kind],
    [2, s.apiGroup],
    [3, s.name],
  ]);
}

/** rbac.v1.RoleRef: apiGroup (1), kind (2), name (3). */
export function roleRef(r: { apiGroup?: string; kind?: string; name?: string }): protobuf.Writer {
  return strings([
    [1, r.apiGroup],
    [2, r.kind],
    [3, r.name],
  ]);
}

/** rbac.v1.RoleBinding (or ClusterRoleBinding): metadata (1), subjects (2, repeated), roleRef (3), each already encoded. */
export function roleBinding(parts: { metadata?: Uint8Array; subjects?: Uint8Array[]; roleRef?: Uint8Array }): protobuf.Writer {
  const w = protobuf.Writer.create();
  if (parts.metadata) w.uint32(bytesTag(1)).bytes(parts.metadata);
  for (const s of parts.subjects ?? []) w.uint32(bytesTag(2)).bytes(s);
  if (parts.roleRef) w.uint32(bytesTag(3)).bytes(parts.roleRef);
  return w;
}
