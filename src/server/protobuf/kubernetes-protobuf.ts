/**
 * Request bodies in Kubernetes' protobuf encoding (`application/vnd.kubernetes.protobuf`), for the
 * kinds kubectl 1.32 sends that way: `kubectl create rolebinding` and `create clusterrolebinding`
 * use typed clients whose requests are protobuf. A body is the magic `k8s\0` followed by a
 * runtime.Unknown envelope (TypeMeta and the object's bytes); the messages are those of
 * k8s.io/api's generated.proto, declared here for the kinds decoded. Other kinds are refused with
 * 415, naming the kinds that are decoded. Decoding is protobufjs; answers stay JSON, which every
 * client accepts. A field number a message does not declare is not dropped silently: its path
 * (`metadata.#17`, `subjects[1].#9`: the declared names, then `#` and the number) is handed back,
 * for the server's fieldValidation to warn about or refuse, as it does JSON's unknown fields.
 */
import protobuf from 'protobufjs';
import { TugboatError } from '../../model/errors.js';
import { rfc3339 } from '../../clock/time-format.js';
import { HttpError } from '../http-status.js';

/** The media type of Kubernetes' protobuf encoding. */
export const PROTOBUF_MEDIA_TYPE = 'application/vnd.kubernetes.protobuf';

const MAGIC = Buffer.from([0x6b, 0x38, 0x73, 0x00]);

const str = (id: number) => ({ type: 'string', id });
/** The messages of k8s.io/api's generated.proto this decodes (field numbers as there). */
const DESCRIPTOR = {
  nested: {
    k8s: {
      nested: {
        TypeMeta: { fields: { apiVersion: str(1), kind: str(2) } },
        Unknown: {
          fields: { typeMeta: { type: 'TypeMeta', id: 1 }, raw: { type: 'bytes', id: 2 }, contentEncoding: str(3), contentType: str(4) },
        },
        Time: { fields: { seconds: { type: 'int64', id: 1 }, nanos: { type: 'int32', id: 2 } } },
        OwnerReference: {
          fields: {
            kind: str(1),
            name: str(3),
            uid: str(4),
            apiVersion: str(5),
            controller: { type: 'bool', id: 6 },
            blockOwnerDeletion: { type: 'bool', id: 7 },
          },
        },
        ObjectMeta: {
          fields: {
            name: str(1),
            generateName: str(2),
            namespace: str(3),
            selfLink: str(4),
            uid: str(5),
            resourceVersion: str(6),
            generation: { type: 'int64', id: 7 },
            creationTimestamp: { type: 'Time', id: 8 },
            deletionTimestamp: { type: 'Time', id: 9 },
            deletionGracePeriodSeconds: { type: 'int64', id: 10 },
            labels: { keyType: 'string', type: 'string', id: 11 },
            annotations: { keyType: 'string', type: 'string', id: 12 },
            ownerReferences: { rule: 'repeated', type: 'OwnerReference', id: 13 },
            finalizers: { rule: 'repeated', type: 'string', id: 14 },
          },
        },
        Subject: { fields: { kind: str(1), apiGroup: str(2), name: str(3), namespace: str(4) } },
        RoleRef: { fields: { apiGroup: str(1), kind: str(2), name: str(3) } },
        RoleBinding: {
          fields: {
            metadata: { type: 'ObjectMeta', id: 1 },
            subjects: { rule: 'repeated', type: 'Subject', id: 2 },
            roleRef: { type: 'RoleRef', id: 3 },
          },
        },
      },
    },
  },
};
const root = protobuf.Root.fromJSON(DESCRIPTOR);

const UNKNOWN = root.lookupType('k8s.Unknown');
/** apiVersion/kind -> the message of the object's bytes. */
const MESSAGES: Record<string, protobuf.Type> = {
  'rbac.authorization.k8s.io/v1/RoleBinding': root.lookupType('k8s.RoleBinding'),
  'rbac.authorization.k8s.io/v1/ClusterRoleBinding': root.lookupType('k8s.RoleBinding'),
};

