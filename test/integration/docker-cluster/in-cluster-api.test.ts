/**
 * A pod on Docker calls the API as its ServiceAccount, as a program using client-go's
 * InClusterConfig does: it reads the kube-api-access volume's token, ca.crt and namespace and
 * calls `https://$KUBERNETES_SERVICE_HOST:$KUBERNETES_SERVICE_PORT` (the `kubernetes` Service's
 * IP, through the cluster's Service proxy, the certificate checked against that IP), then by the
 * name `kubernetes.default.svc` (the cluster DNS) and straight at the endpoint (the bridge
 * gateway). Without a binding it is Forbidden as system:serviceaccount:NS:default; with a
 * RoleBinding to `view` it lists the namespace's pods.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Cluster } from '../../../src/cluster/cluster.js';
import type { ServedApi } from '../../../src/server/types.js';
import type { Endpoints, Pod, Service } from '../../../src/model/types.js';
import { dockerForTests, testClusterName } from '../../support/docker.js';
import { eventually, removeLeftovers, startDockerCluster } from '../../support/docker-cluster.js';

const docker = await dockerForTests();
const name = testClusterName('in-cluster-api');
const NS = 'apps';

/** A Node program: GET /api/v1/namespaces/NS/pods as the pod's ServiceAccount at `host:port` (argv), prints the status and the body. */
const CALL_API = `
const fs = require('node:fs');
const https = require('node:https');
const dir = '/var/run/secrets/kubernetes.io/serviceaccount/';
const [token, ca, ns] = ['token', 'ca.crt', 'namespace'].map((f) => fs.readFileSync(dir + f, 'utf8'));
const host = process.argv[1] || process.env.KUBERNETES_SERVICE_HOST;
const port = process.argv[2] || process.env.KUBERNETES_SERVICE_PORT;
https
  .get({ host, port, path: '/api/v1/namespaces/' + ns + '/pods', ca, headers: { Authorization: 'Bearer ' + token }, timeout: 5000 }, (res) => {
    let body = '';
    res.on('data', (c) => (body += c));
    res.on('end', () => console.log(JSON.stringify({ status: res.statusCode, body: JSON.parse(body) })));
  })
  .on('error', (e) => {
    console.log(JSON.stringify({ error: e.message }));
    process.exitCode = 1;
  });
`;

const caller: Pod = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'caller', namespace: NS },
  spec: {
    terminationGracePeriodSeconds: 1,
    containers: [
      {
        name: 'app',
        image: 'tugboat-test/node-ws:1',
        imagePullPolicy: 'Never',
        command: ['node', '-e', 'process.on("SIGTERM", () => process.exit(0)); setInterval(() => {}, 1 << 30)'],
      },
    ],
  },
};

interface CallResult {
  status?: number;
  body?: { kind?: string; message?: string; items?: Array<{ metadata: { name: string } }> };
  error?: string;
}

describe.skipIf(!docker)('a pod calls the API as its ServiceAccount (Docker)', { timeout: 300_000 }, () => {
  let cluster: Cluster;
  let served: ServedApi;

  beforeAll(async () => {
    await removeLeftovers(name);
    cluster = await startDockerCluster(name, ['node-1']);
    served = await cluster.serve();
    await cluster.apply(`apiVersion: v1\nkind: Namespace\nmetadata: {name: ${NS}}\n`);
    await eventually(async () => cluster.client('v1', 'ServiceAccount', NS).find('default'), 'the default ServiceAccount', 30_000);
    await cluster.apply(caller);
    await eventually(async () => (await cluster.pods(NS).get('caller')).status?.phase === 'Running', 'the caller pod runs', 90_000);
  });

  afterAll(async () => {
    await cluster?.stop();
  });

  async function call(host = '', port = ''): Promise<CallResult> {
    const r = await cluster.exec(NS, 'caller', ['node', '-e', CALL_API, host, port]);
    return JSON.parse(r.stdout.trim() || JSON.stringify({ error: r.stderr })) as CallResult;
  }

  it('gets the kubernetes Service, its endpoint on the bridge gateway, and its variables', async () => {
    const svc = await cluster.client<Service>('v1', 'Service', 'default').get('kubernetes');
    expect(svc.spec).toMatchObject({
      clusterIP: '10.96.0.1',
      ports: [{ name: 'https', port: 443, targetPort: Number(new URL(served.url).port) }],
    });
    const ep = await cluster.client<Endpoints>('v1', 'Endpoints', 'default').get('kubernetes');
    const gateway = ep.subsets?.[0]?.addresses?.[0]?.ip;
    expect(gateway).toMatch(/^\d+\.\d+\.\d+\.1$/);
    expect(gateway).not.toBe('127.0.0.1');
    const env = await cluster.exec(NS, 'caller', ['sh', '-c', 'env | grep ^KUBERNETES_ | sort']);
    expect(env.stdout.trim().split('\n')).toEqual([
      'KUBERNETES_PORT=tcp://10.96.0.1:443',
      'KUBERNETES_PORT_443_TCP=tcp://10.96.0.1:443',
      'KUBERNETES_PORT_443_TCP_ADDR=10.96.0.1',
      'KUBERNETES_PORT_443_TCP_PORT=443',
      'KUBERNETES_PORT_443_TCP_PROTO=tcp',
      'KUBERNETES_SERVICE_HOST=10.96.0.1',
      'KUBERNETES_SERVICE_PORT=443',
      'KUBERNETES_SERVICE_PORT_HTTPS=443',
    ]);
  });

  it('is Forbidden without a binding, and lists pods with a RoleBinding to view', async () => {
    const denied = await call();
    expect(denied).toMatchObject({ status: 403, body: { kind: 'Status' } });
    expect(denied.body?.message).toBe(
      `pods is forbidden: User "system:serviceaccount:${NS}:default" cannot list resource "pods" in API group "" in the namespace "${NS}"`,
    );
    await cluster.apply({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name: 'default-view', namespace: NS },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' },
      subjects: [{ kind: 'ServiceAccount', name: 'default', namespace: NS }],
    });
    const listed = await call();
    expect(listed).toMatchObject({ status: 200, body: { kind: 'PodList' } });
    expect(listed.body?.items?.map((p) => p.metadata.name)).toEqual(['caller']);
  });

  it('reaches the API by the Service`s DNS name and straight at the endpoint, with the certificate checked', async () => {
    const byName = await call('kubernetes.default.svc', '443');
    expect(byName.status ?? byName.error).toBe(200);
    const ep = await cluster.client<Endpoints>('v1', 'Endpoints', 'default').get('kubernetes');
    const subset = ep.subsets?.[0];
    const direct = await call(subset?.addresses?.[0]?.ip, String(subset?.ports?.[0]?.port));
    expect(direct.status ?? direct.error).toBe(200);
  });

  it('withdraws the endpoint when the server closes', async () => {
    await served.close();
    expect(await cluster.client<Endpoints>('v1', 'Endpoints', 'default').find('kubernetes')).toBeUndefined();
    expect(await cluster.client<Service>('v1', 'Service', 'default').find('kubernetes')).toBeDefined();
  });
});
