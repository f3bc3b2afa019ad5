import { RUNTIME_LABELS } from '../types.js';
import { dockerStatus, ignoreStatus } from './errors.js';
import { networkNameFor, type DockerScope } from './scope.js';
import { RESOURCE_ROLE_LABEL } from './types.js';

// Shared by every runtime of this process on the same daemon: Docker does not make network
// creation by name atomic, so two nodes of one cluster on one daemon must not race.
const pending = new Map<string, Promise<string>>();

/**
 * Makes sure the cluster's bridge network exists (labelled with the cluster) and returns its
 * name. Concurrent callers share one creation; a network made meanwhile by another process is
 * taken as is.
 */
export function ensureClusterNetwork(scope: DockerScope, clusterName = scope.clusterName): Promise<string> {
  const name = networkNameFor(clusterName);
  const key = `${scope.hostAddress}|${name}`;
  let p = pending.get(key);
  if (!p) {
    p = createIfMissing(scope, name, clusterName).finally(() => pending.delete(key));
    pending.set(key, p);
  }
  return p;
}

async function createIfMissing(scope: DockerScope, name: string, clusterName: string): Promise<string> {
  const existing = await scope.docker.listNetworks({ filters: { name: [name] } });
  if (existing.some((n) => n.Name === name)) return name;
  try {
    await scope.docker.createNetwork({
      Name: name,
      Driver: 'bridge',
      CheckDuplicate: true,
      Labels: { [RUNTIME_LABELS.cluster]: clusterName, [RESOURCE_ROLE_LABEL]: 'network' },
    });
  } catch (err) {
    if (dockerStatus(err) !== 409) throw err;
  }
  return name;
}

/**
 * Removes the cluster's network when no sandbox of the cluster is left (in any state). Returns
 * whether the network is gone. A network still in use by someone else is left alone.
 */
export async function removeClusterNetworkIfUnused(scope: DockerScope): Promise<boolean> {
  const sandboxes = await scope.docker.listContainers({
    all: true,
    filters: { label: [scope.clusterFilter, `${RUNTIME_LABELS.role}=sandbox`] },
  });
  if (sandboxes.length > 0) return false;
  const networks = await scope.docker.listNetworks({ filters: { label: [scope.clusterFilter] } });
  let gone = true;
  for (const n of networks) {
    try {
      await ignoreStatus(scope.docker.getNetwork(n.Id).remove());
    } catch (err) {
      if (dockerStatus(err) === 403 || dockerStatus(err) === 409) gone = false;
      else throw err;
    }
  }
  return gone;
}
