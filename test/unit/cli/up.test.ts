import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { runCli } from '../../../src/cli/program.js';
import { testIo } from '../../support/cli-io.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tugboat-cli-up-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

const argv = (...args: string[]): string[] => ['node', 'tugboat', ...args];

/** Resolves once `path` exists (the kubeconfig is written after the API listens). */
async function fileAppears(path: string, running: Promise<number>): Promise<void> {
  let done = false;
  void running.finally(() => {
    done = true;
  });
  while (!existsSync(path)) {
    if (done) throw new Error(`tugboat up ended before writing ${path}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('tugboat up', () => {
  it('serves a mock cluster, writes its kubeconfig, and on Ctrl-C stops and removes it', async () => {
    const path = join(dir, 'kc.yaml');
    const t = testIo({ HOME: dir });
    const running = runCli(argv('up', '--runtime', 'mock', '--nodes', '2', '--name', 'clitest', '--kubeconfig', path), t.io);
    await fileAppears(path, running);
    const config = parse(await readFile(path, 'utf8')) as { clusters: Array<{ name: string; cluster: { server: string } }> };
    expect(config.clusters[0]?.name).toBe('clitest');
    expect(t.stderr()).toContain(`kubectl --kubeconfig ${path} get nodes`);
    expect(t.stderr()).toContain('2 nodes on mock');

    // tugboat kubeconfig prints the same file.
    const k = testIo({ HOME: dir });
    expect(await runCli(argv('kubeconfig', '--kubeconfig', path), k.io)).toBe(0);
    expect(k.stdout()).toBe(await readFile(path, 'utf8'));

    t.interrupt();
    expect(await running).toBe(0);
    expect(existsSync(path)).toBe(false);
    expect(t.stderr()).toContain('Cluster "clitest" stopped');
  });

  it('refuses a bad --nodes or --runtime with a clear line and changes nothing', async () => {
    const t = testIo({ HOME: dir });
    expect(await runCli(argv('up', '--runtime', 'mock', '--nodes', 'zero'), t.io)).toBe(1);
    expect(t.stderr()).toBe(
      'error: --nodes: invalid value "zero": must be a whole number from 1 to 100\n  --nodes: must be a whole number from 1 to 100\n',
    );
    const r = testIo({ HOME: dir });
    expect(await runCli(argv('up', '--runtime', 'vm'), r.io)).toBe(2);
    expect(r.stderr()).toContain("argument 'vm' is invalid");
    expect(existsSync(join(dir, '.kube'))).toBe(false);
  });

  it('tugboat kubeconfig says when no cluster is up', async () => {
    const t = testIo({ HOME: dir });
    expect(await runCli(argv('kubeconfig', '--name', 'nothing'), t.io)).toBe(1);
    expect(t.stderr()).toBe(`error: no kubeconfig at ${join(dir, '.kube', 'nothing.yaml')}: is \`tugboat up --name nothing\` running?\n`);
  });
});
