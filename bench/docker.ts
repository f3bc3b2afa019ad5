/**
 * Docker benchmark: on one dockerd, the time from apply to all replicas Ready for tugboat (a
 * Cluster on DockerRuntime), for a plain loop of parallel dockerode create+start (the floor) and
 * for Docker Swarm; and a rolling update of 20 replicas, tugboat against `docker service update`.
 * Needs a Docker daemon with the test images (`bash .ci/docker.sh`).
 * Run alone with `npx tsx bench/docker.ts [sizes...]`, or through bench/run.ts.
 */
import { execFile } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import Docker from 'dockerode';
import { Cluster } from '../src/cluster/cluster.js';
import type { Deployment } from '../src/model/types.js';
import { DockerRuntime } from '../src/runtime-adapters/docker/index.js';
import { RUNTIME_LABELS } from '../src/runtime-adapters/types.js';
import { HTTPD_SCRIPT, httpdDeployment } from '../test/support/docker-cluster.js';
import { PAUSE_IMAGE, TEST_IMAGE, TEST_IMAGE_2 } from '../test/support/docker.js';

const BENCH_LABEL = 'io.tugboat.bench';
const SERVICE_PREFIX = 'tb-bench-';
const UPDATE_REPLICAS = 20;
const TIMEOUT_MS = 300_000;

const docker = new Docker();
const run = promisify(execFile);

/** One measured figure. */
export interface DockerBenchRow {
  scenario: string;
  replicas: number;
  ms: number;
  note?: string;
}

/** A Deployment of `replicas` httpd pods (test/support's), optionally without its HTTP readiness probe. */
function deployment(name: string, replicas: number, probe: boolean): Deployment {
  const d = httpdDeployment(name, replicas);
  if (!probe) delete d.spec!.template.spec!.containers[0]!.readinessProbe;
  return d;
}

async function withCluster<T>(nodes: number, fn: (cluster: Cluster) => Promise<T>): Promise<T> {
  const name = `bench-${process.pid}-${nodes}n`;
  const cluster = await Cluster.start({
    name,
    recordEvents: false,
    nodes: Array.from({ length: nodes }, (_, i) => ({
      name: `node-${i + 1}`,
      runtime: new DockerRuntime(),
      capacity: { cpu: '64', memory: '64Gi', pods: '110' },
    })),
  });
  try {
    return await fn(cluster);
  } finally {
    await cluster.stop();
    await removeLabelled(`${RUNTIME_LABELS.cluster}=${name}`);
  }
}

/** tugboat: apply a Deployment, wait until its rollout is complete (every replica Ready and available). */
async function tugboatCreate(replicas: number, nodes: number, probe: boolean): Promise<number> {
  return withCluster(nodes, async (cluster) => {
    const t0 = performance.now();
    await cluster.apply(deployment('web', replicas, probe));
    await cluster.rollout('default', 'web').status({ timeoutMs: TIMEOUT_MS });
    return performance.now() - t0;
  });
}

/** When each step of one pod happened, in ms after the apply. */
interface PodTimeline {
  created?: number;
  scheduled?: number;
  sandboxCreate?: number;
  sandboxStart?: number;
  containerCreate?: number;
  containerStart?: number;
  running?: number;
  ready?: number;
}

const STEPS: Array<keyof PodTimeline> = [
  'created',
  'scheduled',
  'sandboxCreate',
  'sandboxStart',
  'containerCreate',
  'containerStart',
  'running',
  'ready',
];

/**
 * Counts the Docker API requests of every dockerode client of this process by method and path
 * (ids and query left out), until stop().
 */
