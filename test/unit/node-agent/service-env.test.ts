/**
 * The Service variables of containers (kubelet's getServiceEnvVarMap and envvars.FromServices):
 * the `kubernetes` Service of `default` always, the pod's namespace's Services with
 * enableServiceLinks, the Docker-links names, and explicit env winning over them.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { core, Pod, Service } from '../../../src/model/types.js';
import { linkedServices, serviceEnvVars } from '../../../src/node-agent/service-env.js';
import { startHarness, type Harness } from './harness.js';

const svc = (namespace: string, name: string, clusterIP: string, ports: core.ServicePort[] = [{ port: 80 }]): Service => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name, namespace },
  spec: { clusterIP, ports },
});
const pod = (namespace: string, enableServiceLinks?: boolean): Pod => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'p', namespace },
  spec: { containers: [], ...(enableServiceLinks === undefined ? {} : { enableServiceLinks }) },
});

describe('service environment variables', () => {
  const kubernetes = svc('default', 'kubernetes', '10.96.0.1', [{ name: 'https', port: 443, protocol: 'TCP', targetPort: 6443 }]);

  it('writes the kubernetes Service as the kubelet does', () => {
    expect(serviceEnvVars([kubernetes])).toEqual({
      KUBERNETES_SERVICE_HOST: '10.96.0.1',
      KUBERNETES_SERVICE_PORT: '443',
      KUBERNETES_SERVICE_PORT_HTTPS: '443',
      KUBERNETES_PORT: 'tcp://10.96.0.1:443',
      KUBERNETES_PORT_443_TCP: 'tcp://10.96.0.1:443',
      KUBERNETES_PORT_443_TCP_PROTO: 'tcp',
      KUBERNETES_PORT_443_TCP_PORT: '443',
      KUBERNETES_PORT_443_TCP_ADDR: '10.96.0.1',
    });
  });

  it('names every port, the first one also as NAME_PORT; dashes become underscores', () => {
    const env = serviceEnvVars([
      svc('team', 'my-db', '10.96.3.4', [
        { name: 'sql', port: 5432 },
        { name: 'metrics-http', port: 9187, protocol: 'UDP' },
      ]),
    ]);
    expect(env).toMatchObject({
      MY_DB_SERVICE_HOST: '10.96.3.4',
      MY_DB_SERVICE_PORT: '5432',
      MY_DB_SERVICE_PORT_SQL: '5432',
      MY_DB_SERVICE_PORT_METRICS_HTTP: '9187',
      MY_DB_PORT: 'tcp://10.96.3.4:5432',
      MY_DB_PORT_9187_UDP: 'udp://10.96.3.4:9187',
      MY_DB_PORT_9187_UDP_PROTO: 'udp',
    });
    expect(Object.keys(env)).toHaveLength(13);
  });

  it('links the kubernetes Service always, the namespace`s others only with enableServiceLinks, never headless ones', () => {
    const all = [
      kubernetes,
      svc('default', 'web', '10.96.0.9'),
      svc('team', 'api', '10.96.1.1'),
      svc('team', 'headless', 'None'),
      svc('other', 'x', '10.96.2.2'),
    ];
    const names = (p: Pod) => linkedServices(p, all).map((s) => `${s.metadata.namespace}/${s.metadata.name}`);
    expect(names(pod('team'))).toEqual(['default/kubernetes', 'team/api']);
    expect(names(pod('team', false))).toEqual(['default/kubernetes']);
    expect(names(pod('default'))).toEqual(['default/kubernetes', 'default/web']);
    expect(names(pod('default', false))).toEqual(['default/kubernetes']);
    // A `kubernetes` Service of the pod's own namespace wins, as in the kubelet.
    const own = svc('team', 'kubernetes', '10.96.7.7');
    expect(linkedServices(pod('team'), [kubernetes, own])).toEqual([own]);
    expect(linkedServices(pod('team', false), [kubernetes, own])).toEqual([kubernetes]);
  });
});

describe('service variables in containers', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(async () => h.close());

  it('gives containers the Service variables under their own env, which may refer to them', async () => {
    const services = (ns: string) => h.cluster.client<Service>('v1', 'Service', ns);
    await services('default').create(svc('default', 'kubernetes', '10.96.0.1', [{ name: 'https', port: 443, targetPort: 6443 }]));
    await h.cluster.apply('apiVersion: v1\nkind: Namespace\nmetadata: {name: team}\n');
    await services('team').create(svc('team', 'cache', '', [{ port: 6379 }]));
    await services('default').create(svc('default', 'web', '', [{ port: 80 }]));
    const cacheIP = (await services('team').get('cache')).spec?.clusterIP;
    await h.run('linked', {
      containers: [
        {
          name: 'c',
          image: 'app:1',
          env: [
            { name: 'API', value: 'https://$(KUBERNETES_SERVICE_HOST):$(KUBERNETES_SERVICE_PORT)' },
            { name: 'WEB_SERVICE_PORT', value: 'mine' },
          ],
        },
      ],
    });
    await h.tick(2000);
    const env = h.runtime.configs.find((c) => c.name === 'c')?.env ?? {};
    expect(env).toMatchObject({ KUBERNETES_SERVICE_HOST: '10.96.0.1', API: 'https://10.96.0.1:443', WEB_SERVICE_PORT: 'mine' });
    expect(env.WEB_SERVICE_HOST).toMatch(/^10\./);
    expect(env).not.toHaveProperty('CACHE_SERVICE_HOST');

    const teamPods = h.cluster.client<Pod>('v1', 'Pod', 'team');
    for (const [name, enableServiceLinks] of [
      ['linked', true],
      ['unlinked', false],
    ] as const) {
      await teamPods.create({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name },
        spec: { nodeName: 'node-a', enableServiceLinks, containers: [{ name: `c-${name}`, image: 'app:1' }] },
      } as Pod);
    }
    await h.tick(2000);
    const envOf = (c: string) => h.runtime.configs.find((x) => x.name === c)?.env ?? {};
    expect(envOf('c-linked')).toMatchObject({ CACHE_SERVICE_HOST: cacheIP, KUBERNETES_SERVICE_HOST: '10.96.0.1' });
    expect(envOf('c-linked')).not.toHaveProperty('WEB_SERVICE_HOST');
    expect(envOf('c-unlinked').KUBERNETES_SERVICE_PORT_HTTPS).toBe('443');
    expect(envOf('c-unlinked')).not.toHaveProperty('CACHE_SERVICE_HOST');
  });
});
