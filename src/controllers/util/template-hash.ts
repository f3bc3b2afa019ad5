/**
 * Template hashing (Kubernetes' controller.ComputeHash): the pod-template-hash label that tells
 * a Deployment's ReplicaSets apart and names them (`web-7d4b9c8f5`).
 */
import type { core } from '../../model/types.js';
import { jsonEqual, stableStringify } from '../../model/json.js';
import { POD_TEMPLATE_HASH_LABEL } from '../../model/well-known.js';
import { Fnv32, safeEncode } from './hash.js';

/** The template with its labels minus pod-template-hash (metadata.labels always present, so absent and empty labels compare and hash alike). */
function withoutHash(t: core.PodTemplateSpec | undefined): core.PodTemplateSpec {
  if (!t) return {};
  const { [POD_TEMPLATE_HASH_LABEL]: _, ...labels } = t.metadata?.labels ?? {};
  return { ...t, metadata: { ...(t.metadata ?? {}), labels } };
}

/**
 * The hash of a pod template, as Kubernetes' ComputeHash: FNV-1a (32 bits) of the template
 * (its canonical JSON, key order and a pod-template-hash label ignored) followed, when
 * `collisionCount` is given, by that count as 8 little-endian bytes; written with
 * SafeEncodeString. Equal templates hash alike; a Deployment raises status.collisionCount
 * when its hash names another's ReplicaSet, so the next hash differs.
 */
export function computeHash(template: core.PodTemplateSpec | undefined, collisionCount?: number | null): string {
  const hasher = new Fnv32(true).write(stableStringify(withoutHash(template)));
  if (collisionCount !== undefined && collisionCount !== null) {
    const bytes = new Uint8Array(8);
    new DataView(bytes.buffer).setUint32(0, collisionCount >>> 0, true);
    hasher.write(bytes);
  }
  return safeEncode(String(hasher.sum32()));
}

/** Template equality ignoring the pod-template-hash label (Kubernetes' EqualIgnoreHash). */
export function equalIgnoreHash(a: core.PodTemplateSpec | undefined, b: core.PodTemplateSpec | undefined): boolean {
  return jsonEqual(withoutHash(a), withoutHash(b));
}
