import { describe, expect, it } from 'vitest';
import { BUILTIN_KINDS } from '../../../src/model/kinds/index.js';
import { apiVersionOf } from '../../../src/model/resource-type.js';
import { findUnknownFields, hasKnownFields } from '../../../src/model/schema/unknown-fields.js';
import { notImplementedFields } from '../../../src/model/schema/not-implemented.js';

// The storage version of each kind (autoscaling/v1 HorizontalPodAutoscaler is served beside v2, converted).
const byKind = Object.fromEntries(BUILTIN_KINDS.filter((k) => !k.conversion).map((k) => [k.kind, k]));

describe('BUILTIN_KINDS', () => {
  it.each([
    ['Namespace', 'v1', 'namespaces', ['ns'], false, 'dns1123-label'],
    ['Node', 'v1', 'nodes', ['no'], false, 'dns1123-subdomain'],
    ['Pod', 'v1', 'pods', ['po'], true, 'dns1123-subdomain'],
    ['ConfigMap', 'v1', 'configmaps', ['cm'], true, 'dns1123-subdomain'],
    ['Service', 'v1', 'services', ['svc'], true, 'dns1123-label'],
    ['Endpoints', 'v1', 'endpoints', ['ep'], true, 'dns1123-subdomain'],
    ['EndpointSlice', 'discovery.k8s.io/v1', 'endpointslices', undefined, true, 'dns1123-subdomain'],
    ['Deployment', 'apps/v1', 'deployments', ['deploy'], true, 'dns1123-subdomain'],
    ['ReplicaSet', 'apps/v1', 'replicasets', ['rs'], true, 'dns1123-subdomain'],
    ['StatefulSet', 'apps/v1', 'statefulsets', ['sts'], true, 'dns1123-subdomain'],
    ['DaemonSet', 'apps/v1', 'daemonsets', ['ds'], true, 'dns1123-subdomain'],
    ['ControllerRevision', 'apps/v1', 'controllerrevisions', undefined, true, 'dns1123-subdomain'],
    ['Job', 'batch/v1', 'jobs', undefined, true, 'dns1123-subdomain'],
    ['CronJob', 'batch/v1', 'cronjobs', ['cj'], true, 'dns1123-subdomain'],
    ['Ingress', 'networking.k8s.io/v1', 'ingresses', ['ing'], true, 'dns1123-subdomain'],
    ['IngressClass', 'networking.k8s.io/v1', 'ingressclasses', undefined, false, 'dns1123-subdomain'],
    ['PersistentVolume', 'v1', 'persistentvolumes', ['pv'], false, 'dns1123-subdomain'],
    ['PersistentVolumeClaim', 'v1', 'persistentvolumeclaims', ['pvc'], true, 'dns1123-subdomain'],
    ['StorageClass', 'storage.k8s.io/v1', 'storageclasses', ['sc'], false, 'dns1123-subdomain'],
    ['HorizontalPodAutoscaler', 'autoscaling/v2', 'horizontalpodautoscalers', ['hpa'], true, 'dns1123-subdomain'],
    ['PodDisruptionBudget', 'policy/v1', 'poddisruptionbudgets', ['pdb'], true, 'dns1123-subdomain'],
    ['Event', 'v1', 'events', ['ev'], true, 'dns1123-subdomain'],
    ['Lease', 'coordination.k8s.io/v1', 'leases', undefined, true, 'dns1123-subdomain'],
    ['PriorityClass', 'scheduling.k8s.io/v1', 'priorityclasses', ['pc'], false, 'dns1123-subdomain'],
    ['CustomResourceDefinition', 'apiextensions.k8s.io/v1', 'customresourcedefinitions', ['crd', 'crds'], false, 'dns1123-subdomain'],
    ['Secret', 'v1', 'secrets', undefined, true, 'dns1123-subdomain'],
  ])('%s', (kind, apiVersion, plural, shortNames, namespaced, nameFormat) => {
    const rt = byKind[kind];
    expect(rt).toBeDefined();
    expect(apiVersionOf(rt)).toBe(apiVersion);
    expect(rt.plural).toBe(plural);
    expect(rt.singular).toBe(kind.toLowerCase());
    expect(rt.shortNames).toEqual(shortNames);
    expect(rt.namespaced).toBe(namespaced);
    expect(rt.nameFormat).toBe(nameFormat);
    expect(typeof rt.validate).toBe('function');
    expect(hasKnownFields(kind)).toBe(true);
  });

  it('has 37 distinct kinds and plurals, and one more served version (autoscaling/v1 HorizontalPodAutoscaler)', () => {
    expect(BUILTIN_KINDS).toHaveLength(38);
    expect(new Set(BUILTIN_KINDS.map((k) => k.plural)).size).toBe(37);
    const v1 = BUILTIN_KINDS.filter((k) => k.conversion);
    expect(v1.map((k) => [apiVersionOf(k), k.kind, k.plural, k.shortNames])).toEqual([
      ['autoscaling/v1', 'HorizontalPodAutoscaler', 'horizontalpodautoscalers', ['hpa']],
    ]);
    expect(v1[0]?.conversion?.storage).toBe(byKind.HorizontalPodAutoscaler);
  });
});

