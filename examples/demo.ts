/**
 * The tugboat demo (`npm run demo`): a two-node cluster on Docker when a daemon answers, else on
 * local processes; a web Deployment of 3 replicas that serves HTTP, rolls to a new version,
 * heals a killed container, and leaves nothing behind when the cluster stops.
 *
 * `TUGBOAT_DEMO_RUNTIME=docker|containerd|process` forces a runtime.
 */
import { request } from 'node:http';
import { Cluster, type ContainerRuntime, type Pod } from '../src/index.js';
import { RUNTIME_LABELS } from '../src/runtime.js';
import { PodTable } from './demo/pod-table.js';
import { chooseRuntime, webImage } from './demo/runtimes.js';

const CLUSTER = 'tugboat-demo';
const started = Date.now();
const say = (text: string): void => console.log(text);
const step = (text: string): void => say(`\n[${((Date.now() - started) / 1000).toFixed(1)}s] ${text}`);

/** The web Deployment at a version: same manifest you would give Kubernetes. */
function webDeployment(version: number, command: string[]): string {
  return `
apiVersion: apps/v1
kind: Deployment
metadata: { name: web }
spec:
  replicas: 3
  selector: { matchLabels: { app: web } }
  strategy: { rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } }
  template:
    metadata: { labels: { app: web } }
    spec:
      terminationGracePeriodSeconds: 5
      containers:
        - name: web
          image: ${webImage(version)}
          imagePullPolicy: IfNotPresent
          command: ${JSON.stringify(command)}
          env:
            - { name: VERSION, value: v${version} }
            - { name: POD_NAME, valueFrom: { fieldRef: { fieldPath: metadata.name } } }
          ports: [{ containerPort: 8080 }]
          readinessProbe: { httpGet: { path: /, port: 8080 }, periodSeconds: 1 }
`;
}

/** GET http://host:port/ and the body, trimmed. */
function httpGet(host: string, port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request({ host, port, path: '/', timeout: 3000 }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => resolve(body.trim()));
    });
    req.on('timeout', () => req.destroy(new Error(`no answer from ${host}:${port}`)));
    req.on('error', reject);
    req.end();
  });
}

/** Asks every running web pod over HTTP, at its pod IP, and prints the answers. */
async function askEveryPod(cluster: Cluster): Promise<void> {
  const { items } = await cluster.pods('default').list({ labelSelector: 'app=web' });
  const serving = items.filter((p) => !p.metadata.deletionTimestamp && p.status?.podIP);
  for (const pod of serving.sort((a, b) => (a.metadata.name ?? '').localeCompare(b.metadata.name ?? ''))) {
    const answer = await httpGet(pod.status?.podIP ?? '', 8080);
    say(`  GET http://${pod.status?.podIP}:8080/  (${pod.metadata.name} on ${pod.spec?.nodeName}) -> ${answer}`);
  }
}

/** Runs `work` while a live table of the web pods is shown. */
async function withTable<T>(cluster: Cluster, work: (table: PodTable) => Promise<T>): Promise<T> {
  const table = new PodTable(cluster.pods('default'), 'app=web');
  await table.start();
  try {
    return await work(table);
  } finally {
    await table.stop();
  }
}

/** Kills the web container of a pod behind the node agent's back, through the runtime. */
async function killContainer(runtime: ContainerRuntime, pod: Pod, table: PodTable): Promise<void> {
  const [container] = await runtime.listContainers({
    [RUNTIME_LABELS.cluster]: CLUSTER,
    [RUNTIME_LABELS.podUid]: pod.metadata.uid ?? '',
    [RUNTIME_LABELS.container]: 'web',
  });
  if (!container || container.state !== 'running') throw new Error(`no running web container found for ${pod.metadata.name}`);
  await runtime.stopContainer(container.id, 0); // SIGKILL at once: docker kill, or kill -9 of the process
  table.note(`  killed container ${container.id.slice(0, 12)} of ${pod.metadata.name}`);
}

const restarts = (pod: Pod): number => pod.status?.containerStatuses?.[0]?.restartCount ?? 0;
const isReady = (pod: Pod): boolean => pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;

async function main(): Promise<void> {
  step('choosing a runtime');
  const choice = await chooseRuntime(say);
  const runtimes = { 'node-1': choice.newRuntime(), 'node-2': choice.newRuntime() };
  const on = { docker: 'Docker (containers)', containerd: 'containerd (tasks, CNI pod IPs)', process: 'local processes (ProcessRuntime)' };
  say(`  pods run on ${on[choice.kind]}`);

  step('starting a cluster with two nodes');
  const cluster = await Cluster.start({
    name: CLUSTER,
    nodes: Object.entries(runtimes).map(([name, runtime]) => ({ name, runtime })),
  });
  // Ctrl-C: stop the cluster first, so no container or process outlives the demo.
  process.once('SIGINT', () => {
    say('\ninterrupted: stopping the cluster');
    void cluster.stop().finally(() => process.exit(130));
  });
  try {
    step('applying a web Deployment of 3 replicas (v1) and waiting for the rollout');
    await withTable(cluster, async () => {
      await cluster.apply(webDeployment(1, choice.command));
      await cluster.rollout('default', 'web').status({ timeoutMs: 30_000 });
    });
    step('asking every pod over HTTP');
    await askEveryPod(cluster);

    step('rolling update to v2 (one new pod at a time, never fewer than 3 ready)');
    await withTable(cluster, async () => {
      await cluster.apply(webDeployment(2, choice.command));
      await cluster.rollout('default', 'web').status({ timeoutMs: 30_000 });
    });
    step('asking every pod over HTTP after the update');
    await askEveryPod(cluster);

    step('killing one container: the node agent restarts it');
    const { items } = await cluster.pods('default').list({ labelSelector: 'app=web' });
    const victim = items.find((p) => !p.metadata.deletionTimestamp && isReady(p));
    if (!victim?.metadata.name || !victim.spec?.nodeName) throw new Error('no ready web pod to kill');
    const before = restarts(victim);
    await withTable(cluster, async (table) => {
      await killContainer(runtimes[victim.spec?.nodeName as keyof typeof runtimes], victim, table);
      await cluster.waitFor(cluster.pods('default'), victim.metadata.name ?? '', (p) => !!p && restarts(p) > before && isReady(p), {
        timeoutMs: 30_000,
      });
    });
    say(`  ${victim.metadata.name} was restarted (restarts: ${before} -> ${before + 1}) and serves again:`);
    await askEveryPod(cluster);
  } finally {
    step('stopping the cluster');
    await cluster.stop();
  }

  let left = 0;
  for (const runtime of Object.values(runtimes)) {
    left += (await runtime.listContainers({ [RUNTIME_LABELS.cluster]: CLUSTER })).length;
    left += (await runtime.listSandboxes({ [RUNTIME_LABELS.cluster]: CLUSTER })).length;
  }
  const what = choice.kind === 'process' ? 'processes' : 'containers';
  say(`  everything removed: ${what} and sandboxes of the cluster: ${left} left`);
  if (left !== 0) throw new Error(`${left} ${what} or sandboxes were left behind`);
  step('done');
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(`\ndemo failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    process.exit(1);
  },
);
