/**
 * Runs the real kubectl (/usr/bin/kubectl, 1.32; KUBECTL overrides) against a served cluster,
 * with its own HOME (discovery cache) and kubeconfig file. In CI a missing kubectl fails the test
 * file; elsewhere the tests are skipped with the reason printed.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { type ServedCluster, startServedCluster } from './served-cluster.js';

/** The kubectl binary the tests drive. */
export const KUBECTL = process.env.KUBECTL ?? '/usr/bin/kubectl';

/** Whether kubectl is here; in CI its absence throws. */
export function kubectlAvailable(): boolean {
  if (existsSync(KUBECTL)) return true;
  if (process.env.CI) throw new Error(`${KUBECTL} is missing: .ci/setup installs kubectl`);
  console.warn(`skipping kubectl tests: ${KUBECTL} is missing`);
  return false;
}

/**
 * The kubectl binary of minor version `minor` (1.`minor`) beside KUBECTL, where KUBECTL is the
 * Cloud SDK's dispatcher (it runs the kubectl nearest the server's version: 1.30 against
 * tugboat), or undefined with the reason printed.
 */
export function kubectlOfMinor(minor: number): string | undefined {
  const env = process.env[`KUBECTL_1_${minor}`];
  if (env) return env;
  try {
    const path = join(dirname(realpathSync(KUBECTL)), `kubectl.1.${minor}`);
    if (existsSync(path)) return path;
  } catch {
    /* no KUBECTL */
  }
  console.warn(`skipping the kubectl 1.${minor} cases: no kubectl.1.${minor} beside ${KUBECTL} (KUBECTL_1_${minor} names one)`);
  return undefined;
}

/** What one kubectl run printed and how it exited. */
export interface KubectlResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** A kubectl bound to one kubeconfig, in a private HOME. */
export class Kubectl {
  readonly dir = mkdtempSync(join(tmpdir(), 'tugboat-kubectl-'));
  readonly kubeconfig: string;

  constructor(kubeconfigText: string) {
    this.kubeconfig = join(this.dir, 'config');
    writeFileSync(this.kubeconfig, kubeconfigText);
  }

  /** Writes a file under this kubectl's directory; returns its path. */
  file(name: string, text: string): string {
    const path = join(this.dir, name);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, text);
    return path;
  }

  private env(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
    return { PATH: process.env.PATH, HOME: this.dir, KUBECONFIG: this.kubeconfig, ...extra };
  }

  /** Runs kubectl with `args` (and `input` on stdin) to its end; `env` adds variables (KUBE_EDITOR). */
  run(args: string[], input?: string, timeoutMs = 30_000, env: Record<string, string> = {}): Promise<KubectlResult> {
    return new Promise((resolve) => {
      const child = execFile(
        KUBECTL,
        args,
        { env: this.env(env), timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 },
        (err, stdout, stderr) => {
          const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : 1) : 0;
          resolve({ code, stdout, stderr });
        },
      );
      if (input !== undefined) child.stdin?.end(input);
    });
  }

  /** Runs kubectl and returns its stdout; fails with its stderr when it exits non-zero. */
  async ok(args: string[], input?: string): Promise<string> {
    const r = await this.run(args, input);
    if (r.code !== 0) throw new Error(`kubectl ${args.join(' ')} exited ${r.code}: ${r.stderr}${r.stdout}`);
    return r.stdout;
  }

  /**
   * Starts a long-running kubectl (get -w, logs -f); read its output as it comes. `bin` runs
   * another kubectl binary (see {@link kubectlOfMinor}).
   */
  spawn(args: string[], bin = KUBECTL): { child: ChildProcess; output: () => string } {
    const child = spawn(bin, args, { env: this.env() });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    return { child, output: () => out };
  }

  /** Removes the private HOME. */
  cleanup(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** A cluster serving its API and a kubectl for it (see {@link startServedKubectl}). */
export interface ServedKubectl extends ServedCluster {
  k: Kubectl;
}

/** Starts a served cluster with neither controllers nor scheduler ({@link startServedCluster}) and makes a kubectl for its admin kubeconfig. */
export async function startServedKubectl(): Promise<ServedKubectl> {
  const served = await startServedCluster();
  return { ...served, k: new Kubectl(served.api.kubeconfig) };
}

/** Stops what {@link startServedKubectl} started (any part may be missing when its start failed). */
export async function stopServedKubectl(served: Partial<ServedKubectl>): Promise<void> {
  await served.cluster?.stop();
  served.k?.cleanup();
}
