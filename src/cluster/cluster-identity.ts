/**
 * The runtime identity kept in the store: the instance id containers, sandboxes and networks are
 * labelled with, as an annotation. A whole cluster's (all its nodes in one process) on the
 * kube-system Namespace (Kubernetes itself takes kube-system's uid as the cluster's id); a node
 * agent's of its own (`tugboat agent`, a process per node) on its Node, which the agent owns as
 * the kubelet does. A control plane or agent that restarts finds it and resumes it, so the running
 * containers are adopted instead of swept as a gone owner's and every pod started anew.
 */
import type { ApiContext, ResourceClient } from '../client/types.js';
import type { Namespace, Node } from '../model/types.js';
import { TugboatError } from '../model/errors.js';
import { RUNTIME_INSTANCE_ANNOTATION } from '../model/well-known.js';

/** What the annotation holds. */
interface StoredIdentity {
  cluster: string;
  instance: string;
}

/** How many times a lost race on the object is tried again. */
const ATTEMPTS = 5;

/**
 * The instance id of cluster `clusterName` kept in the store: the stored one when there is one
 * for this cluster name, else `fresh`, which is stored. Needs the kube-system Namespace.
 */
export async function resumeRuntimeIdentity(ctx: ApiContext, clusterName: string, fresh: string): Promise<string> {
  const id = await resumeOn(ctx.client<Namespace>('v1', 'Namespace'), 'kube-system', clusterName, fresh);
  return id ?? fresh;
}

/**
 * The instance id of node `nodeName`'s agent kept on its Node: the stored one when the Node has
 * one for this cluster name, else `fresh`, stored when the Node exists. Undefined when there is
 * no Node yet (call again once the agent has registered it, to store `fresh`).
 */
export function resumeNodeRuntimeIdentity(
  ctx: ApiContext,
  nodeName: string,
  clusterName: string,
  fresh: string,
): Promise<string | undefined> {
  return resumeOn(ctx.client<Node>('v1', 'Node'), nodeName, clusterName, fresh);
}

/** Reads or writes the annotation on object `name`; undefined when the object does not exist. */
async function resumeOn<T extends Namespace | Node>(
  client: ResourceClient<T>,
  name: string,
  clusterName: string,
  fresh: string,
): Promise<string | undefined> {
  for (let attempt = 1; ; attempt++) {
    const obj = await client.find(name);
    if (!obj) return undefined;
    const stored = parse(obj.metadata.annotations?.[RUNTIME_INSTANCE_ANNOTATION]);
    if (stored?.cluster === clusterName) return stored.instance;
    const value = JSON.stringify({ cluster: clusterName, instance: fresh } satisfies StoredIdentity);
    try {
      await client.update({
        ...obj,
        metadata: { ...obj.metadata, annotations: { ...obj.metadata.annotations, [RUNTIME_INSTANCE_ANNOTATION]: value } },
      });
      return fresh;
    } catch (err) {
      if (!(TugboatError.is(err, 'Conflict') || TugboatError.is(err, 'NotFound')) || attempt >= ATTEMPTS) throw err;
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
