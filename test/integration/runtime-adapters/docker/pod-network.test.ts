import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DockerRuntime } from '../../../../src/runtime-adapters/docker/index.js';
import { dockerForTests } from '../../../support/docker.js';
import { httpGet } from '../../../support/docker-cluster.js';
import { boundRuntime, cleanUp, newPod, runIn, shell } from './harness.js';
import { eventually } from '../../../support/docker-cluster.js';

const docker = await dockerForTests();

describe.skipIf(!docker)('DockerRuntime: a pod shares one network namespace', () => {
  let runtime: DockerRuntime;

  beforeAll(() => {
    runtime = boundRuntime('pod-network').runtime;
  });
  afterAll(async () => {
    if (runtime) await cleanUp(runtime);
  });

  it('two containers of one pod talk over localhost', async () => {
    const { sandbox } = await newPod(runtime);
    await runIn(runtime, sandbox, shell('web', 'trap "exit 0" TERM; echo from-web > /tmp/i.html; httpd -f -p 8080 -h /tmp & wait $!'));
    const client = await runIn(runtime, sandbox, shell('client', 'trap "exit 0" TERM; while :; do sleep 1 & wait $!; done'));
    const body = await eventually(async () => {
      const r = await runtime.exec(client, ['wget', '-q', '-O', '-', 'http://127.0.0.1:8080/i.html'], { timeoutMs: 5000 });
      return r.exitCode === 0 ? r.stdout : undefined;
    }, 'wget over localhost');
    expect(body.trim()).toBe('from-web');
  });

  it('the pod IP is on the cluster network and reachable from this host', async () => {
    const { sandbox } = await newPod(runtime);
    expect(sandbox.ip).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    await runIn(runtime, sandbox, shell('web', 'trap "exit 0" TERM; httpd -f -p 8081 -h /www & wait $!'));
    const ep = runtime.endpointFor(sandbox, 8081);
    expect(ep.host).toBe(sandbox.ip);
    const res = await eventually(() => httpGet(ep.host, ep.port).catch(() => undefined), 'HTTP from the host');
    expect(res.status).toBe(200);
    expect(res.body.trim()).toBe('tugboat 1');
    const listed = await runtime.listSandboxes({ 'io.tugboat.pod.uid': sandbox.labels['io.tugboat.pod.uid'] });
    expect(listed[0].ip).toBe(sandbox.ip);
  });

  it('a hostPort of the sandbox publishes the pod port on the host', async () => {
    const hostPort = 20000 + (process.pid % 20000);
    const { sandbox } = await newPod(runtime, [{ containerPort: 8082, hostPort }]);
    await runIn(runtime, sandbox, shell('web', 'trap "exit 0" TERM; httpd -f -p 8082 -h /www & wait $!'));
    const res = await eventually(() => httpGet('127.0.0.1', hostPort).catch(() => undefined), 'HTTP on the host port');
    expect(res.status).toBe(200);
  });
});