describe('unknown and unimplemented fields', () => {
  it('walks lists and maps with Kubernetes paths', () => {
    const obj = {
      apiVersion: 'apps/v1',
      kind: 'StatefulSet',
      metadata: { name: 'db', labels: { anything: 'goes' } },
      spec: {
        template: {
          spec: {
            containers: [
              { name: 'a', image: 'x' },
              { name: 'b', image: 'y', resources: { limits: { cpu: '1' } }, port: 80 },
            ],
          },
        },
        volumeClaimTemplates: [{ metadata: { name: 'data' }, spec: { storageClass: 'fast' } }],
      },
    };
    expect(findUnknownFields('StatefulSet', obj)).toEqual([
      'unknown field "spec.template.spec.containers[1].port"',
      'unknown field "spec.volumeClaimTemplates[0].spec.storageClass"',
    ]);
    expect(findUnknownFields('Widget', obj)).toEqual([]);
  });

  it("reports ignored pod fields at the kind's pod spec path, not default values", () => {
    const cj = {
      spec: {
        jobTemplate: {
          spec: { template: { spec: { runtimeClassName: 'gvisor', hostPID: false, hostIPC: true, containers: [{ volumeDevices: [] }] } } },
        },
      },
    };
    expect(notImplementedFields('CronJob', cj)).toEqual([
      'spec.jobTemplate.spec.template.spec.runtimeClassName: not implemented by tugboat, ignored',
      'spec.jobTemplate.spec.template.spec.hostIPC: not implemented by tugboat, ignored',
      'spec.jobTemplate.spec.template.spec.containers[0].volumeDevices: not implemented by tugboat, ignored',
    ]);
    expect(notImplementedFields('Service', { spec: { dnsConfig: {} } })).toEqual([]);
  });

  it("warns about the Job fields that are alpha in Kubernetes 1.30 (successPolicy, managedBy), not managedBy's default", () => {
    const warning = (f: string) => `${f}: alpha in Kubernetes 1.30 (feature gate off by default), not implemented by tugboat, ignored`;
    expect(notImplementedFields('Job', { spec: { successPolicy: { rules: [] }, managedBy: 'example.com/mine' } })).toEqual([
      warning('spec.successPolicy'),
      warning('spec.managedBy'),
    ]);
    expect(notImplementedFields('Job', { spec: { managedBy: 'kubernetes.io/job-controller' } })).toEqual([]);
    expect(notImplementedFields('CronJob', { spec: { jobTemplate: { spec: { successPolicy: {} } } } })).toEqual([
      warning('spec.jobTemplate.spec.successPolicy'),
    ]);
  });
});