function countDockerCalls(): { counts: Map<string, number>; stop(): void } {
  const modem = Object.getPrototypeOf(docker.modem) as { dial: (options: { method?: string; path?: string }, cb: unknown) => unknown };
  const dial = modem.dial;
  const counts = new Map<string, number>();
  modem.dial = function (this: unknown, options, cb) {
    const path = (options.path ?? '')
      .split('?')[0]!
      .replace(/\/[0-9a-f]{64}/g, '/<id>')
      .replace(/\/containers\/(?!create|json)[^/]+/, '/containers/<id>');
    const key = `${options.method ?? 'GET'} ${path}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
    return dial.call(this, options, cb);
  };
  return { counts, stop: () => (modem.dial = dial) };
}

/**
 * tugboat, traced: as tugboatCreate, and meanwhile a pod watch (created, scheduled, status
 * Running, Ready) and Docker's event stream (sandbox and container create/start) record each
 * pod's timeline. Prints the median and the slowest pod of each step, and the whole.
 */
async function tugboatTrace(replicas: number): Promise<number> {
  return withCluster(1, async (cluster) => {
    const pods = new Map<string, PodTimeline>();
    const of = (uid: string): PodTimeline => {
      let t = pods.get(uid);
      if (!t) pods.set(uid, (t = {}));
      return t;
    };
    const abort = new AbortController();
    const calls = countDockerCalls();
    const t0 = performance.now();
    const wall0 = Date.now();
    const since = (ms: number): number => ms - wall0;
    const mark = (t: PodTimeline, step: keyof PodTimeline, at: number): void => {
      if (t[step] === undefined) t[step] = at;
    };
    const watching = (async () => {
      for await (const e of cluster.pods('default').watch({ signal: abort.signal })) {
        const pod = e.object;
        const t = of(pod.metadata.uid ?? '');
        const now = performance.now() - t0;
        mark(t, 'created', now);
        if (pod.spec?.nodeName) mark(t, 'scheduled', now);
        if (pod.status?.phase === 'Running') mark(t, 'running', now);
        if (pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True')) mark(t, 'ready', now);
      }
    })().catch(() => undefined);
    const stream = (await docker.getEvents({
      since: Math.floor(wall0 / 1000),
      filters: { type: ['container'], label: [`${RUNTIME_LABELS.cluster}=${cluster.name}`], event: ['create', 'start'] },
    })) as NodeJS.ReadableStream & { destroy(): void };
    let partial = '';
    stream.on('data', (chunk: Buffer) => {
      const lines = (partial + chunk.toString()).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines.filter(Boolean)) {
        const m = JSON.parse(line) as { Action?: string; timeNano?: number; Actor?: { Attributes?: Record<string, string> } };
        const attrs = m.Actor?.Attributes ?? {};
        const uid = attrs[RUNTIME_LABELS.podUid];
        if (!uid || !m.timeNano) continue;
        const at = since(m.timeNano / 1e6);
        const sandbox = attrs[RUNTIME_LABELS.role] === 'sandbox';
        if (m.Action === 'create') mark(of(uid), sandbox ? 'sandboxCreate' : 'containerCreate', at);
        if (m.Action === 'start') mark(of(uid), sandbox ? 'sandboxStart' : 'containerStart', at);
      }
    });
    await cluster.apply(deployment('web', replicas, false));
    await cluster.rollout('default', 'web').status({ timeoutMs: TIMEOUT_MS });
    const total = performance.now() - t0;
    await new Promise((r) => setTimeout(r, 300));
    abort.abort();
    stream.destroy();
    await watching;
    calls.stop();
    console.log(`  Docker API calls of the whole process from apply to rollout complete (${replicas} pods):`);
    console.table([...calls.counts].sort((a, b) => b[1] - a[1]).map(([call, n]) => ({ call, n, 'per pod': +(n / replicas).toFixed(2) })));
    const lines = [...pods.values()].filter((t) => t.ready !== undefined);
    const pct = (xs: number[], q: number): number => xs.sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))] ?? NaN;
    console.log(`  traced: ${lines.length} pods Ready, rollout complete at ${total.toFixed(0)} ms (ms after apply)`);
    console.table(
      STEPS.map((step, i) => {
        const at = lines.map((t) => t[step]).filter((x): x is number => x !== undefined);
        const gaps = lines
          .map((t) => (i > 0 && t[step] !== undefined && t[STEPS[i - 1]!] !== undefined ? t[step]! - t[STEPS[i - 1]!]! : undefined))
          .filter((x): x is number => x !== undefined);
        return {
          step,
          first: Math.round(Math.min(...at)),
          median: Math.round(pct(at, 0.5)),
          last: Math.round(Math.max(...at)),
          'median gap from previous': i > 0 ? Math.round(pct(gaps, 0.5)) : '',
          'max gap': i > 0 ? Math.round(Math.max(...gaps)) : '',
        };
      }),
    );
    return total;
  });
}

/** tugboat: a Deployment of 20 replicas rolls from image :1 to :2 (default maxSurge/maxUnavailable 25%). */
async function tugboatUpdate(replicas: number, nodes: number): Promise<number> {
  return withCluster(nodes, async (cluster) => {
    await cluster.apply(deployment('web', replicas, false));
    await cluster.rollout('default', 'web').status({ timeoutMs: TIMEOUT_MS });
    const t0 = performance.now();
    await cluster
      .deployments('default')
      .patch('web', { spec: { template: { spec: { containers: [{ name: 'web', image: TEST_IMAGE_2 }] } } } }, 'strategic');
    await cluster.rollout('default', 'web').status({ timeoutMs: TIMEOUT_MS });
    return performance.now() - t0;
  });
}

/**
 * The floor: N containers created and started at once with dockerode, with or without a pause
 * sandbox each; with `network`, the sandboxes join that user-defined bridge network (as
 * tugboat's do) instead of Docker's default bridge.
 */
async function floorCreate(replicas: number, withSandbox: boolean, network?: string): Promise<number> {
  const labels = { [BENCH_LABEL]: String(process.pid) };
  const t0 = performance.now();
  try {
    await Promise.all(
      Array.from({ length: replicas }, async () => {
        let networkMode: string | undefined;
        if (withSandbox) {
          const sandbox = await docker.createContainer({
            Image: PAUSE_IMAGE,
            Labels: labels,
            ...(network ? { HostConfig: { NetworkMode: network, IpcMode: 'shareable' } } : {}),
          });
          await sandbox.start();
          networkMode = `container:${sandbox.id}`;
        }
        const c = await docker.createContainer({
          Image: TEST_IMAGE,
          Cmd: ['sh', '-c', HTTPD_SCRIPT],
          Labels: labels,
          ...(networkMode ? { HostConfig: { NetworkMode: networkMode } } : {}),
        });
        await c.start();
      }),
    );
    return performance.now() - t0;
  } finally {
    await removeLabelled(`${BENCH_LABEL}=${process.pid}`);
  }
}

/** Whether this daemon is a swarm manager; initialises a single-node swarm if it is in none. */
async function ensureSwarm(): Promise<{ initialised: boolean; gwbridgeMade?: boolean }> {
  const info = (await docker.info()) as { Swarm?: { LocalNodeState?: string; ControlAvailable?: boolean } };
  if (info.Swarm?.LocalNodeState === 'active') {
    if (!info.Swarm.ControlAvailable) throw new Error('this daemon is a swarm worker, not a manager');
    return { initialised: false };
  }
  const gwbridge = async (): Promise<boolean> => (await docker.listNetworks({ filters: { name: ['docker_gwbridge'] } })).length > 0;
  const hadGwbridge = await gwbridge();
  await run('docker', ['swarm', 'init', '--advertise-addr', '127.0.0.1']);
  return { initialised: true, gwbridgeMade: !hadGwbridge };
}

interface TaskInfo {
  State: string;
  Image: string;
}

async function runningTasks(service: string): Promise<TaskInfo[]> {
  const tasks = (await docker.listTasks({ filters: { service: [service], 'desired-state': ['running'] } })) as Array<{
    Status?: { State?: string };
    Spec?: { ContainerSpec?: { Image?: string } };
  }>;
  return tasks.map((t) => ({ State: t.Status?.State ?? '', Image: t.Spec?.ContainerSpec?.Image ?? '' }));
}

async function until(what: string, check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + TIMEOUT_MS;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const allRunning = (tasks: TaskInfo[], n: number, image: string): boolean =>
  tasks.length === n && tasks.every((t) => t.State === 'running' && t.Image.startsWith(image));

async function createService(name: string, replicas: number, updateArgs: string[] = []): Promise<void> {
  await run('docker', [
    'service',
    'create',
    '--detach',
    '--quiet',
    '--no-resolve-image',
    '--name',
    name,
    '--replicas',
    String(replicas),
    ...updateArgs,
    TEST_IMAGE,
    'sh',
    '-c',
    HTTPD_SCRIPT,
  ]);
}

async function removeService(name: string): Promise<void> {
  await run('docker', ['service', 'rm', name]).catch(() => undefined);
  await until(`service ${name}'s containers to go`, async () => {
    const left = await docker.listContainers({ all: true, filters: { label: [`com.docker.swarm.service.name=${name}`] } });
    return left.length === 0;
  });
}

