/**
 * The tugboat client verbs for real: `cluster.serve()` on a MockRuntime node in this process, and
 * the CLI (src/cli/bin.ts through tsx) as a child process with the served kubeconfig: apply (a
 * folder, stdin, again unchanged, then configured; a rejected document named, exit 1), get (table,
 * -o name/json/yaml), rollout status while a Deployment rolls on the mock, logs, describe with
 * Events, delete (by name and -f), and the server's Status on a missing object.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { Cluster } from '../../../src/cluster/cluster.js';
import type { Deployment } from '../../../src/model/types.js';
import { MockRuntime } from '../../../src/runtime-adapters/mock/index.js';
import type { ServedApi } from '../../../src/server/types.js';
import { eventually } from '../../../src/testing/eventually.js';

const root = resolve(import.meta.dirname, '../../..');
const TSX = join(root, 'node_modules/.bin/tsx');
const BIN = join(root, 'src/cli/bin.ts');

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

const deployment = (name: string, replicas: number, image = 'busybox:1', minReadySeconds = 0): string => `apiVersion: apps/v1
kind: Deployment
metadata: {name: ${name}}
spec:
  replicas: ${replicas}
  minReadySeconds: ${minReadySeconds}
  selector: {matchLabels: {app: ${name}}}
  template:
    metadata: {labels: {app: ${name}}}
    spec: {containers: [{name: main, image: "${image}"}]}
`;

describe('tugboat get/apply/delete/rollout/logs/describe against cluster.serve()', () => {
  let cluster: Cluster;
  let api: ServedApi;
  let dir: string;
  let kubeconfig: string;

  /** Runs the CLI with the served kubeconfig (through $KUBECONFIG unless the args give one). */
  const tugboat = (args: string[], input?: string): Promise<Run> =>
    new Promise((done, fail) => {
      const child = spawn(TSX, [BIN, ...args], { cwd: root, env: { ...process.env, KUBECONFIG: kubeconfig, HOME: dir } });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d) => (stdout += d));
      child.stderr.on('data', (d) => (stderr += d));
      child.on('error', fail);
      child.on('exit', (code) => done({ code, stdout, stderr }));
      child.stdin.end(input ?? '');
    });

  beforeAll(async () => {
    const runtime = new MockRuntime();
    runtime.image('logger:1', { logs: ['hello from logger', 'second line'] });
    runtime.image('web:1', {});
    runtime.image('web:2', {});
    cluster = await Cluster.start({ nodes: [{ name: 'node-1', runtime }] });
    api = await cluster.serve();
    dir = mkdtempSync(join(tmpdir(), 'tugboat-cli-verbs-'));
    kubeconfig = join(dir, 'kubeconfig');
    writeFileSync(kubeconfig, api.kubeconfig);
  });
  afterAll(async () => {
    await cluster?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('apply -f a folder, again unchanged, changed configured; get as a table, name, json and yaml', { timeout: 60_000 }, async () => {
    mkdirSync(join(dir, 'm'));
    writeFileSync(join(dir, 'm/a-config.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings}\ndata: {mode: fast}\n');
    writeFileSync(join(dir, 'm/b-app.yaml'), deployment('app', 2));
    const first = await tugboat(['apply', '-f', join(dir, 'm')]);
    expect(first).toMatchObject({ code: 0, stdout: 'configmap/settings created\ndeployment.apps/app created\n' });
    expect((await cluster.client('v1', 'ConfigMap', 'default').get('settings')).data).toEqual({ mode: 'fast' });

    const again = await tugboat(['apply', '-f', join(dir, 'm')]);
    expect(again).toMatchObject({ code: 0, stdout: 'configmap/settings unchanged\ndeployment.apps/app unchanged\n' });

    const changed = await tugboat(
      ['apply', '-f', '-'],
      'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings}\ndata: {mode: slow}\n',
    );
    expect(changed).toMatchObject({ code: 0, stdout: 'configmap/settings configured\n' });
    expect((await cluster.client('v1', 'ConfigMap', 'default').get('settings')).data).toEqual({ mode: 'slow' });

    expect((await tugboat(['get', 'configmaps', '-o', 'name'])).stdout).toContain('configmap/settings\n');
    expect((await tugboat(['get', 'deploy', 'app', '-o', 'name'])).stdout).toBe('deployment.apps/app\n');
    const json = JSON.parse((await tugboat(['get', 'configmap', 'settings', '-o', 'json'])).stdout);
    expect(json).toMatchObject({ apiVersion: 'v1', kind: 'ConfigMap', data: { mode: 'slow' } });
    const yaml = parse((await tugboat(['get', 'deployments.apps', 'app', '-o', 'yaml'])).stdout);
    expect(yaml.spec.replicas).toBe(2);
    await eventually(
      async () => (await cluster.client<Deployment>('apps/v1', 'Deployment', 'default').get('app')).status?.availableReplicas === 2,
      'deployment app available',
    );
    const table = await tugboat(['get', 'deployments']);
    expect(table.stdout).toMatch(/^NAME\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+AGE\n/);
    expect(table.stdout).toMatch(/\napp\s+2\/2\s+2\s+2\s+\S+\n/);
    expect((await tugboat(['get', 'pods'])).stdout).toMatch(/app-\S+\s+1\/1\s+Running\s+0/);
  });

  it('get -o wide shows the wide columns; -l and --field-selector filter; a name with a selector is refused', {
    timeout: 60_000,
  }, async () => {
    writeFileSync(join(dir, 'sel.yaml'), deployment('sel', 2));
    await tugboat(['apply', '-f', join(dir, 'sel.yaml')]);
    await eventually(
      async () => (await cluster.client<Deployment>('apps/v1', 'Deployment', 'default').get('sel')).status?.availableReplicas === 2,
      'deployment sel available',
    );
    const wide = await tugboat(['get', 'pods', '-o', 'wide', '-l', 'app=sel']);
    expect(wide.stdout).toMatch(/^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\s+IP\s+NODE\s+NOMINATED NODE\s+READINESS GATES\n/);
    const rows = wide.stdout.trimEnd().split('\n').slice(1);
    expect(rows).toHaveLength(2);
    for (const row of rows) expect(row).toMatch(/^sel-\S+\s+1\/1\s+Running\s+0\s+\S+\s+\S+\s+node-1\s+<none>\s+<none>$/);
    const deploys = await tugboat(['get', 'deploy', '-o', 'wide']);
    expect(deploys.stdout).toMatch(/\nsel\s+2\/2\s+2\s+2\s+\S+\s+main\s+busybox:1\s+app=sel\n/);

    const none = await tugboat(['get', 'pods', '-l', 'app=nothing']);
    expect(none).toMatchObject({ code: 0, stdout: '', stderr: 'No resources found in default namespace.\n' });
    const notSel = (await tugboat(['get', 'pods', '-l', 'app!=sel', '-o', 'name'])).stdout;
    expect(notSel).not.toContain('pod/sel-');
    const byField = (await tugboat(['get', 'pods', '--field-selector', 'spec.nodeName=node-1', '-l', 'app=sel', '-o', 'name'])).stdout;
    expect(byField.trimEnd().split('\n')).toHaveLength(2);
    expect((await tugboat(['get', 'pods', '--field-selector', 'spec.nodeName=node-9', '-o', 'name'])).stdout).toBe('');
    const both = await tugboat(['get', 'pods', 'x', '-l', 'app=sel']);
    expect(both).toMatchObject({ code: 1, stderr: 'error: name cannot be provided when a selector is specified\n' });
  });

  it('names a rejected document and exits 1, applying the others', { timeout: 60_000 }, async () => {
    const bad = `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: good-one}\ndata: {a: b}\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: Bad_Name}\nspec: {selector: {matchLabels: {a: b}}, template: {metadata: {labels: {a: b}}, spec: {containers: [{name: c, image: x}]}}}\n---\nkind: ConfigMap\nmetadata: {name: nokind}\n`;
    const file = join(dir, 'mixed.yaml');
    writeFileSync(file, bad);
    const run = await tugboat(['apply', '-f', file]);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('configmap/good-one created\n');
    expect(run.stderr).toContain(`Error from server (Invalid): error when applying "${file}" (Deployment "Bad_Name")`);
    expect(run.stderr).toContain(`error: ${file}: document 3: apiVersion not set`);
    expect(await cluster.client('apps/v1', 'Deployment', 'default').find('Bad_Name')).toBeUndefined();
  });

  it("prints the server's Status for a missing object and exits 1; a usage error exits 2; --help on every verb", {
    timeout: 60_000,
  }, async () => {
    const missing = await tugboat(['get', 'deployment', 'x']);
    expect(missing).toMatchObject({ code: 1, stdout: '', stderr: 'Error from server (NotFound): deployments.apps "x" not found\n' });
    const unknown = await tugboat(['get', 'frobs']);
    expect(unknown).toMatchObject({ code: 1, stderr: 'error: the server doesn\'t have a resource type "frobs"\n' });
    expect((await tugboat(['get', 'pods', '-o', 'bogus'])).code).toBe(1);
    expect((await tugboat(['describe'])).code).toBe(2);
    const noConfig = await tugboat(['get', 'pods', '--kubeconfig', join(dir, 'nope')]);
    expect(noConfig).toMatchObject({
      code: 1,
      stderr: `error: no kubeconfig at ${join(dir, 'nope')} (give --kubeconfig FILE or set KUBECONFIG)\n`,
    });
    for (const verb of [['apply'], ['get'], ['delete'], ['rollout', 'status'], ['logs'], ['describe']]) {
      const help = await tugboat([...verb, '--help']);
      expect(help.code, verb.join(' ')).toBe(0);
      expect(help.stdout).toContain(`Usage: tugboat ${verb.join(' ')}`);
      expect(help.stdout).toContain('--kubeconfig');
    }
  });

  it('rollout status follows a Deployment rolling on the mock to the end', { timeout: 90_000 }, async () => {
    const file = join(dir, 'web.yaml');
    writeFileSync(file, deployment('web', 3, 'web:1'));
    expect((await tugboat(['apply', '-f', file])).stdout).toBe('deployment.apps/web created\n');
    const first = await tugboat(['rollout', 'status', 'deployment/web', '--timeout', '60s']);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout.trimEnd().split('\n').at(-1)).toBe('deployment "web" successfully rolled out');
    // A new template whose pods fit no node yet: status waits (the first new pod Pending) until
    // node-1 gets the label, then follows the rollout to its end.
    writeFileSync(file, deployment('web', 3, 'web:2').replace('spec: {containers', 'spec: {nodeSelector: {zone: b}, containers'));
    expect((await tugboat(['apply', '-f', file])).stdout).toBe('deployment.apps/web configured\n');
    const child = spawn(TSX, [BIN, 'rollout', 'status', 'deployment/web', '--timeout=60s'], {
      cwd: root,
      env: { ...process.env, KUBECONFIG: kubeconfig, HOME: dir },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    child.stdout.on('data', (d) => (stdout += d));
    const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
    try {
      await eventually(
        () => stdout.includes('Waiting for deployment "web" rollout to finish: 1 out of 3 new replicas have been updated...\n'),
        'status waiting',
        { timeoutMs: 45_000 },
      );
      await cluster.client('v1', 'Node').patch('node-1', { metadata: { labels: { zone: 'b' } } });
      expect(await exited, stdout).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
    expect(stdout.trimEnd().split('\n').at(-1)).toBe('deployment "web" successfully rolled out');
    const d = await cluster.client<Deployment>('apps/v1', 'Deployment', 'default').get('web');
    expect(d.status).toMatchObject({ updatedReplicas: 3, availableReplicas: 3 });
    expect(d.spec?.template.spec?.containers[0]?.image).toBe('web:2');
  });

  it('apply --server-side owns fields per field manager: another manager conflicts unless --force-conflicts', {
    timeout: 60_000,
  }, async () => {
    const cm = (mode: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ssa}\ndata: {mode: ${mode}}\n`;
    const first = await tugboat(['apply', '--server-side', '-f', '-'], cm('fast'));
    expect(first).toMatchObject({ code: 0, stdout: 'configmap/ssa serverside-applied\n' });
    const live = await cluster.client('v1', 'ConfigMap', 'default').get('ssa');
    expect(live.metadata.managedFields?.map((f) => [f.manager, f.operation])).toEqual([['tugboat', 'Apply']]);

    const other = await tugboat(['apply', '--server-side', '--field-manager', 'ops', '-f', '-'], cm('slow'));
    expect(other.code).toBe(1);
    expect(other.stderr).toMatch(/conflict with "tugboat".*\.data\.mode/s);
    expect((await cluster.client('v1', 'ConfigMap', 'default').get('ssa')).data).toEqual({ mode: 'fast' });

    const forced = await tugboat(['apply', '--server-side', '--field-manager', 'ops', '--force-conflicts', '-f', '-'], cm('slow'));
    expect(forced).toMatchObject({ code: 0, stdout: 'configmap/ssa serverside-applied\n' });
    const after = await cluster.client('v1', 'ConfigMap', 'default').get('ssa');
    expect(after.data).toEqual({ mode: 'slow' });
    expect(after.metadata.managedFields?.map((f) => f.manager)).toContain('ops');
    const misuse = await tugboat(['apply', '--force-conflicts', '-f', '-'], cm('x'));
    expect(misuse).toMatchObject({ code: 1, stderr: 'error: --force-conflicts only works with --server-side\n' });
  });

  it('rollout status on a terminal redraws one progress line in place', { timeout: 90_000 }, async () => {
    // Pods that fit no node until node-1 gets the label: status is still waiting when it starts.
    const file = join(dir, 'tty.yaml');
    writeFileSync(file, deployment('tty', 2, 'web:1').replace('spec: {containers', 'spec: {nodeSelector: {tty: go}, containers'));
    await tugboat(['apply', '-f', file]);
    // script(1) runs the command on a pseudo-terminal, so its stdout is a TTY.
    const command = [TSX, BIN, 'rollout', 'status', 'deployment/tty', '--timeout=60s'].map((a) => `'${a}'`).join(' ');
    const child = spawn('script', ['-qec', command, '/dev/null'], {
      cwd: root,
      env: { ...process.env, KUBECONFIG: kubeconfig, HOME: dir },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    child.stdout.on('data', (d) => (stdout += d));
    const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
    try {
      await eventually(() => stdout.includes('\r\x1b[2KWaiting for deployment "tty" rollout to finish: '), 'status waiting', {
        timeoutMs: 45_000,
      });
      await cluster.client('v1', 'Node').patch('node-1', { metadata: { labels: { tty: 'go' } } });
      expect(await exited, stdout).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
    const redraws = stdout.split('\r\x1b[2K').slice(1);
    expect(redraws.length).toBeGreaterThan(1);
    expect(redraws.slice(0, -1).every((r) => r.startsWith('Waiting for deployment "tty" rollout to finish: ') && !r.includes('\n'))).toBe(
      true,
    );
    expect(redraws.at(-1)?.replace(/\r/g, '')).toBe('deployment "tty" successfully rolled out\n');
  });

  it('rollout status exits 1 on timeout when the rollout cannot finish', { timeout: 60_000 }, async () => {
    const file = join(dir, 'stuck.yaml');
    writeFileSync(
      file,
      deployment('stuck', 1, 'never-pulls:1').replace('spec: {containers', 'spec: {nodeSelector: {none: none}, containers'),
    );
    await tugboat(['apply', '-f', file]);
    const run = await tugboat(['rollout', 'status', 'deploy/stuck', '--timeout', '2s']);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('Waiting for deployment "stuck" rollout to finish: 0 of 1 updated replicas are available...');
    expect(run.stderr).toBe('error: timed out waiting for the condition\n');
    expect((await tugboat(['rollout', 'status', 'configmap/x'])).code).toBe(1);
  });

  it("logs prints a container's output; describe shows fields and Events; delete by name and -f", { timeout: 60_000 }, async () => {
    const pod = 'apiVersion: v1\nkind: Pod\nmetadata: {name: talker}\nspec: {containers: [{name: main, image: "logger:1"}]}\n';
    const file = join(dir, 'pod.yaml');
    writeFileSync(file, pod);
    expect((await tugboat(['apply', '-f', file])).stdout).toBe('pod/talker created\n');
    await eventually(
      async () =>
        ((await cluster.client('v1', 'Pod', 'default').get('talker')) as { status?: { phase?: string } }).status?.phase === 'Running',
      'pod talker running',
    );
    const logs = await tugboat(['logs', 'talker', '-c', 'main']);
    expect(logs).toMatchObject({ code: 0, stdout: 'hello from logger\nsecond line\n' });
    expect(await tugboat(['logs', 'nobody'])).toMatchObject({ code: 1, stderr: 'Error from server (NotFound): pods "nobody" not found\n' });

    const described = await tugboat(['describe', 'deployment', 'web']);
    expect(described.code).toBe(0);
    expect(described.stdout).toMatch(/^Name:\s+web\nNamespace:\s+default\n/);
    expect(described.stdout).toContain('image: web:2');
    expect(described.stdout).toMatch(/Events:\n\s+Type\s+Reason\s+Age\s+From\s+Message\n[\s\S]*Normal\s+ScalingReplicaSet/);

    expect(await tugboat(['delete', 'pod', 'talker'])).toMatchObject({ code: 0, stdout: 'pod "talker" deleted\n' });
    expect(await tugboat(['delete', '-f', join(dir, 'web.yaml')])).toMatchObject({ code: 0, stdout: 'deployment.apps "web" deleted\n' });
    expect(await cluster.client('apps/v1', 'Deployment', 'default').find('web')).toBeUndefined();
    const again = await tugboat(['delete', 'deployment', 'web']);
    expect(again).toMatchObject({ code: 1, stderr: 'Error from server (NotFound): deployments.apps "web" not found\n' });
    expect((await tugboat(['delete', 'deployment', 'web', '--ignore-not-found'])).code).toBe(0);
  });
});
