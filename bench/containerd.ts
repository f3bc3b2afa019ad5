/**
 * containerd benchmark: on one containerd, the time from apply to all replicas Ready for tugboat
 * (a Cluster on ContainerdRuntime) against the floor of the same work through the same API
 * without the control plane: N pods (pause task with its CNI network + an httpd task) made and
 * started in parallel by ContainerdRuntime directly. Same run, as ratios.
 * Needs containerd with the test images and CNI network (`bash .ci/containerd.sh`).
 * Run alone with `npx tsx bench/containerd.ts [sizes...]`, or through bench/run.ts.
 */
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { Cluster } from '../src/cluster/cluster.js';
import { RealClock } from '../src/clock/real-clock.js';
import { ContainerdRuntime } from '../src/runtime-adapters/containerd/index.js';
import { RUNTIME_LABELS } from '../src/runtime-adapters/types.js';
import { HTTPD_SCRIPT, httpdDeployment } from '../test/support/docker-cluster.js';
import { PAUSE_IMAGE, TEST_IMAGE } from '../test/support/docker.js';

const TIMEOUT_MS = 300_000;

/** One measured figure. */
export interface ContainerdBenchRow {
  scenario: string;
  replicas: number;
  ms: number;
}

/** The floor: N pods (sandbox with CNI + container) created and started at once through ContainerdRuntime. */
async function floorCreate(replicas: number): Promise<number> {
  const runtime = new ContainerdRuntime();
  const cluster = `bench-floor-${process.pid}-${replicas}`;
  runtime.bind({ clock: new RealClock(), clusterName: cluster, nodeName: 'bench' });
  const t0 = performance.now();
  try {
    await Promise.all(
      Array.from({ length: replicas }, async (_, i) => {
        const labels = { [RUNTIME_LABELS.cluster]: cluster, [RUNTIME_LABELS.podUid]: `${cluster}-${i}` };
        const sandbox = await runtime.runSandbox({
          podUid: `${cluster}-${i}`,
          namespace: 'bench',
          podName: `p-${i}`,
          hostname: `p-${i}`,
          labels,
          ports: [],
        });
        const id = await runtime.createContainer(sandbox.id, {
          name: 'web',
          image: TEST_IMAGE,
          command: ['sh', '-c', HTTPD_SCRIPT],
          env: {},
          mounts: [],
          ports: [],
          resources: {},
          labels: {},
        });
        await runtime.startContainer(id);
      }),
    );
    return performance.now() - t0;
  } finally {
    for (const s of await runtime.listSandboxes({ [RUNTIME_LABELS.cluster]: cluster })) await runtime.removeSandbox(s.id);
    await runtime.close();
  }
}

/** tugboat: apply a Deployment, wait until its rollout is complete. */
async function tugboatCreate(replicas: number, probe: boolean): Promise<number> {
  const cluster = await Cluster.start({
    name: `bench-ctrd-${process.pid}-${replicas}`,
    recordEvents: false,
    nodes: [{ name: 'node-1', runtime: new ContainerdRuntime(), capacity: { cpu: '64', memory: '64Gi', pods: '110' } }],
  });
  try {
    const d = httpdDeployment('web', replicas);
    if (!probe) delete d.spec!.template.spec!.containers[0]!.readinessProbe;
    const t0 = performance.now();
    await cluster.apply(d);
    await cluster.rollout('default', 'web').status({ timeoutMs: TIMEOUT_MS });
    return performance.now() - t0;
  } finally {
    await cluster.stop();
  }
}

const secs = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;

/** Runs the containerd scenarios for each size and prints the figures with their ratios to the floor. */
export async function benchContainerd(sizes: number[] = [20, 50]): Promise<ContainerdBenchRow[]> {
  const probe = new ContainerdRuntime();
  try {
    for (const image of [TEST_IMAGE, PAUSE_IMAGE]) await probe.ensureImage(image, 'Never');
  } catch (err) {
    console.log(`\ncontainerd benchmark skipped: ${(err as Error).message} (run bash .ci/containerd.sh)`);
    return [];
  } finally {
    await probe.close();
  }
  const rows: ContainerdBenchRow[] = [];
  const measure = async (scenario: string, replicas: number, fn: () => Promise<number>): Promise<void> => {
    const ms = await fn();
    rows.push({ scenario, replicas, ms });
    console.log(`  ${scenario}, ${replicas} replicas: ${secs(ms)}`);
  };
  console.log('\ncontainerd: apply -> all replicas Ready (one run each; same containerd, image and command)');
  for (const n of sizes) {
    await measure('floor: ContainerdRuntime sandbox + container/replica, in parallel', n, () => floorCreate(n));
    await measure('tugboat, 1 node', n, () => tugboatCreate(n, false));
    await measure('tugboat, 1 node, HTTP readiness probe', n, () => tugboatCreate(n, true));
  }
  console.log('\ncontainerd benchmark (tugboat/floor: the same pods through the same adapter without the control plane)');
  console.table(
    rows.map((r) => {
      const floor = rows.find((f) => f.replicas === r.replicas && f.scenario.startsWith('floor'))?.ms;
      return {
        scenario: r.scenario,
        replicas: r.replicas,
        time: secs(r.ms),
        'tugboat/floor': r.scenario.startsWith('tugboat') && floor ? `${(r.ms / floor).toFixed(2)}x` : '',
      };
    }),
  );
  console.log(
    'Ready = task running (no probe) or GET / answered at the CNI pod IP (probe, periodSeconds 1). One run each on a shared machine: expect noise of 20-30%.',
  );
  return rows;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const sizes = process.argv
    .slice(2)
    .map(Number)
    .filter((n) => n > 0);
  await benchContainerd(sizes.length ? sizes : undefined);
  process.exit(0);
}
