/**
 * Process runtime exec benchmark: in one running container, the round trip of a command that
 * does nothing (`true`) through ProcessRuntime's buffered exec, its execStream with pipes and
 * with stdin and a terminal (a pty of @lydell/node-pty), against the floors: Node's own
 * child_process.spawn and @lydell/node-pty's spawn, the same command started straight, with
 * nothing of tugboat around them; and the MiB per second out of stdout (`head -c` of /dev/zero)
 * through execStream with pipes, with a terminal and through the bare pty, with the bytes a pty
 * lost at the exit. Same run, as ratios.
 * Run alone with `npx tsx bench/process-exec.ts [runs] [MiB]`.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { ProcessRuntime } from '../src/runtime-adapters/process/index.js';
import { loadPty } from '../src/runtime-adapters/process/terminal.js';
import type { ContainerStreams } from '../src/runtime-adapters/types.js';

/** One measured figure. */
export interface ProcessExecBenchRow {
  scenario: string;
  /** Median and 90th percentile of the round trips, in ms (round-trip rows). */
  p50Ms?: number;
  p90Ms?: number;
  /** MiB per second (throughput rows). */
  mibPerSec?: number;
  /** Bytes of the output that never arrived, summed over the runs (throughput rows). */
  bytesLost?: number;
}

const quantile = (xs: number[], q: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? 0;
};

/** Everything a stream gives, counted. */
async function drain(s: ContainerStreams): Promise<{ bytes: number; exitCode?: number }> {
  let bytes = 0;
  s.stdout.on('data', (d: Buffer) => (bytes += d.length));
  s.stderr?.resume();
  const { exitCode } = await s.done;
  return { bytes, exitCode };
}

/** Runs `command` on a bare pty (the floor of a terminal exec); resolves with the bytes it printed. */
function onPty(command: string[]): Promise<number> {
  const pty = loadPty();
  return new Promise((resolve) => {
    const term = pty.spawn(command[0], command.slice(1), {
      name: 'xterm',
      cols: 80,
      rows: 24,
      cwd: tmpdir(),
      env: { PATH: process.env.PATH ?? '/bin:/usr/bin' },
      encoding: null,
    });
    let bytes = 0;
    term.onData((d) => (bytes += d.length));
    term.onExit(() => resolve(bytes));
  });
}

/** Runs `true` with child_process.spawn (the floor of a pipe exec). */
function spawned(): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('true', [], { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.resume();
    child.stderr.resume();
    child.once('error', reject);
    child.once('close', () => resolve());
  });
}

/** Runs the scenarios on one container and prints the figures. */
export async function benchProcessExec(runs = 50, mib = 16): Promise<ProcessExecBenchRow[]> {
  const dir = await mkdtemp(join(tmpdir(), 'tugboat-bench-proc-exec-'));
  const runtime = new ProcessRuntime({ stateDir: dir });
  const rows: ProcessExecBenchRow[] = [];
  try {
    const sandbox = await runtime.runSandbox({
      podUid: 'u',
      namespace: 'bench',
      podName: 'p',
      hostname: 'p',
      labels: { app: 'bench' },
      ports: [],
    });
    const id = await runtime.createContainer(sandbox.id, {
      name: 'main',
      image: 'host',
      command: ['sleep', '3600'],
      env: {},
      mounts: [],
      ports: [],
      resources: {},
      labels: { app: 'bench' },
    });
    await runtime.startContainer(id);

    const roundTrips: Array<[string, () => Promise<unknown>]> = [
      ['child_process.spawn true (floor, pipes)', spawned],
      ['node-pty spawn true (floor, terminal)', () => onPty(['true'])],
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
    console.log(`\nprocess exec: round trip of \`true\` in a running container (${runs} runs each, interleaved)`);
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
    const head = ['head', '-c', String(bytes), '/dev/zero'];
    console.log(`process exec: ${mib} MiB out of stdout (head -c of /dev/zero), 3 runs each, best`);
    // On Linux the bare pty loses output written just before a fast exit (libuv ends its stream
    // early: node-pty issues #85, #726; execStream reads the rest, readRestAtEnd): the terminal
    // rows count what never arrived instead of failing.
    const best = async (name: string, run: () => Promise<number>) => {
      let min = Number.POSITIVE_INFINITY;
      let lost = 0;
      for (let i = 0; i < 3; i++) {
        const t0 = performance.now();
        const got = await run();
        if (got > bytes || (got < bytes && !name.includes('terminal'))) throw new Error(`${name}: ${got} bytes, not ${bytes}`);
        lost += bytes - got;
        min = Math.min(min, performance.now() - t0);
      }
      rows.push({ scenario: name, mibPerSec: mib / (min / 1000), bytesLost: lost });
    };
    await best('stdout: node-pty head -c (floor, terminal)', () => onPty(head));
    await best(
      'stdout: execStream head -c',
      async () => (await drain(await runtime.execStream(id, head, { stdin: false, tty: false }))).bytes,
    );
    await best(
      'stdout: execStream head -c on a terminal',
      async () => (await drain(await runtime.execStream(id, head, { stdin: false, tty: true }))).bytes,
    );
  } finally {
    for (const c of await runtime.listContainers()) await runtime.removeContainer(c.id);
    for (const s of await runtime.listSandboxes()) await runtime.removeSandbox(s.id);
    await runtime.close();
    await rm(dir, { recursive: true, force: true });
  }
  const pipeFloor = rows[0];
  const ptyFloor = rows[1];
  const stdoutFloor = rows.find((r) => r.scenario.startsWith('stdout:') && r.scenario.includes('floor'));
  console.table(
    rows.map((r) => {
      const floor = r.mibPerSec !== undefined ? stdoutFloor : r.scenario.includes('terminal') ? ptyFloor : pipeFloor;
      return {
        scenario: r.scenario,
        ...(r.p50Ms !== undefined
          ? { 'p50 ms': r.p50Ms.toFixed(2), 'p90 ms': r.p90Ms?.toFixed(2), 'p50 / floor': `${(r.p50Ms / (floor?.p50Ms ?? 1)).toFixed(2)}x` }
          : {
              'MiB/s': r.mibPerSec?.toFixed(0),
              'vs pty floor': `${((r.mibPerSec ?? 0) / (floor?.mibPerSec ?? 1)).toFixed(2)}x`,
              'bytes lost (3 runs)': r.bytesLost,
            }),
      };
    }),
  );
  return rows;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  await benchProcessExec(Number(process.argv[2] ?? 50), Number(process.argv[3] ?? 16));
}
