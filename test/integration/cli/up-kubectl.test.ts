/**
 * The README's flow for real: the built `tugboat` bin (dist/cli/bin.js, which `npm run test:pack`
 * builds in CI; built here when missing) runs `tugboat up` on Docker; once its kubeconfig appears,
 * the real kubectl applies a Deployment, gets it and waits for `rollout status`; then Ctrl-C
 * (SIGINT) stops it: exit 0, no container, volume or network of the cluster left, kubeconfig gone.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { dockerForTests, testClusterName } from '../../support/docker.js';
import { clusterLeftovers, httpdDeployment, removeLeftovers } from '../../support/docker-cluster.js';
import { Kubectl, kubectlAvailable } from '../../support/kubectl.js';

const root = resolve(import.meta.dirname, '../../..');
const BIN = join(root, 'dist/cli/bin.js');
const docker = await dockerForTests();
const runnable = docker && kubectlAvailable();
const name = testClusterName('cli-up');
const dir = mkdtempSync(join(tmpdir(), 'tugboat-cli-up-'));

afterAll(async () => {
  if (docker) await removeLeftovers(name);
  rmSync(dir, { recursive: true, force: true });
});

describe.runIf(runnable)('npx tugboat up, then kubectl', () => {
  it('serves kubectl apply/get/rollout status and leaves nothing after Ctrl-C', { timeout: 240_000 }, async () => {
    if (!existsSync(BIN)) execFileSync(join(root, 'node_modules/.bin/tsup'), { cwd: root, stdio: 'ignore', timeout: 180_000 });
    const path = join(dir, 'kubeconfig');
    const child = spawn(process.execPath, [BIN, 'up', '--runtime', 'docker', '--nodes', '2', '--name', name, '--kubeconfig', path], {
      env: { ...process.env, HOME: dir },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
    try {
      for (let i = 0; !existsSync(path); i++) {
        if (child.exitCode !== null || i > 600) throw new Error(`tugboat up wrote no kubeconfig:\n${output}`);
        await sleep(100);
      }
      expect(output).toContain(`kubectl --kubeconfig ${path} get nodes`);
      const kubectl = new Kubectl(readFileSync(path, 'utf8'));
      try {
        expect(await kubectl.ok(['get', 'nodes', '-o', 'name'])).toBe(`node/${name}-node-1\nnode/${name}-node-2\n`);
        const manifest = kubectl.file('web.yaml', stringify(httpdDeployment('web', 2)));
        expect(await kubectl.ok(['apply', '-f', manifest])).toBe('deployment.apps/web created\n');
        expect(await kubectl.ok(['get', 'deployment', 'web', '-o', 'jsonpath={.spec.replicas}'])).toBe('2');
        const status = await kubectl.run(['rollout', 'status', 'deployment/web', '--timeout=120s'], undefined, 150_000);
        expect(status.stdout + status.stderr).toContain('deployment "web" successfully rolled out');
        expect(status.code).toBe(0);
      } finally {
        kubectl.cleanup();
      }
      child.kill('SIGINT');
      expect(await exited, output).toBe(0);
      expect(output).toContain(`Cluster "${name}" stopped`);
      expect(existsSync(path)).toBe(false);
      expect(await clusterLeftovers(name)).toEqual([]);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });
});
