import { describe, expect, it } from 'vitest';
import { IngressType, ServiceType, ConfigMapType, SecretType, PersistentVolumeClaimType } from '../../../../src/model/kinds/index.js';
import { edit, fields } from './fixtures.js';

const service = () => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: 'web', namespace: 'default' },
  spec: { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080 }] },
});

describe('Service validation', () => {
  it('accepts a valid service', () => expect(fields(ServiceType, service())).toEqual([]));
  it.each<[string, (s: any) => void, string[]]>([
    ['no ports', (s) => (s.spec.ports = []), ['spec.ports']],
    ['headless without ports', (s) => Object.assign(s.spec, { ports: [], clusterIP: 'None' }), []],
    ['unnamed port among two', (s) => s.spec.ports.push({ name: 'b', port: 81 }), ['spec.ports[0].name']],
    [
      'duplicate port names',
      (s) =>
        (s.spec.ports = [
          { name: 'a', port: 80 },
          { name: 'a', port: 81 },
        ]),
      ['spec.ports[1].name'],
    ],
    ['port out of range', (s) => (s.spec.ports[0].port = 0), ['spec.ports[0].port']],
    ['bad targetPort name', (s) => (s.spec.ports[0].targetPort = 'Not_A_Name'), ['spec.ports[0].targetPort']],
    ['bad type', (s) => (s.spec.type = 'Magic'), ['spec.type']],
    ['nodePort on ClusterIP', (s) => (s.spec.ports[0].nodePort = 30080), ['spec.ports[0].nodePort']],
    ['ExternalName without name', (s) => (s.spec.type = 'ExternalName'), ['spec.externalName']],
    ['bad selector value', (s) => (s.spec.selector.app = '-web'), ['spec.selector[app]']],
    ['name is a label, not a subdomain', (s) => (s.metadata.name = 'web.v1'), ['metadata.name']],
    ['bad session affinity', (s) => (s.spec.sessionAffinity = 'Sticky'), ['spec.sessionAffinity']],
  ])('%s', (_n, change, expected) => expect(fields(ServiceType, edit(service(), change))).toEqual(expected));

  it('keeps clusterIP once allocated', () => {
    const old = edit(service(), (s: any) => (s.spec.clusterIP = '10.96.0.10'));
    expect(
      fields(
        ServiceType,
        edit(old, (s: any) => (s.spec.clusterIP = '10.96.0.11')),
        old,
      ),
    ).toEqual(['spec.clusterIP']);
    expect(
      fields(
        ServiceType,
        edit(old, (s: any) => (s.spec.ports[0].port = 81)),
        old,
      ),
    ).toEqual([]);
  });
});

const ingress = () => ({
  apiVersion: 'networking.k8s.io/v1',
  kind: 'Ingress',
  metadata: { name: 'web', namespace: 'default' },
  spec: {
    ingressClassName: 'tugboat',
    rules: [
      {
        host: 'web.example.com',
        http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'web', port: { number: 80 } } } }] },
      },
    ],
  },
});
const path0 = 'spec.rules[0].http.paths[0]';

describe('Ingress validation', () => {
  it('accepts a valid ingress', () => expect(fields(IngressType, ingress())).toEqual([]));
  it.each<[string, (i: any) => void, string[]]>([
    ['no rules nor default backend', (i) => (i.spec.rules = []), ['spec']],
    ['pathType missing', (i) => delete i.spec.rules[0].http.paths[0].pathType, [`${path0}.pathType`]],
    ['bad pathType', (i) => (i.spec.rules[0].http.paths[0].pathType = 'Regex'), [`${path0}.pathType`]],
    ['relative path', (i) => (i.spec.rules[0].http.paths[0].path = 'api'), [`${path0}.path`]],
    ['no paths', (i) => (i.spec.rules[0].http.paths = []), ['spec.rules[0].http.paths']],
    ['backend service without name', (i) => delete i.spec.rules[0].http.paths[0].backend.service.name, [`${path0}.backend.service.name`]],
    ['backend port missing', (i) => (i.spec.rules[0].http.paths[0].backend.service.port = {}), [`${path0}.backend.service.port`]],
    [
      'backend port name and number',
      (i) => (i.spec.rules[0].http.paths[0].backend.service.port = { name: 'http', number: 80 }),
      [`${path0}.backend.service.port`],
    ],
    [
      'backend port out of range',
      (i) => (i.spec.rules[0].http.paths[0].backend.service.port = { number: 70000 }),
      [`${path0}.backend.service.port.number`],
    ],
    ['IP host', (i) => (i.spec.rules[0].host = '10.0.0.1'), ['spec.rules[0].host']],
    ['wildcard host', (i) => (i.spec.rules[0].host = '*.example.com'), []],
    ['bad wildcard host', (i) => (i.spec.rules[0].host = 'web.*.com'), ['spec.rules[0].host']],
    [
      'default backend only',
      (i) => Object.assign(i.spec, { rules: [], defaultBackend: { service: { name: 'web', port: { name: 'http' } } } }),
      [],
    ],
  ])('%s', (_n, change, expected) => expect(fields(IngressType, edit(ingress(), change))).toEqual(expected));
});