/** Swarm: `docker service create --replicas N`, polled until N tasks run. */
async function swarmCreate(replicas: number): Promise<number> {
  const name = `${SERVICE_PREFIX}${process.pid}-create-${replicas}`;
  const t0 = performance.now();
  try {
    await createService(name, replicas);
    await until(`${replicas} running tasks`, async () => allRunning(await runningTasks(name), replicas, TEST_IMAGE));
    return performance.now() - t0;
  } finally {
    await removeService(name);
  }
}

/** Swarm: `docker service update --image :2` of a running service, until the update completed. */
async function swarmUpdate(replicas: number, updateArgs: string[]): Promise<number> {
  const name = `${SERVICE_PREFIX}${process.pid}-update-${replicas}`;
  try {
    await createService(name, replicas, updateArgs);
    await until(`${replicas} running tasks`, async () => allRunning(await runningTasks(name), replicas, TEST_IMAGE));
    const t0 = performance.now();
    await run('docker', ['service', 'update', '--detach', '--quiet', '--no-resolve-image', '--image', TEST_IMAGE_2, name]);
    await until('the update to complete', async () => {
      const svc = (await docker.getService(name).inspect()) as { UpdateStatus?: { State?: string } };
      return svc.UpdateStatus?.State === 'completed' && allRunning(await runningTasks(name), replicas, TEST_IMAGE_2);
    });
    return performance.now() - t0;
  } finally {
    await removeService(name);
  }
}

