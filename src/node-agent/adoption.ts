/**
 * Adoption after an agent restart: the runtime's sandboxes and containers of this cluster's
 * node, grouped by pod uid. Pods the API still has take theirs back (no duplicates started);
 * what nobody claims is swept (stopped and removed), so no container leaks.
 */
import { RUNTIME_LABELS, type ContainerRuntime, type ContainerStatus, type SandboxStatus } from '../runtime-adapters/types.js';

/** What the runtime holds for one node, by pod uid. */
export class RuntimeInventory {
  private readonly sandboxes = new Map<string, SandboxStatus[]>();
  private readonly containers = new Map<string, ContainerStatus[]>();

  /** Lists the runtime's sandboxes and containers labelled with this cluster and node. */
  static async take(runtime: ContainerRuntime, clusterName: string, nodeName: string): Promise<RuntimeInventory> {
    const labels = { [RUNTIME_LABELS.cluster]: clusterName, [RUNTIME_LABELS.node]: nodeName };
    const [sandboxes, containers] = await Promise.all([runtime.listSandboxes(labels), runtime.listContainers(labels)]);
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
