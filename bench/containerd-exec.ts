/**
 * containerd exec benchmark: in one running container, the round trip of a command that does
 * nothing (`true`) through ContainerdRuntime's buffered exec, its execStream (without and with
 * stdin and a terminal) and `ctr tasks exec` (the floor: containerd's own client, its process
 * start included), and the bytes per second through execStream's stdin and stdout FIFOs against
 * `ctr tasks exec` piping the same bytes. Same run, as ratios.
 * Needs containerd with the test images and CNI network (`bash .ci/containerd.sh`).
 * Run alone with `npx tsx bench/containerd-exec.ts [runs] [MiB]`.
 */
import { spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { RealClock } from '../src/clock/real-clock.js';
import { ContainerdRuntime } from '../src/runtime-adapters/containerd/index.js';
import { RUNTIME_LABELS, type ContainerStreams } from '../src/runtime-adapters/types.js';
import { PAUSE_IMAGE, TEST_IMAGE } from '../test/support/docker.js';

/** One measured figure. */
export interface ContainerdExecBenchRow {
  scenario: string;
  /** Median and 90th percentile of the round trips, in ms (round-trip rows). */
  p50Ms?: number;
  p90Ms?: number;
  /** MiB per second (throughput rows). */
  mibPerSec?: number;
}

const quantile = (xs: number[], q: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? 0;
};

/** Runs `ctr` with `stdin` fed from `input` (bytes, or nothing); resolves with the bytes it printed. */
function ctr(args: string[], input?: { bytes: number }): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn('ctr', args, { stdio: ['pipe', 'pipe', 'inherit'] });
    let out = 0;
    child.stdout.on('data', (d: Buffer) => (out += d.length));
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`ctr ${args.join(' ')} exited ${code}`))));
    child.stdin.on('error', () => undefined);
    if (!input) return void child.stdin.end();
    feed(child.stdin, input.bytes);
  });
}

/** Writes `bytes` zero bytes to `w` in 64 KiB chunks, with its backpressure, then ends it. */
function feed(w: NodeJS.WritableStream, bytes: number): void {
  const chunk = Buffer.alloc(64 * 1024);
  let left = bytes;
  const more = (): void => {
    while (left > 0) {
      const n = Math.min(left, chunk.length);
      left -= n;
      if (!w.write(n === chunk.length ? chunk : chunk.subarray(0, n))) return void w.once('drain', more);
    }
    w.end();
  };
  more();
}

/** Everything a stream gives, counted. */
async function drain(s: ContainerStreams): Promise<{ out: string; bytes: number; exitCode?: number }> {
  let bytes = 0;
  let out = '';
  s.stdout.on('data', (d: Buffer) => {
    bytes += d.length;
    if (out.length < 256) out += d.toString('utf8');
  });
  s.stderr?.resume();
  const { exitCode } = await s.done;
  return { out, bytes, exitCode };
}

