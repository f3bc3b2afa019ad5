import { describe, expect, it } from 'vitest';
import { defaultService } from '../../../../src/model/defaults/service.js';
import { defaultNamespace, defaultSecret } from '../../../../src/model/defaults/cluster.js';
import type { core } from '../../../../src/model/types.js';

describe('service and cluster defaults', () => {
  it('Service: ClusterIP, None, TCP, targetPort = port', () => {
    const svc: { spec: core.ServiceSpec } = { spec: { ports: [{ port: 80 }, { port: 53, protocol: 'UDP', targetPort: 'dns' }] } };
    defaultService(svc);
    expect(svc.spec.type).toBe('ClusterIP');
    expect(svc.spec.sessionAffinity).toBe('None');
    expect(svc.spec.ports).toEqual([
      { port: 80, protocol: 'TCP', targetPort: 80 },
      { port: 53, protocol: 'UDP', targetPort: 'dns' },
    ]);
    expect(svc.spec.externalTrafficPolicy).toBeUndefined();
  });
  it('Service: LoadBalancer gets traffic policy and node-port allocation', () => {
    const svc: { spec: core.ServiceSpec } = { spec: { type: 'LoadBalancer', ports: [{ port: 80 }] } };
    defaultService(svc);
    expect(svc.spec.externalTrafficPolicy).toBe('Cluster');
    expect(svc.spec.allocateLoadBalancerNodePorts).toBe(true);
  });
  it('Namespace: phase Active and the metadata.name label', () => {
    const ns: { metadata: { name: string; labels?: Record<string, string> }; status?: core.NamespaceStatus } = {
      metadata: { name: 'team' },
    };
    defaultNamespace(ns);
    expect(ns.status?.phase).toBe('Active');
    expect(ns.metadata.labels).toEqual({ 'kubernetes.io/metadata.name': 'team' });
  });
  it('Secret: type Opaque', () => {
    const s: { type?: string } = {};
    defaultSecret(s);
    expect(s.type).toBe('Opaque');
  });
});
