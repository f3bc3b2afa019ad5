/**
 * The control-plane commands in this process: `tugboat apiserver --store memory --port 0` serves
 * (its kubeconfig names the real port, an HttpApiContext reads through it) and on Ctrl-C stops and
 * removes the kubeconfig; bad flags of every part fail before anything starts, naming the flag.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { runCli } from '../../../src/cli/program.js';
import { HttpApiContext } from '../../../src/client/http/http-api-context.js';
import { kinds } from '../../../src/client/kinds.js';
import { testIo } from '../../support/cli-io.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tugboat-cli-parts-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

const argv = (...args: string[]): string[] => ['node', 'tugboat', ...args];

describe('tugboat apiserver', () => {
  it('serves the API on a free port, writes a kubeconfig naming it, and on Ctrl-C stops and removes it', async () => {
    const path = join(dir, 'admin.kubeconfig');
    const t = testIo({ HOME: dir });
    const running = runCli(argv('apiserver', '--store', 'memory', '--port', '0', '--kubeconfig-out', path), t.io);
    let ended = false;
    void running.finally(() => (ended = true));
    for (let i = 0; !existsSync(path); i++) {
      if (ended || i > 500) throw new Error(`no kubeconfig written:\n${t.stderr()}`);
      await new Promise((r) => setTimeout(r, 20));
    }
    const config = parse(await readFile(path, 'utf8')) as { clusters: Array<{ cluster: { server: string } }> };
    const server = config.clusters[0]?.cluster.server ?? '';
    expect(server).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(server).not.toMatch(/:0$/);
    expect(t.stderr()).toContain(server);
    const ctx = await HttpApiContext.connect(path);
    try {
      const names = (await ctx.client(kinds.Namespace).list()).items.map((n) => n.metadata.name);
      expect(names).toEqual(expect.arrayContaining(['default', 'kube-system', 'kube-node-lease']));
      // Only the API: no controller manager made a ServiceAccount for the default namespace.
      expect((await ctx.client(kinds.ServiceAccount, 'default').list()).items).toEqual([]);
    } finally {
      await ctx.close();
    }
    t.interrupt();
    expect(await running).toBe(0);
    expect(existsSync(path)).toBe(false);
  });
});

describe('the control-plane commands refuse bad flags, naming them', () => {
  it.each([
    [['apiserver', '--store', 'postgres://x'], '--store'],
    [['apiserver', '--port', '70000'], '--port'],
    [['controller-manager', '--leader-elect', '--leader-elect-lease-duration', '15'], '--leader-elect-lease-duration'],
    [['controller-manager', '--node-monitor-grace-period', 'soon'], '--node-monitor-grace-period'],
    [['scheduler', '--leader-elect-retry-period', '-2s'], '--leader-elect-retry-period'],
    [['agent', '--node', 'n1', '--runtime', 'mock', '--heartbeat-interval', '0'], '--heartbeat-interval'],
    [['agent', '--node', 'n1', '--runtime', 'mock', '--node-lease-duration-seconds', '0'], '--node-lease-duration-seconds'],
    [['agent', '--node', 'n1', '--runtime', 'docker', '--docker-host', 'ftp://x'], '--docker-host'],
    [['agent', '--node', 'n1', '--runtime', 'mock', '--address', 'localhost'], '--address'],
    [['agent', '--node', 'n1', '--runtime', 'mock', '--node-ip', '10.0.0'], '--node-ip'],
  ])('tugboat %j fails naming %s', async (args, flag) => {
    const t = testIo({ HOME: dir, KUBECONFIG: join(dir, 'missing') });
    expect(await runCli(argv(...args), t.io)).toBe(1);
    expect(t.stderr()).toContain(flag);
  });

  it('agent without --node is a usage error', async () => {
    const t = testIo({ HOME: dir });
    expect(await runCli(argv('agent', '--runtime', 'mock'), t.io)).toBe(2);
    expect(t.stderr()).toContain('--node');
  });

  it('a part without a reachable kubeconfig fails with one line', async () => {
    const t = testIo({ HOME: dir });
    expect(await runCli(argv('scheduler', '--kubeconfig', join(dir, 'none.yaml')), t.io)).toBe(1);
    expect(t.stderr()).toContain(`no kubeconfig at ${join(dir, 'none.yaml')}`);
  });
});
