/**
 * Helpers for tests (and the Docker benchmark) that run a whole tugboat cluster on a real Docker
 * daemon: a busybox httpd Deployment, its pods' IPs, HTTP GETs from this process, the cluster's
 * containers as Docker sees them, and what a cluster leaves behind.
 */
import { request } from 'node:http';
import { Cluster } from '../../src/cluster/cluster.js';
import type { NodeSpec } from '../../src/cluster/node-pool.js';
import type { Deployment, Pod } from '../../src/model/types.js';
import { DockerRuntime } from '../../src/runtime-adapters/docker/index.js';
import { RUNTIME_LABELS } from '../../src/runtime-adapters/types.js';
import { dockerClient, TEST_IMAGE } from './docker.js';
import { eventually as kitEventually } from '../../src/testing.js';

/**
 * busybox httpd on 8080 serving /www ("tugboat 1" or "tugboat 2"). The shell is PID 1: it runs
 * httpd in the background and exits 0 on SIGTERM, so a stop takes no grace period.
 */
export const HTTPD_SCRIPT = 'trap "exit 0" TERM; httpd -f -p 8080 -h /www & wait $!';

/** A Deployment of busybox httpd pods labelled app=<name>, Ready when GET / on 8080 answers. */
export function httpdDeployment(
  name: string,
  replicas: number,
  image = TEST_IMAGE,
  extra: Partial<NonNullable<Deployment['spec']>> = {},
): Deployment {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: 'default' },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: {
          terminationGracePeriodSeconds: 5,
          containers: [
            {
              name: 'web',
              image,
              imagePullPolicy: 'Never',
              command: ['sh', '-c', HTTPD_SCRIPT],
              ports: [{ containerPort: 8080 }],
              readinessProbe: { httpGet: { path: '/', port: 8080 }, periodSeconds: 1, timeoutSeconds: 2 },
            },
          ],
        },
      },
      ...extra,
    },
  };
}

/** Starts a cluster named `name` with one DockerRuntime (on the local daemon) per node. */
export async function startDockerCluster(name: string, nodes: Array<string | Omit<NodeSpec, 'runtime'>> = ['node-1']): Promise<Cluster> {
  return Cluster.start({
    name,
    nodes: nodes.map((n) => ({ ...(typeof n === 'string' ? { name: n } : n), runtime: new DockerRuntime() })),
  });
}

/** The pods of a Deployment (by its app label), excluding those being deleted. */
export async function podsOf(cluster: Cluster, app: string, namespace = 'default'): Promise<Pod[]> {
  const list = await cluster.pods(namespace).list({ labelSelector: `app=${app}` });
  return list.items.filter((p) => !p.metadata.deletionTimestamp);
}

/** True when the pod's Ready condition is True. */
export function podReady(pod: Pod): boolean {
  return pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
}

/** Resolves once the Deployment's rollout is complete (every replica updated and available). */
export async function rolledOut(cluster: Cluster, name: string, timeoutMs = 90_000): Promise<Deployment> {
  return cluster.rollout('default', name).status({ timeoutMs });
}

/** A container of the cluster as Docker reports it. */
export interface DockerContainerInfo {
  id: string;
  podUid: string;
  podName: string;
  container: string;
  node: string;
  state: string;
  image: string;
}

/** The app containers (not sandboxes) of a cluster on the local daemon, running or not. */
export async function appContainers(clusterName: string, extraLabels: Record<string, string> = {}): Promise<DockerContainerInfo[]> {
  const labels = { [RUNTIME_LABELS.cluster]: clusterName, [RUNTIME_LABELS.role]: 'container', ...extraLabels };
  const list = await dockerClient().listContainers({
    all: true,
    filters: { label: Object.entries(labels).map(([k, v]) => `${k}=${v}`) },
  });
  return list.map((c) => ({
    id: c.Id,
    podUid: c.Labels[RUNTIME_LABELS.podUid] ?? '',
    podName: c.Labels[RUNTIME_LABELS.podName] ?? '',
    container: c.Labels[RUNTIME_LABELS.container] ?? '',
    node: c.Labels[RUNTIME_LABELS.node] ?? '',
    state: c.State,
    image: c.Image,
  }));
}

/** Every container (sandboxes too), volume and network on the daemon labelled with the cluster. */
export async function clusterLeftovers(clusterName: string): Promise<string[]> {
  const docker = dockerClient();
  const filters = { label: [`${RUNTIME_LABELS.cluster}=${clusterName}`] };
  const [containers, volumes, networks] = await Promise.all([
    docker.listContainers({ all: true, filters }),
    docker.listVolumes({ filters }),
    docker.listNetworks({ filters }),
  ]);
  return [
    ...containers.map((c) => `container ${c.Names[0]} (${c.State})`),
    ...(volumes.Volumes ?? []).map((v) => `volume ${v.Name}`),
    ...networks.map((n) => `network ${n.Name}`),
  ];
}

/** Force-removes whatever the daemon still holds for a cluster (a safety net after a failed test). */
export async function removeLeftovers(clusterName: string): Promise<void> {
  const docker = dockerClient();
  const filters = { label: [`${RUNTIME_LABELS.cluster}=${clusterName}`] };
  const containers = await docker.listContainers({ all: true, filters });
  await Promise.all(
    containers.map((c) =>
      docker
        .getContainer(c.Id)
        .remove({ force: true, v: true })
        .catch(() => undefined),
    ),
  );
  const volumes = (await docker.listVolumes({ filters })).Volumes ?? [];
  await Promise.all(
    volumes.map((v) =>
      docker
        .getVolume(v.Name)
        .remove({ force: true })
        .catch(() => undefined),
    ),
  );
  const networks = await docker.listNetworks({ filters });
  await Promise.all(
    networks.map((n) =>
      docker
        .getNetwork(n.Id)
        .remove()
        .catch(() => undefined),
    ),
  );
}

/** An HTTP GET from this process: status and body. */
export function httpGet(host: string, port: number, path = '/', timeoutMs = 3000): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host, port, path, timeout: timeoutMs }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('timeout', () => req.destroy(new Error(`GET http://${host}:${port}${path}: timeout`)));
    req.on('error', reject);
    req.end();
  });
}

/**
 * The one wall-clock wait of the Docker tests (real containers, real time): tugboat/testing's
 * eventually, trying every 200 ms for up to `timeoutMs`.
 */
export function eventually<T>(fn: () => Promise<T | undefined | false>, what: string, timeoutMs = 60_000): Promise<T> {
  return kitEventually(fn, what, { timeoutMs, intervalMs: 200 });
}