async function removeLabelled(label: string): Promise<void> {
  const left = await docker.listContainers({ all: true, filters: { label: [label] } });
  await Promise.all(
    left.map((c) =>
      docker
        .getContainer(c.Id)
        .remove({ force: true, v: true })
        .catch(() => undefined),
    ),
  );
}

const secs = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;
const ratio = (a: number, b: number | undefined): string => (b ? `${(a / b).toFixed(2)}x` : '-');

/**
 * Runs the Docker benchmark and prints its table: creation of `sizes` replicas (tugboat on one and
 * two nodes, the dockerode floor, Swarm) and a rolling update of 20 replicas (tugboat, Swarm with
 * its defaults and with parallelism matched to tugboat's surge). Cleans up everything it made,
 * and leaves the swarm if it initialised one.
 */
export async function benchDocker(sizes: number[] = [20, 50]): Promise<DockerBenchRow[]> {
  try {
    await docker.ping();
    for (const image of [TEST_IMAGE, TEST_IMAGE_2, PAUSE_IMAGE]) await docker.getImage(image).inspect();
  } catch (err) {
    console.log(`\nDocker benchmark skipped: ${(err as Error).message} (run bash .ci/docker.sh)`);
    return [];
  }
  const rows: DockerBenchRow[] = [];
  const measure = async (scenario: string, replicas: number, fn: () => Promise<number>, note?: string): Promise<void> => {
    const ms = await fn();
    rows.push({ scenario, replicas, ms, ...(note ? { note } : {}) });
    console.log(`  ${scenario}, ${replicas} replicas: ${secs(ms)}`);
  };
  const swarm = await ensureSwarm().catch((err: unknown) => {
    console.log(`  Swarm unavailable: ${(err as Error).message}`);
    return undefined;
  });
  console.log('\nDocker: apply -> all replicas Ready (one run each; same dockerd, image and command)');
  try {
    for (const n of sizes) {
      await measure('floor: dockerode create+start, 1 container/replica', n, () => floorCreate(n, false));
      await measure('floor: pause sandbox + container/replica', n, () => floorCreate(n, true), 'same Docker work as tugboat');
      await measure('tugboat, 1 node', n, () => tugboatCreate(n, 1, false), 'Ready = container running');
      await measure('tugboat, 2 nodes', n, () => tugboatCreate(n, 2, false));
      await measure('tugboat, 1 node, HTTP readiness probe', n, () => tugboatCreate(n, 1, true), 'periodSeconds 1');
      if (swarm) await measure('swarm: service create', n, () => swarmCreate(n), 'task state running');
    }
    const n = UPDATE_REPLICAS;
    await measure('update: tugboat, 1 node', n, () => tugboatUpdate(n, 1), 'maxSurge 25% (5), maxUnavailable 25% (5)');
    if (swarm) {
      await measure('update: swarm defaults', n, () => swarmUpdate(n, []), 'parallelism 1, delay 0, stop-first');
      await measure(
        'update: swarm parallelism 5, start-first',
        n,
        () => swarmUpdate(n, ['--update-parallelism', '5', '--update-order', 'start-first']),
        "= tugboat's maxSurge",
      );
      await measure(
        'update: swarm parallelism 10, stop-first',
        n,
        () => swarmUpdate(n, ['--update-parallelism', '10']),
        "= tugboat's surge + unavailable",
      );
    }
  } finally {
    if (swarm?.initialised) {
      await run('docker', ['swarm', 'leave', '--force']).catch(() => undefined);
      // `swarm init` made docker_gwbridge, which `swarm leave` keeps.
      if (swarm.gwbridgeMade)
        await docker
          .getNetwork('docker_gwbridge')
          .remove()
          .catch(() => undefined);
    }
  }
  printTable(rows);
  return rows;
}

