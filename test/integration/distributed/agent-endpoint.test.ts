/**
 * The agent's endpoint: `tugboat agent` serves HTTPS (its port in the Node's
 * status.daemonEndpoints.kubeletEndpoint.Port) and `tugboat apiserver` forwards pods/log,
 * pods/exec and pods/portforward of its pods to it, with a client certificate of the cluster CA.
 * The real kubectl, through the API server, against a pod on an agent in another process; and
 * the endpoint refuses callers without that certificate.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import https from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpApiContext } from '../../../src/client/http/http-api-context.js';
import type { Node, Pod } from '../../../src/model/types.js';
import { ProcessRuntime } from '../../../src/runtime-adapters/process/index.js';
import { eventually } from '../../../src/testing/eventually.js';
import { Kubectl, kubectlAvailable } from '../../support/kubectl.js';
import { fileWritten, killAll, outputs, spawnPart } from './parts.js';

const dir = mkdtempSync(join(tmpdir(), 'tugboat-agent-endpoint-'));
const kubeconfig = join(dir, 'admin.kubeconfig');
const WAIT = { timeoutMs: 90_000, intervalMs: 200 };
const NODE = 'endpoint-a';
/** The agent's address (`--address`; all of 127.0.0.0/8 is loopback): not 127.0.0.1, so the API server can only reach it where the Node says. */
const NODE_IP = '127.0.0.2';

/** A busybox pod on the agent's node running `command`. */
function busyboxPod(name: string, command: string[], ports?: { containerPort: number }[]): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default' },
    spec: {
      nodeName: NODE,
      terminationGracePeriodSeconds: 1,
      automountServiceAccountToken: false,
      containers: [{ name: 'main', image: 'busybox', command, ...(ports ? { ports } : {}) }],
    },
  } as Pod;
}

const talker = busyboxPod('talker', ['sh', '-c', 'echo first line; i=0; while true; do i=$((i+1)); echo tick $i; sleep 0.5; done']);

/** An HTTPS GET to the agent without a client certificate: its status code. */
function anonymousGet(port: number, path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    https
      .get({ host: NODE_IP, port, path, rejectUnauthorized: false }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      })
      .on('error', reject);
  });
}

