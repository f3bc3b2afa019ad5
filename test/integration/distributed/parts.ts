/**
 * Spawns the `tugboat` control-plane commands (src/cli/bin.ts, node with tsx's loader: one process,
 * so SIGKILL reaches the part itself, not a tsx wrapper) as child processes for
 * the distributed tests: each part's output kept for failure messages, a bounded wait for the
 * kubeconfig the API server writes, SIGKILL of one part, and `killAll` for afterAll.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

const root = resolve(import.meta.dirname, '../../..');
const BIN = join(root, 'src/cli/bin.ts');

/** One spawned part. */
export interface Part {
  readonly name: string;
  readonly child: ChildProcess;
  /** Resolves with the exit code (or the signal's name) once the process has ended. */
  readonly exited: Promise<number | string>;
  /** Everything it wrote to stdout and stderr so far. */
  output(): string;
}

/** The parts spawned, for {@link killAll}. */
const spawned: Part[] = [];

/** Spawns `tugboat ARGS...`. */
export function spawnPart(name: string, args: string[], env: Record<string, string> = {}): Part {
  const child = spawn(process.execPath, ['--import', 'tsx', BIN, ...args], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (d) => (out += d));
  child.stderr?.on('data', (d) => (out += d));
  const exited = new Promise<number | string>((done) => child.on('exit', (code, signal) => done(code ?? signal ?? 'unknown')));
  const part: Part = { name, child, exited, output: () => out };
  spawned.push(part);
  return part;
}

/** The output of every part spawned, each under its name (for a failed expectation's message). */
export function outputs(): string {
  return spawned.map((p) => `--- ${p.name} ---\n${p.output()}`).join('\n');
}

/** Resolves once `path` exists; fails when `part` exits first or after `timeoutMs`. */
export async function fileWritten(path: string, part: Part, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!existsSync(path)) {
    if (part.child.exitCode !== null || part.child.signalCode !== null) throw new Error(`${part.name} ended first:\n${part.output()}`);
    if (Date.now() > deadline) throw new Error(`${part.name} wrote no ${path} in ${timeoutMs} ms:\n${part.output()}`);
    await sleep(100);
  }
}

/** SIGKILLs a part (nothing is released, as a crash) and waits for it to be gone. */
export async function sigkill(part: Part): Promise<void> {
  part.child.kill('SIGKILL');
  await part.exited;
}

/**
 * Stops every part still running: SIGTERM (a graceful stop: an agent removes its containers),
 * then SIGKILL for any that has not exited after `graceMs`.
 */
export async function killAll(graceMs = 20_000): Promise<void> {
  const running = spawned.filter((p) => p.child.exitCode === null && p.child.signalCode === null);
  for (const p of running) p.child.kill('SIGTERM');
  await Promise.race([Promise.all(running.map((p) => p.exited)), sleep(graceMs)]);
  for (const p of running) if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGKILL');
  await Promise.all(running.map((p) => p.exited));
  spawned.length = 0;
}