describe('ConfigMap, Secret, PVC validation', () => {
  const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg', namespace: 'd' }, data: { 'app.conf': 'x', KEY: 'y' } };
  it('checks config keys and duplicates', () => {
    expect(fields(ConfigMapType, cm)).toEqual([]);
    expect(
      fields(
        ConfigMapType,
        edit(cm, (c: any) => (c.data['bad/key'] = 'v')),
      ),
    ).toEqual(['data[bad/key]']);
    expect(
      fields(
        ConfigMapType,
        edit(cm, (c: any) => (c.binaryData = { KEY: 'eQ==' })),
      ),
    ).toEqual(['binaryData[KEY]']);
    expect(
      fields(
        ConfigMapType,
        edit(cm, (c: any) => (c.data.big = 'x'.repeat(1024 * 1024))),
      ),
    ).toEqual(['']);
  });
  it('freezes immutable config maps', () => {
    const old = { ...cm, immutable: true };
    expect(
      fields(
        ConfigMapType,
        edit(old, (c: any) => (c.data.KEY = 'z')),
        old,
      ),
    ).toEqual(['data']);
  });
  it('checks secret data and type requirements', () => {
    const s = {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 's', namespace: 'd' },
      type: 'kubernetes.io/tls',
      data: { 'tls.crt': 'YQ==' },
    };
    expect(fields(SecretType, s)).toEqual(['data[tls.key]']);
    expect(fields(SecretType, { ...s, type: 'Opaque', data: { a: 'not base64!' } })).toEqual(['data[a]']);
    expect(
      fields(
        SecretType,
        edit({ ...s, type: 'Opaque' }, () => {}),
        s,
      ),
    ).toEqual(['type']);
  });
  it('checks claims and keeps their spec except requests', () => {
    const pvc = {
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: { name: 'data', namespace: 'd' },
      spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } },
    };
    expect(fields(PersistentVolumeClaimType, pvc)).toEqual([]);
    expect(
      fields(
        PersistentVolumeClaimType,
        edit(pvc, (p: any) => (p.spec.accessModes = ['ReadAlways'])),
      ),
    ).toEqual(['spec.accessModes']);
    const boundPvc = { ...pvc, status: { phase: 'Bound' } };
    expect(
      fields(
        PersistentVolumeClaimType,
        edit(boundPvc, (p: any) => (p.spec.resources.requests.storage = '2Gi')),
        boundPvc,
      ),
    ).toEqual([]);
    // As Kubernetes: requests change only on bound claims, and never shrink.
    expect(
      fields(
        PersistentVolumeClaimType,
        edit(pvc, (p: any) => (p.spec.resources.requests.storage = '2Gi')),
        pvc,
      ),
    ).toEqual(['spec']);
    expect(
      fields(
        PersistentVolumeClaimType,
        edit(boundPvc, (p: any) => (p.spec.resources.requests.storage = '512Mi')),
        boundPvc,
      ),
    ).toEqual(['spec.resources.requests.storage']);
    expect(
      fields(
        PersistentVolumeClaimType,
        edit(pvc, (p: any) => (p.spec.accessModes = ['ReadWriteMany'])),
        pvc,
      ),
    ).toEqual(['spec']);
  });
});