describe.skipIf(!kubectlAvailable())('pods/log, exec, attach and portforward of a pod on a tugboat agent in another process', () => {
  let ctx: HttpApiContext | undefined;
  let kubectl: Kubectl | undefined;

  beforeAll(async () => {
    const api = spawnPart('apiserver', ['apiserver', '--port', '0', '--kubeconfig-out', kubeconfig]);
    await fileWritten(kubeconfig, api);
    spawnPart(`agent ${NODE}`, [
      'agent',
      '--kubeconfig',
      kubeconfig,
      '--node',
      NODE,
      '--runtime',
      'process',
      '--state-dir',
      join(dir, NODE),
      '--heartbeat-interval',
      '500ms',
      '--address',
      NODE_IP,
    ]);
    ctx = await HttpApiContext.connect(kubeconfig);
    kubectl = new Kubectl(readFileSync(kubeconfig, 'utf8'));
  }, 120_000);

  afterAll(async () => {
    await ctx?.close();
    await killAll();
    await new ProcessRuntime({ stateDir: join(dir, NODE) }).reclaim?.({ olderThanMs: 0 }); // this test's own folder, whatever its owner
    kubectl?.cleanup();
    rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  it('serves logs (and follows them), exec (with stdin) and attach through the API server; refuses callers without the CA client certificate', {
    timeout: 180_000,
  }, async () => {
    const api = ctx!;
    const port = await eventually(
      async () => {
        const node = await api.client<Node>('v1', 'Node').find(NODE);
        const p = node?.status?.daemonEndpoints?.kubeletEndpoint?.Port;
        return p && p !== 10250 ? p : undefined;
      },
      `node ${NODE} registered with its endpoint's port\n${outputs()}`,
      WAIT,
    );
    const node = await api.client<Node>('v1', 'Node').get(NODE);
    expect(node.status?.addresses?.find((a) => a.type === 'InternalIP')?.address).toBe(NODE_IP);
    expect(await anonymousGet(port, `/containerLogs/default/talker/main`)).toBe(401);

    await api.client<Pod>('v1', 'Pod', 'default').create(talker);
    await eventually(
      async () => (await api.client<Pod>('v1', 'Pod', 'default').find('talker'))?.status?.phase === 'Running',
      `talker Running\n${outputs()}`,
      WAIT,
    );
    expect((await api.client<Pod>('v1', 'Pod', 'default').get('talker')).status?.hostIP).toBe(NODE_IP);
    const logs = await eventually(
      async () => {
        const out = await kubectl!.ok(['logs', 'talker']);
        return out.includes('tick 1') ? out : undefined;
      },
      'kubectl logs shows the output',
      WAIT,
    );
    expect(logs.split('\n')[0]).toBe('first line');

    // Follow: lines written after kubectl started arrive.
    const follow = kubectl!.spawn(['logs', '-f', '--tail', '1', 'talker']);
    try {
      const seen = await eventually(
        async () => {
          const ticks = [...follow.output().matchAll(/tick (\d+)/g)].map((m) => Number(m[1]));
          return ticks.length >= 3 ? ticks : undefined;
        },
        `kubectl logs -f follows (${follow.output()})`,
        WAIT,
      );
      expect(seen[2]! - seen[0]!).toBe(2);
    } finally {
      follow.child.kill();
    }

    expect(await kubectl!.ok(['exec', 'talker', '--', 'sh', '-c', 'echo out; echo err >&2'])).toBe('out\n');
    const failed = await kubectl!.run(['exec', 'talker', '--', 'sh', '-c', 'exit 3']);
    expect(failed.code).toBe(3);
    // Interactive: stdin reaches the command through the API server and the agent.
    expect(await kubectl!.ok(['exec', '-i', 'talker', '--', 'sh', '-c', 'read x; echo got $x'], 'hello\n')).toBe('got hello\n');
    // Attach: the main process's output from now on.
    const attach = kubectl!.spawn(['attach', 'talker', '-c', 'main']);
    try {
      await eventually(async () => /tick \d+/.test(attach.output()), `kubectl attach streams (${attach.output()})`, WAIT);
    } finally {
      attach.child.kill();
    }
  });

  it('forwards kubectl port-forward to the pod through the agent', { timeout: 180_000 }, async () => {
    const api = ctx!;
    const www = join(dir, 'www');
    // The process runtime's pods share the host network: each binds its own POD_IP.
    const server = busyboxPod(
      'server',
      ['sh', '-c', `mkdir -p ${www}; echo hello through the agent > ${www}/index.html; exec busybox httpd -f -p $POD_IP:8080 -h ${www}`],
      [{ containerPort: 8080 }],
    );
    await api.client<Pod>('v1', 'Pod', 'default').create(server);
    await eventually(
      async () => (await api.client<Pod>('v1', 'Pod', 'default').find('server'))?.status?.phase === 'Running',
      `server Running\n${outputs()}`,
      WAIT,
    );
    const forward = kubectl!.spawn(['port-forward', 'pod/server', ':8080']);
    try {
      const local = await eventually(
        async () => /Forwarding from 127\.0\.0\.1:(\d+)/.exec(forward.output())?.[1],
        `kubectl port-forward listens (${forward.output()})`,
        WAIT,
      );
      const body = await eventually(
        async () => {
          const res = await fetch(`http://127.0.0.1:${local}/`).catch(() => undefined);
          return res?.ok ? res.text() : undefined;
        },
        `a GET through the forward (${forward.output()})`,
        WAIT,
      );
      expect(body).toBe('hello through the agent\n');
    } finally {
      forward.child.kill();
    }
  });
});