function printTable(rows: DockerBenchRow[]): void {
  const find = (scenario: string, n: number): number | undefined => rows.find((r) => r.scenario === scenario && r.replicas === n)?.ms;
  console.log(
    '\nDocker benchmark (tugboat/floor against the 1-container floor; tugboat/swarm against swarm service create/update with defaults)',
  );
  console.table(
    rows.map((r) => {
      const tug = r.scenario.startsWith('tugboat') || r.scenario === 'update: tugboat, 1 node';
      const floor = find('floor: dockerode create+start, 1 container/replica', r.replicas);
      const swarm = r.scenario.startsWith('update')
        ? find('update: swarm defaults', r.replicas)
        : find('swarm: service create', r.replicas);
      return {
        scenario: r.scenario,
        replicas: r.replicas,
        time: secs(r.ms),
        'tugboat/floor': tug && !r.scenario.startsWith('update') ? ratio(r.ms, floor) : '',
        'tugboat/swarm': tug ? ratio(r.ms, swarm) : '',
        note: r.note ?? '',
      };
    }),
  );
  const tugUpdate = find('update: tugboat, 1 node', UPDATE_REPLICAS);
  const matched = find('update: swarm parallelism 5, start-first', UPDATE_REPLICAS);
  const matched10 = find('update: swarm parallelism 10, stop-first', UPDATE_REPLICAS);
  if (tugUpdate && matched)
    console.log(`tugboat/swarm rolling update with parallelism matched to maxSurge (5, start-first): ${ratio(tugUpdate, matched)}`);
  if (tugUpdate && matched10)
    console.log(`tugboat/swarm rolling update with parallelism 10 (surge + unavailable): ${ratio(tugUpdate, matched10)}`);
  console.log(
    "Swarm's update defaults: --update-parallelism 1, --update-delay 0s, --update-order stop-first. " +
      "tugboat's Deployment defaults: maxSurge 25%, maxUnavailable 25%. " +
      'tugboat starts a pause sandbox per pod on a bridge network (2 containers/replica); Swarm runs 1 container/task. ' +
      'Update done = tugboat rollout complete (kubectl rollout status rule) / Swarm UpdateStatus completed with every task running :2. ' +
      'One run each on a shared machine: expect noise of 20-30%.',
  );
}

/**
 * CPU seconds used so far by this machine's dockerd and containerd processes (their
 * /proc/<pid>/stat utime + stime), or undefined where /proc cannot tell (another OS, a remote
 * daemon). The daemon's work of a run, which the machine's other load disturbs less than its wall-clock.
 */