/** The kinds whose protobuf bodies are decoded, as `apiVersion/Kind`. */
export const PROTOBUF_KINDS: readonly string[] = Object.keys(MESSAGES);

/** A protobuf Time as RFC 3339 (whole seconds, as Kubernetes' metav1.Time). */
function timeOf(t: { seconds?: number | string } | undefined): string | undefined {
  if (!t || t.seconds === undefined) return undefined;
  return rfc3339(Number(t.seconds) * 1000);
}

/** Joins a field path: `a` + `b` is `a.b`; `b` alone at the top. */
function joinPath(path: string, name: string): string {
  return path ? `${path}.${name}` : name;
}

/**
 * The fields of `bytes` (a `type` message) that `type` does not declare, recursively through
 * the declared message fields, as paths (see the file comment), pushed to `out`.
 */
function undeclaredFields(type: protobuf.Type, bytes: Uint8Array, path: string, out: string[]): void {
  const reader = protobuf.Reader.create(bytes);
  const seen = new Map<number, number>();
  while (reader.pos < reader.len) {
    const tag = reader.uint32();
    const id = tag >>> 3;
    const wireType = tag & 7;
    const field = type.fieldsById[id];
    if (!field) {
      out.push(joinPath(path, `#${id}`));
      reader.skipType(wireType);
      continue;
    }
    const index = seen.get(id) ?? 0;
    seen.set(id, index + 1);
    field.resolve();
    if (wireType === 2 && !field.map && field.resolvedType instanceof protobuf.Type) {
      const name = field.repeated ? `${field.name}[${index}]` : field.name;
      undeclaredFields(field.resolvedType, reader.bytes(), joinPath(path, name), out);
    } else reader.skipType(wireType);
  }
}

/**
 * Decodes a protobuf request body into the JSON object it stands for. The paths of the fields
 * it does not declare are pushed to `unknown` (see the file comment).
 */
export function decodeProtobufBody(body: Buffer, unknown: string[] = []): Record<string, unknown> {
  if (body.length < MAGIC.length || !body.subarray(0, MAGIC.length).equals(MAGIC)) {
    throw TugboatError.badRequest('error decoding protobuf: the body does not start with the "k8s\\x00" prefix');
  }
  let envelope: protobuf.Message & { typeMeta?: { apiVersion?: string; kind?: string }; raw?: Uint8Array; contentEncoding?: string };
  try {
    envelope = UNKNOWN.decode(body.subarray(MAGIC.length)) as typeof envelope;
  } catch (e) {
    throw TugboatError.badRequest(`error decoding protobuf: ${(e as Error).message}`);
  }
  const apiVersion = envelope.typeMeta?.apiVersion ?? '';
  const kind = envelope.typeMeta?.kind ?? '';
  const message = MESSAGES[`${apiVersion}/${kind}`];
  if (!message) {
    throw new HttpError(
      415,
      'UnsupportedMediaType',
      `the body of the request was in an unknown format - protobuf is decoded for ${PROTOBUF_KINDS.join(', ')} only (got ${apiVersion} ${kind}); send application/json or application/yaml`,
    );
  }
  if (envelope.contentEncoding)
    throw TugboatError.badRequest(`error decoding protobuf: content encoding "${envelope.contentEncoding}" is not supported`);
  let decoded: Record<string, any>;
  try {
    const raw = envelope.raw ?? new Uint8Array();
    decoded = message.toObject(message.decode(raw), { longs: Number, arrays: false, objects: false });
    undeclaredFields(message, raw, '', unknown);
  } catch (e) {
    throw TugboatError.badRequest(`error decoding protobuf ${kind}: ${(e as Error).message}`);
  }
  const meta = decoded.metadata ?? {};
  const metadata: Record<string, unknown> = { ...meta };
  for (const field of ['creationTimestamp', 'deletionTimestamp'] as const) {
    if (meta[field] === undefined) continue;
    const time = timeOf(meta[field]);
    if (time) metadata[field] = time;
    else delete metadata[field];
  }
  return { apiVersion, kind, ...decoded, metadata };
}
