/**
 * Adoption after an agent restart: the runtime's sandboxes and containers of this cluster's
 * node that this agent's cluster instance may claim, grouped by pod uid. Pods the API still has
 * take theirs back (no duplicates started); what nobody claims is swept (stopped and removed),
 * so no container leaks. A live cluster's objects (another process, same names) are never taken.
 */
import { isClaimable, type RuntimeInstance } from '../runtime-adapters/instance.js';
import { RUNTIME_LABELS, type ContainerRuntime, type ContainerStatus, type SandboxStatus } from '../runtime-adapters/types.js';

/**
 * The runtime's sandboxes and containers of a cluster's node that an agent of `instance` may
 * take: its own, unowned ones, and those whose owner is gone; never a live cluster's of the same
 * name (see runtime-adapters/instance.ts for how "gone" is decided).
 */
export async function claimableObjects(
  runtime: ContainerRuntime,
  clusterName: string,
  nodeName: string,
  instance?: RuntimeInstance,
): Promise<{ sandboxes: SandboxStatus[]; containers: ContainerStatus[] }> {
  const labels = { [RUNTIME_LABELS.cluster]: clusterName, [RUNTIME_LABELS.node]: nodeName };
  const [sandboxes, containers] = await Promise.all([runtime.listSandboxes(labels), runtime.listContainers(labels)]);
  return {
    sandboxes: sandboxes.filter((s) => isClaimable(s.labels, instance)),
    containers: containers.filter((c) => isClaimable(c.labels, instance)),
  };
}

/** What the runtime holds for one node, by pod uid. */
export class RuntimeInventory {
  private readonly sandboxes = new Map<string, SandboxStatus[]>();
  private readonly containers = new Map<string, ContainerStatus[]>();

  /** Lists the runtime's sandboxes and containers of this cluster and node that `instance` may claim. */
  static async take(
    runtime: ContainerRuntime,
    clusterName: string,
    nodeName: string,
    instance?: RuntimeInstance,
  ): Promise<RuntimeInventory> {
    const { sandboxes, containers } = await claimableObjects(runtime, clusterName, nodeName, instance);
    const inv = new RuntimeInventory();
    for (const s of sandboxes) push(inv.sandboxes, s.labels[RUNTIME_LABELS.podUid] ?? '', s);
    for (const c of containers) push(inv.containers, c.labels[RUNTIME_LABELS.podUid] ?? '', c);
    return inv;
  }

  /** Takes a pod's objects out of the inventory: its newest ready sandbox, its containers, and the sandboxes to drop. */
  claim(uid: string): { sandbox?: SandboxStatus; containers: ContainerStatus[]; staleSandboxes: SandboxStatus[] } {
    const sandboxes = (this.sandboxes.get(uid) ?? []).sort(
      (a, b) => Number(b.state === 'ready') - Number(a.state === 'ready') || b.createdAt.getTime() - a.createdAt.getTime(),
    );
    const containers = this.containers.get(uid) ?? [];
    this.sandboxes.delete(uid);
    this.containers.delete(uid);
    const sandbox = sandboxes[0];
    return { ...(sandbox ? { sandbox } : {}), containers, staleSandboxes: sandboxes.slice(1) };
  }

  /** Stops and removes everything not claimed. Returns how many containers were swept. */
  async sweep(runtime: ContainerRuntime): Promise<number> {
    const containers = [...this.containers.values()].flat();
    const sandboxes = [...this.sandboxes.values()].flat();
    this.containers.clear();
    this.sandboxes.clear();
    await removeAll(runtime, containers, sandboxes);
    return containers.length;
  }
}

/** Stops (at once) and removes containers, then sandboxes; errors are ignored (already gone). */
export async function removeAll(runtime: ContainerRuntime, containers: ContainerStatus[], sandboxes: SandboxStatus[]): Promise<void> {
  await Promise.all(
    containers.map(async (c) => {
      if (c.state === 'running' || c.state === 'created') await runtime.stopContainer(c.id, 0).catch(() => undefined);
      await runtime.removeContainer(c.id).catch(() => undefined);
    }),
  );
  await Promise.all(
    sandboxes.map(async (s) => {
      await runtime.stopSandbox(s.id).catch(() => undefined);
      await runtime.removeSandbox(s.id).catch(() => undefined);
    }),
  );
}

function push<T>(map: Map<string, T[]>, key: string, value: T): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/**
 * Why a pod's sandbox can no longer hold its containers, as the kubelet's podSandboxChanged
 * decides: it is gone, not ready (killed), was restarted under them (a new network namespace:
 * `startedAt` moved), or lost or changed its address. Undefined while it is fine (pure).
 */
export function sandboxChange(known: SandboxStatus, found: SandboxStatus | undefined, hostNetwork: boolean): string | undefined {
  if (!found) return 'is gone';
  if (found.state !== 'ready') return 'is not ready';
  if (known.startedAt && found.startedAt && known.startedAt.getTime() !== found.startedAt.getTime()) return 'was restarted';
  if (!hostNetwork && (!found.ip || found.ip !== known.ip)) return 'changed its address';
  return undefined;
}