async function daemonCpuSeconds(): Promise<number | undefined> {
  try {
    let ticks = 0;
    for (const pid of await readdir('/proc')) {
      if (!/^\d+$/.test(pid)) continue;
      const comm = (await readFile(`/proc/${pid}/comm`, 'utf8').catch(() => '')).trim();
      if (comm !== 'dockerd' && comm !== 'containerd') continue;
      const fields = (await readFile(`/proc/${pid}/stat`, 'utf8')).split(') ')[1]!.split(' ');
      ticks += Number(fields[11]) + Number(fields[12]);
    }
    return ticks > 0 ? ticks / 100 : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The floor (pause sandbox + container per replica) and tugboat on one node, interleaved for
 * `rounds` rounds (this machine's load changes from one minute to the next), with the ratio of
 * each round, this process's CPU over the tugboat run and the daemon's over each run. With
 * `withNetworkFloor`, each round first runs the floor with its sandboxes on a user-defined
 * bridge network, as tugboat's are (Docker's embedded DNS and per-network rules make their start dearer);
 * with `withUpdate`, each round ends with tugboat's rolling update of 20 (as the full run's).
 */
export async function benchDockerRounds(
  replicas: number,
  rounds: number,
  withNetworkFloor = false,
  withUpdate = false,
): Promise<Array<{ floor: number; tugboat: number }>> {
  console.log(`\nDocker: ${replicas} replicas, floor (pause + container, dockerode, in parallel) and tugboat (1 node) interleaved`);
  const out: Array<{ floor: number; tugboat: number }> = [];
  const network = `${SERVICE_PREFIX}${process.pid}-net`;
  if (withNetworkFloor) await docker.createNetwork({ Name: network, Driver: 'bridge', Labels: { [BENCH_LABEL]: String(process.pid) } });
  try {
    for (let r = 1; r <= rounds; r++) {
      const onNetwork = withNetworkFloor ? await floorCreate(replicas, true, network) : undefined;
      const d0 = await daemonCpuSeconds();
      const floor = await floorCreate(replicas, true);
      const d1 = await daemonCpuSeconds();
      const cpu0 = process.cpuUsage();
      const tugboat = await tugboatCreate(replicas, 1, false);
      const cpu = process.cpuUsage(cpu0);
      const d2 = await daemonCpuSeconds();
      const update = withUpdate ? await tugboatUpdate(UPDATE_REPLICAS, 1) : undefined;
      out.push({ floor, tugboat });
      const daemon =
        d0 !== undefined && d1 !== undefined && d2 !== undefined
          ? `, daemon CPU (dockerd + containerd, cleanup included) floor ${(d1 - d0).toFixed(2)} s, tugboat ${(d2 - d1).toFixed(2)} s`
          : '';
      console.log(
        `  round ${r}: floor ${secs(floor)}, tugboat ${secs(tugboat)}, ratio ${ratio(tugboat, floor)}, ` +
          `tugboat process CPU ${((cpu.user + cpu.system) / 1e6).toFixed(2)} s${daemon}` +
          (onNetwork ? `; floor on a user-defined bridge network ${secs(onNetwork)}, tugboat/that ${ratio(tugboat, onNetwork)}` : '') +
          (update !== undefined ? `; rolling update of ${UPDATE_REPLICAS} ${secs(update)}` : ''),
      );
    }
  } finally {
    if (withNetworkFloor)
      await docker
        .getNetwork(network)
        .remove()
        .catch(() => undefined);
  }
  return out;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href && process.argv.includes('--rounds')) {
  const at = process.argv.indexOf('--rounds');
  const rounds = Number(process.argv[at + 1]) || 3;
  const n = Number(process.argv.slice(2).find((a, i) => i + 2 !== at + 1 && Number(a) > 0) ?? 20);
  await benchDockerRounds(n, rounds, process.argv.includes('--network-floor'), process.argv.includes('--update'));
  process.exit(0);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href && process.argv.includes('--trace')) {
  const n = Number(process.argv.find((a) => Number(a) > 0) ?? 20);
  console.log(`\nDocker, traced: ${n} replicas on 1 node, each pod's steps`);
  await tugboatTrace(n);
  process.exit(0);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const sizes = process.argv
    .slice(2)
    .map(Number)
    .filter((n) => n > 0);
  await benchDocker(sizes.length ? sizes : undefined);
  process.exit(0);
}
