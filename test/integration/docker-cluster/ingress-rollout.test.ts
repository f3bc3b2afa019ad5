/**
 * No failed request through either ingress adapter while a Deployment of busybox httpd pods on
 * Docker rolls from one image to another (maxSurge 1, maxUnavailable 0, readinessProbe, and a
 * `lifecycle.preStop.sleep`): a client loop on loopback per adapter, bounded in time, runs for
 * the whole rollout and every answer must be a 200 from version 1 or 2. This is Kubernetes'
 * recipe: a new pod takes traffic once Ready; an old one leaves the EndpointSlice (ready=false)
 * when its deletion starts, and keeps serving through the preStop sleep while the adapters drop it.
 */
import { Agent, request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Cluster } from '../../../src/cluster/cluster.js';
import type { IngressAddress } from '../../../src/ingress-adapters/types.js';
import type { Deployment } from '../../../src/model/types.js';
import { NginxIngress } from '../../../src/nginx.js';
import { dockerForTests, TEST_IMAGE, TEST_IMAGE_2, testClusterName } from '../../support/docker.js';
import { eventually, httpdDeployment, removeLeftovers, rolledOut } from '../../support/docker-cluster.js';
import { INGRESS_CLASSES, startIngressCluster } from './fixtures/ingress-cluster.js';

const docker = (await dockerForTests([TEST_IMAGE, TEST_IMAGE_2])) && (await NginxIngress.available());
const name = testClusterName('docker-ingress-roll');
const CLASSES = INGRESS_CLASSES;
/** The bound of each client loop. */
const MAX_MS = 60_000;
const MAX_REQUESTS = 20_000;

function webDeployment(image: string): Deployment {
  const d = httpdDeployment('web', 2, image, {
    strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } },
  });
  const c = d.spec?.template.spec?.containers[0];
  if (c) c.lifecycle = { preStop: { sleep: { seconds: 2 } } };
  return d;
}

interface LoopResult {
  requests: number;
  failures: string[];
  bodies: Set<string>;
}

describe.skipIf(!docker)('Ingress during a rolling update on Docker', { timeout: 300_000 }, () => {
  let cluster: Cluster;
  const agent = new Agent({ pipelining: 0, connections: 4 });
  const addr = (cls: string): IngressAddress => cluster.ingressAddress(cls) as IngressAddress;

  const once = async (cls: string): Promise<{ status: number; text: string }> => {
    const res = await request(`http://127.0.0.1:${addr(cls).port}/`, { headers: { host: 'web.example.com' }, dispatcher: agent });
    return { status: res.statusCode, text: (await res.body.text()).trim() };
  };

  /** Sequential requests through `cls` until `done()` or the bound. */
  const loop = async (cls: string, done: () => boolean): Promise<LoopResult> => {
    const out: LoopResult = { requests: 0, failures: [], bodies: new Set() };
    const start = Date.now();
    while (!done() && out.requests < MAX_REQUESTS && Date.now() - start < MAX_MS) {
      out.requests++;
      try {
        const r = await once(cls);
        if (r.status !== 200) out.failures.push(`${r.status} ${r.text.slice(0, 100)}`);
        else out.bodies.add(r.text);
      } catch (err) {
        out.failures.push(String(err));
      }
    }
    return out;
  };

  beforeAll(async () => {
    cluster = await startIngressCluster(name);
    await cluster.apply([
      webDeployment(TEST_IMAGE),
      {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: 'web', namespace: 'default' },
        spec: { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 8080 }] },
      },
      ...CLASSES.map((cls) => ({
        apiVersion: 'networking.k8s.io/v1',
        kind: 'Ingress',
        metadata: { name: `web-${cls}`, namespace: 'default' },
        spec: {
          ingressClassName: cls,
          rules: [
            {
              host: 'web.example.com',
              http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'web', port: { name: 'http' } } } }] },
            },
          ],
        },
      })),
    ] as never);
    await rolledOut(cluster, 'web', 120_000);
    for (const cls of CLASSES) await eventually(async () => (await once(cls)).text === 'tugboat 1', `${cls} serves version 1`, 60_000);
    // One answer from the new routes is not the end of their apply: nginx's previous worker (routes with no
    // endpoint yet, 503) keeps accepting until it takes its quit signal. Settled waits for every adapter.
    await cluster.settled({ timeoutMs: 60_000 });
  }, 300_000);

  afterAll(async () => {
    await cluster?.stop();
    await agent.close();
    await removeLeftovers(name);
  });

  it('sees no failed request through either adapter while the Deployment rolls from version 1 to 2', async () => {
    let rolled = false;
    const loops = Promise.all(CLASSES.map((cls) => loop(cls, () => rolled)));
    await cluster.apply(webDeployment(TEST_IMAGE_2));
    await rolledOut(cluster, 'web', 120_000);
    // The last old pods finish their preStop sleep after the rollout counts them gone: keep going until none is left.
    await eventually(
      async () => (await cluster.pods().list({ labelSelector: 'app=web' })).items.length === 2,
      'only the new pods are left',
      60_000,
    );
    rolled = true;
    const results = await loops;
    for (const [i, cls] of CLASSES.entries()) {
      const r = results[i];
      console.log(`[ingress-rollout] ${cls}: ${r.requests} requests, ${r.failures.length} failed`);
      expect(r.failures.slice(0, 5), `${cls}: failures out of ${r.requests}`).toEqual([]);
      expect([...r.bodies].sort()).toEqual(['tugboat 1', 'tugboat 2']);
    }
    for (const cls of CLASSES) expect(await once(cls)).toEqual({ status: 200, text: 'tugboat 2' });
  });
});
