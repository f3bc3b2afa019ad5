/**
 * Running a short command to completion (exec and exec probes of the process runtime).
 */
import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import type { ExecResult } from '../types.js';

/** The exit code a shell reports for a process ended by `signal` (128 + its number). */
export function signalExitCode(signal: NodeJS.Signals | null): number {
  const n = signal ? constants.signals[signal] : undefined;
  return n === undefined ? 128 : 128 + n;
}

/** Runs `command` with exactly `env` in `cwd`; kills its process group after `timeoutMs`. */
export function runCommand(command: string[], opts: { env: Record<string, string>; cwd: string; timeoutMs?: number }): Promise<ExecResult> {
  return new Promise((resolve) => {
    const child = spawn(command[0], command.slice(1), { env: opts.env, cwd: opts.cwd, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let timer: NodeJS.Timeout | undefined;
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', (err) => {
      clearTimeout(timer);
      resolve({ exitCode: 127, stdout, stderr: stderr + String(err.message) });
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ exitCode: code ?? signalExitCode(signal), stdout, stderr });
    });
    if (opts.timeoutMs !== undefined && child.pid !== undefined) {
      const pid = child.pid;
      timer = setTimeout(() => {
        try {
          process.kill(-pid, 'SIGKILL');
        } catch {
          /* gone already */
        }
      }, opts.timeoutMs);
    }
  });
}
