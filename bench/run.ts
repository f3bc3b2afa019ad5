/**
 * Runs every benchmark and prints its figures: `npm run bench`. The ObjectStore, the scheduler at
 * scale (1,000 nodes / 30,000 pods and 5,000 / 150,000 on MockRuntime), the process runtime's
 * exec (pipes and terminal), Docker when a
 * Docker daemon answers, containerd when containerd answers, and the ingress
 * adapters (ProxyIngress, NginxIngress, the backend alone) when nginx is installed, and the API
 * (get, list, create and watch latency over HTTPS beside the in-process client). The 150,000-pod run needs a heap larger than Node's default, so this
 * script re-runs itself with --max-old-space-size=8192 when the heap limit is lower.
 */
import { spawnSync } from 'node:child_process';
import { getHeapStatistics } from 'node:v8';

const HEAP_MB = 8192;

if (getHeapStatistics().heap_size_limit < (HEAP_MB / 2) * 2 ** 20) {
  const env = { ...process.env, NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --max-old-space-size=${HEAP_MB}`.trim() };
  const child = spawnSync(process.execPath, [...process.execArgv, ...process.argv.slice(1)], { env, stdio: 'inherit' });
  process.exit(child.status ?? 1);
}

const { benchStore } = await import('./store.js');
const { benchScheduler } = await import('./scheduler.js');
const { benchDurableStores } = await import('./stores-durable.js');

const { targetRows, printTargets } = await import('./targets.js');

await benchStore();
await benchDurableStores();
// Events on, as issue 10's targets ask; TUGBOAT_BENCH_EVENTS=0 for the figures without Events.
const scale = await benchScheduler(undefined, { events: process.env.TUGBOAT_BENCH_EVENTS !== '0' });
let docker: Awaited<ReturnType<typeof import('./docker.js').benchDocker>> = [];
let ingress: Awaited<ReturnType<typeof import('./ingress.js').benchIngress>> | undefined;

const { DockerRuntime } = await import('../src/runtime-adapters/docker/index.js');
if (await DockerRuntime.available()) {
  const { benchDocker } = await import('./docker.js');
  docker = await benchDocker();
} else {
  console.log('\nDocker: no daemon answers; skipped (start one with `bash .ci/docker.sh`).');
}

const { benchProcessExec } = await import('./process-exec.js');
await benchProcessExec();

const { ContainerdRuntime } = await import('../src/runtime-adapters/containerd/index.js');
if (await ContainerdRuntime.available()) {
  const { benchContainerd } = await import('./containerd.js');
  await benchContainerd();
  const { benchContainerdExec } = await import('./containerd-exec.js');
  await benchContainerdExec();
} else {
  console.log('\ncontainerd: no daemon answers; skipped (start one with `bash .ci/containerd.sh`).');
}
const { NginxIngress } = await import('../src/ingress-adapters/nginx/nginx-ingress.js');
if (await NginxIngress.available()) {
  const { benchIngress } = await import('./ingress.js');
  ingress = await benchIngress();
} else {
  console.log('\nIngress: nginx is not installed; skipped (install it with `bash .ci/nginx.sh`).');
}
const { benchApi } = await import('./api.js');
// One request at a time (latency), then 16 in flight (throughput).
const api = [await benchApi(1), await benchApi(16)];
printTargets(targetRows(scale.endToEnd, scale.schedulerOnly, docker, ingress, api));
process.exit(0);
