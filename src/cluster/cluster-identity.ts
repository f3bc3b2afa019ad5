/**
 * The cluster's runtime identity kept in its store: the instance id its containers, sandboxes and
 * networks are labelled with, as an annotation of the kube-system Namespace (Kubernetes itself
 * takes kube-system's uid as the cluster's id). A control plane that restarts on the same store
 * (SQLite file, etcd prefix) finds it and resumes it, so its node agents adopt the running
 * containers instead of sweeping them as a gone owner's and starting every pod anew.
 */
import type { ApiContext } from '../client/types.js';
import type { Namespace } from '../model/types.js';
import { TugboatError } from '../model/errors.js';
import { RUNTIME_INSTANCE_ANNOTATION } from '../model/well-known.js';

/** What the annotation holds. */
interface StoredIdentity {
  cluster: string;
  instance: string;
}

/** How many times a lost race on the Namespace is tried again. */
const ATTEMPTS = 5;

/**
 * The instance id of cluster `clusterName` kept in the store: the stored one when there is one
 * for this cluster name, else `fresh`, which is stored. Needs the kube-system Namespace.
 */
export async function resumeRuntimeIdentity(ctx: ApiContext, clusterName: string, fresh: string): Promise<string> {
  const namespaces = ctx.client<Namespace>('v1', 'Namespace');
  for (let attempt = 1; ; attempt++) {
    const ns = await namespaces.get('kube-system');
    const stored = parse(ns.metadata.annotations?.[RUNTIME_INSTANCE_ANNOTATION]);
    if (stored?.cluster === clusterName) return stored.instance;
    const value = JSON.stringify({ cluster: clusterName, instance: fresh } satisfies StoredIdentity);
    try {
      await namespaces.update({
        ...ns,
        metadata: { ...ns.metadata, annotations: { ...ns.metadata.annotations, [RUNTIME_INSTANCE_ANNOTATION]: value } },
      });
      return fresh;
    } catch (err) {
      if (!TugboatError.is(err, 'Conflict') || attempt >= ATTEMPTS) throw err;
    }
  }
}

function parse(text: string | undefined): StoredIdentity | undefined {
  if (!text) return undefined;
  try {
    const v = JSON.parse(text) as Partial<StoredIdentity>;
    return typeof v.cluster === 'string' && typeof v.instance === 'string' && /^[0-9a-f]{12}$/.test(v.instance)
      ? { cluster: v.cluster, instance: v.instance }
      : undefined;
  } catch {
    return undefined;
  }
}
