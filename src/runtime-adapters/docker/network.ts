import { RUNTIME_LABELS, type PodNetwork } from '../types.js';
import { dockerStatus, ignoreStatus } from './errors.js';
import { networkOf, type DockerScope } from './scope.js';
import { RESOURCE_ROLE_LABEL } from './types.js';

// Shared by every runtime of this process on the same daemon: Docker does not make network
// creation by name atomic, so two nodes of one cluster on one daemon must not race.
const pending = new Map<string, Promise<string>>();
// One inspection per network and daemon (until it is removed): a network's gateway and bridge never change.
const known = new Map<string, Promise<PodNetwork>>();
// Networks this process made or found (until it removes them): no list per sandbox. One removed
// behind tugboat's back is noticed by the sandbox start that fails, which forgets it and makes it again.
const ensured = new Set<string>();

/** The labels of the network an object with `labels` joins: its cluster, instance and owner. */
function networkLabels(labels: Record<string, string>, scope: DockerScope): Record<string, string> {
  const out: Record<string, string> = {
    [RUNTIME_LABELS.cluster]: labels[RUNTIME_LABELS.cluster] ?? scope.clusterName,
    [RESOURCE_ROLE_LABEL]: 'network',
  };
  for (const key of [RUNTIME_LABELS.instance, RUNTIME_LABELS.owner]) if (labels[key]) out[key] = labels[key];
  return out;
}

/**
 * Makes sure the bridge network of the cluster instance that `labels` (a sandbox's) name
 * exists, labelled with that cluster, instance and owner, and returns its name. Concurrent
 * callers share one creation; one made meanwhile by another runtime of the instance is taken.
 */
export async function ensureClusterNetwork(scope: DockerScope, labels: Record<string, string>): Promise<string> {
  const name = networkOf(labels, scope);
  const key = `${scope.hostAddress}|${name}`;
  if (ensured.has(key)) return name;
  let p = pending.get(key);
  if (!p) {
    p = createIfMissing(scope, name, networkLabels(labels, scope))
      .then((made) => {
        ensured.add(key);
        return made;
      })
      .finally(() => pending.delete(key));
    pending.set(key, p);
  }
  return p;
}

/** Forgets that the network of `labels` exists (it was found missing): the next ensureClusterNetwork looks again. */
export function forgetClusterNetwork(scope: DockerScope, labels: Record<string, string>): void {
  const key = `${scope.hostAddress}|${networkOf(labels, scope)}`;
  ensured.delete(key);
  known.delete(key);
}

async function createIfMissing(scope: DockerScope, name: string, labels: Record<string, string>): Promise<string> {
  const existing = await scope.docker.listNetworks({ filters: { name: [name] } });
  if (existing.some((n) => n.Name === name)) return name;
  try {
    await scope.docker.createNetwork({ Name: name, Driver: 'bridge', CheckDuplicate: true, Labels: labels });
  } catch (err) {
    if (dockerStatus(err) !== 409) throw err;
  }
  return name;
}

/** Removes a network (and forgets it); false when it is still in use (by a container of someone else). */
export async function removeNetwork(scope: DockerScope, network: { Id: string; Name: string }): Promise<boolean> {
  try {
    await ignoreStatus(scope.docker.getNetwork(network.Id).remove());
    known.delete(`${scope.hostAddress}|${network.Name}`);
    ensured.delete(`${scope.hostAddress}|${network.Name}`);
    return true;
  } catch (err) {
    if (dockerStatus(err) === 403 || dockerStatus(err) === 409) return false;
    throw err;
  }
}

/**
 * Removes the network of this runtime's cluster instance when no sandbox of the instance is
 * left (in any state). Returns whether the network is gone. Another instance's network (a live
 * cluster of the same name) is never touched.
 */
export async function removeClusterNetworkIfUnused(scope: DockerScope): Promise<boolean> {
  const mine = `${RUNTIME_LABELS.instance}=${scope.instance.id}`;
  const sandboxes = await scope.docker.listContainers({ all: true, filters: { label: [mine, `${RUNTIME_LABELS.role}=sandbox`] } });
  if (sandboxes.length > 0) return false;
  const networks = await scope.docker.listNetworks({ filters: { label: [mine] } });
  let gone = true;
  for (const n of networks) {
    if (!(await removeNetwork(scope, n))) gone = false;
  }
  return gone;
}

/**
 * The pod network of the cluster instance this runtime serves (made when missing): its id, its
 * gateway (the host's address on it) and its bridge interface (`br-<id>` unless the network
 * names one).
 */
export function clusterPodNetwork(scope: DockerScope): Promise<PodNetwork> {
  const labels = { [RUNTIME_LABELS.cluster]: scope.clusterName, ...scope.instance.labels };
  const key = `${scope.hostAddress}|${networkOf(labels, scope)}`;
  let p = known.get(key);
  if (!p) {
    p = (async () => {
      const name = await ensureClusterNetwork(scope, labels);
      const info = await scope.docker.getNetwork(name).inspect();
      const gateway = (info.IPAM?.Config ?? [])
        .map((c: { Gateway?: string }) => c.Gateway)
        .find((g: string | undefined) => g && !g.includes(':'));
      if (!gateway) throw new Error(`Docker network ${name} has no IPv4 gateway`);
      const bridge = info.Options?.['com.docker.network.bridge.name'] ?? `br-${String(info.Id).slice(0, 12)}`;
      return { id: String(info.Id), gateway: String(gateway), interface: String(bridge) };
    })();
    p.catch(() => known.delete(key));
    known.set(key, p);
  }
  return p;
}