/** Runs the scenarios on one container and prints the figures. */
export async function benchContainerdExec(runs = 30, mib = 64): Promise<ContainerdExecBenchRow[]> {
  const runtime = new ContainerdRuntime();
  const cluster = `bench-exec-${process.pid}`;
  runtime.bind({ clock: new RealClock(), clusterName: cluster, nodeName: 'bench' });
  try {
    for (const image of [TEST_IMAGE, PAUSE_IMAGE]) await runtime.ensureImage(image, 'Never');
  } catch (err) {
    console.log(`\ncontainerd exec benchmark skipped: ${(err as Error).message} (run bash .ci/containerd.sh)`);
    await runtime.close();
    return [];
  }
  const rows: ContainerdExecBenchRow[] = [];
  try {
    const labels = { [RUNTIME_LABELS.cluster]: cluster, [RUNTIME_LABELS.podUid]: `${cluster}-0` };
    const sandbox = await runtime.runSandbox({
      podUid: `${cluster}-0`,
      namespace: 'bench',
      podName: 'p',
      hostname: 'p',
      labels,
      ports: [],
    });
    const id = await runtime.createContainer(sandbox.id, {
      name: 'main',
      image: TEST_IMAGE,
      command: ['sh', '-c', 'trap "exit 0" TERM; sleep 3600 & wait $!'],
      env: {},
      mounts: [],
      ports: [],
      resources: {},
      labels: {},
    });
    await runtime.startContainer(id);
    const ns = runtime.namespace;
    let seq = 0;

    const roundTrips: Array<[string, () => Promise<unknown>]> = [
      [
        'ctr tasks exec true (floor, ctr process start included)',
        () => ctr(['-n', ns, 'tasks', 'exec', '--exec-id', `b${process.pid}-${seq++}`, id, 'true']),
      ],
      ['exec (buffered)', () => runtime.exec(id, ['true'])],
      ['execStream', async () => drain(await runtime.execStream(id, ['true'], { stdin: false, tty: false }))],
      [
        'execStream with stdin and a terminal',
        async () => {
          const s = await runtime.execStream(id, ['true'], { stdin: true, tty: true });
          s.stdin?.end();
          return drain(s);
        },
      ],
    ];
    console.log(`\ncontainerd exec: round trip of \`true\` in a running container (${runs} runs each, interleaved)`);
    const times = new Map<string, number[]>(roundTrips.map(([name]) => [name, []]));
    for (const [, run] of roundTrips) await run(); // warm-up
    for (let i = 0; i < runs; i++) {
      for (const [name, run] of roundTrips) {
        const t0 = performance.now();
        await run();
        times.get(name)?.push(performance.now() - t0);
      }
    }
    for (const [name] of roundTrips) {
      const xs = times.get(name) ?? [];
      rows.push({ scenario: name, p50Ms: quantile(xs, 0.5), p90Ms: quantile(xs, 0.9) });
    }

    const bytes = mib * 1024 * 1024;
    const rate = (ms: number) => mib / (ms / 1000);
    console.log(`containerd exec: ${mib} MiB through stdin (into wc -c) and out of stdout (head -c), 3 runs each, best`);
    const best = async (name: string, run: () => Promise<void>) => {
      let min = Number.POSITIVE_INFINITY;
      for (let i = 0; i < 3; i++) {
        const t0 = performance.now();
        await run();
        min = Math.min(min, performance.now() - t0);
      }
      rows.push({ scenario: name, mibPerSec: rate(min) });
    };
    const check = (got: number | string, what: string) => {
      if (Number(String(got).trim()) !== bytes && got !== bytes) throw new Error(`${what}: ${got} bytes, not ${bytes}`);
    };
    await best('stdin: ctr tasks exec wc -c (floor)', async () => {
      const out = await new Promise<string>((resolve, reject) => {
        const child = spawn('ctr', ['-n', ns, 'tasks', 'exec', '--exec-id', `b${process.pid}-${seq++}`, id, 'wc', '-c'], {
          stdio: ['pipe', 'pipe', 'inherit'],
        });
        let text = '';
        child.stdout.on('data', (d: Buffer) => (text += d));
        child.once('error', reject);
        child.once('exit', () => resolve(text));
        feed(child.stdin, bytes);
      });
      check(out, 'ctr stdin');
    });
    await best('stdin: execStream wc -c', async () => {
      const s = await runtime.execStream(id, ['wc', '-c'], { stdin: true, tty: false });
      feed(s.stdin!, bytes);
      check((await drain(s)).out, 'execStream stdin');
    });
    await best('stdout: ctr tasks exec head -c (floor)', async () => {
      check(
        await ctr(['-n', ns, 'tasks', 'exec', '--exec-id', `b${process.pid}-${seq++}`, id, 'head', '-c', String(bytes), '/dev/zero']),
        'ctr stdout',
      );
    });
    await best('stdout: execStream head -c', async () => {
      const s = await runtime.execStream(id, ['head', '-c', String(bytes), '/dev/zero'], { stdin: false, tty: false });
      check((await drain(s)).bytes, 'execStream stdout');
    });
  } finally {
    for (const s of await runtime.listSandboxes({ [RUNTIME_LABELS.cluster]: cluster })) await runtime.removeSandbox(s.id);
    await runtime.close();
  }
  const floorOf = (r: ContainerdExecBenchRow) =>
    rows.find(
      (f) =>
        f.scenario.includes('floor') &&
        (r.p50Ms !== undefined ? f.p50Ms !== undefined : f.scenario.split(':')[0] === r.scenario.split(':')[0]),
    );
  console.table(
    rows.map((r) => {
      const floor = floorOf(r);
      return {
        scenario: r.scenario,
        p50: r.p50Ms !== undefined ? `${r.p50Ms.toFixed(1)} ms` : '',
        p90: r.p90Ms !== undefined ? `${r.p90Ms.toFixed(1)} ms` : '',
        'MiB/s': r.mibPerSec !== undefined ? r.mibPerSec.toFixed(0) : '',
        'vs floor':
          floor && floor !== r
            ? r.p50Ms !== undefined
              ? `${(r.p50Ms / (floor.p50Ms ?? 1)).toFixed(2)}x time`
              : `${((r.mibPerSec ?? 0) / (floor.mibPerSec ?? 1)).toFixed(2)}x rate`
            : '',
      };
    }),
  );
  console.log('One container, one run on a shared machine: expect noise of 20-30%.');
  return rows;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const [runs, mib] = process.argv.slice(2).map(Number);
  await benchContainerdExec(runs && runs > 0 ? runs : undefined, mib && mib > 0 ? mib : undefined);
  process.exit(0);
}
