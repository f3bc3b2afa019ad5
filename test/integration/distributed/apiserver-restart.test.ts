/**
 * `tugboat apiserver --store sqlite:FILE` SIGKILLed and started again on the same file and port:
 * it serves with the CA and admin token kept in the store (kube-system Secret
 * tugboat-cluster-pki), so the kubeconfig written before the restart still works with the real
 * kubectl (the server's certificate verifies against the old CA, the old admin token is
 * accepted), and so does a ServiceAccount token issued before it (the signing key is in the store too).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Kubectl, kubectlAvailable } from '../../support/kubectl.js';
import { fileWritten, killAll, sigkill, spawnPart } from './parts.js';

const dir = mkdtempSync(join(tmpdir(), 'tugboat-apiserver-restart-'));
const db = join(dir, 'cluster.db');
const out = join(dir, 'admin.kubeconfig');

describe.skipIf(!kubectlAvailable())('a tugboat apiserver restarted on its SQLite store', () => {
  let kubectl: Kubectl | undefined;
  afterAll(async () => {
    await killAll();
    kubectl?.cleanup();
    rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  it('keeps its CA and admin token: the old kubeconfig and an old ServiceAccount token still work', { timeout: 180_000 }, async () => {
    const first = spawnPart('apiserver 1', ['apiserver', '--store', `sqlite:${db}`, '--port', '0', '--kubeconfig-out', out]);
    await fileWritten(out, first);
    const before = readFileSync(out, 'utf8');
    const port = /server: https:\/\/127\.0\.0\.1:(\d+)/.exec(before)?.[1];
    expect(port).toBeDefined();
    kubectl = new Kubectl(before);
    await kubectl.ok(['create', 'configmap', 'kept', '--from-literal=a=1']);
    await kubectl.ok(['create', 'serviceaccount', 'robot']);
    const token = (await kubectl.ok(['create', 'token', 'robot'])).trim();
    expect(token.split('.')).toHaveLength(3);

    await sigkill(first);
    rmSync(out, { force: true });
    const second = spawnPart('apiserver 2', ['apiserver', '--store', `sqlite:${db}`, '--port', port!, '--kubeconfig-out', out]);
    await fileWritten(out, second);
    // The same kubeconfig is handed out again (same CA, same token, same address).
    expect(readFileSync(out, 'utf8')).toBe(before);

    // The kubeconfig from before the restart, through kubectl's TLS verification.
    expect(await kubectl.ok(['get', 'configmap', 'kept', '-o', 'jsonpath={.data.a}'])).toBe('1');
    // The ServiceAccount token from before: authenticated (a 403 naming the account, not a 401).
    const r = await kubectl.run(['--token', token, '--user', '', 'get', 'configmap', 'kept']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('system:serviceaccount:default:robot');
    expect(r.stderr).toContain('forbidden');
  });
});
