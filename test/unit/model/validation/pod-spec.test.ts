import { describe, expect, it } from 'vitest';
import { PodType } from '../../../../src/model/kinds/index.js';
import { edit, pod } from './fixtures.js';

const fields = (obj: ReturnType<typeof pod>) => PodType.validate!(obj as never).causes.map((c) => c.field);

describe('Pod validation', () => {
  it('accepts a valid pod', () => {
    expect(PodType.validate!(pod() as never)).toEqual({ causes: [], warnings: [] });
  });

  it.each<[string, (p: any) => void, string[]]>([
    ['no containers', (p) => (p.spec.containers = []), ['spec.containers']],
    ['image missing', (p) => delete p.spec.containers[0].image, ['spec.containers[0].image']],
    ['bad container name', (p) => (p.spec.containers[0].name = 'Web'), ['spec.containers[0].name']],
    [
      'duplicate name across init and app containers',
      (p) => (p.spec.initContainers = [{ name: 'web', image: 'busybox' }]),
      ['spec.containers[0].name'],
    ],
    ['port 0', (p) => (p.spec.containers[0].ports[0].containerPort = 0), ['spec.containers[0].ports[0].containerPort']],
    ['port 70000', (p) => (p.spec.containers[0].ports[0].containerPort = 70000), ['spec.containers[0].ports[0].containerPort']],
    [
      'duplicate port names',
      (p) =>
        (p.spec.containers[0].ports = [
          { name: 'http', containerPort: 80 },
          { name: 'http', containerPort: 81 },
        ]),
      ['spec.containers[0].ports[1].name'],
    ],
    ['bad protocol', (p) => (p.spec.containers[0].ports[0].protocol = 'HTTP'), ['spec.containers[0].ports[0].protocol']],
    ['bad restartPolicy', (p) => (p.spec.restartPolicy = 'Sometimes'), ['spec.restartPolicy']],
    ['bad pull policy', (p) => (p.spec.containers[0].imagePullPolicy = 'Maybe'), ['spec.containers[0].imagePullPolicy']],
    ['bad quantity', (p) => (p.spec.containers[0].resources = { limits: { cpu: 'lots' } }), ['spec.containers[0].resources.limits[cpu]']],
    [
      'request above limit',
      (p) => (p.spec.containers[0].resources = { limits: { cpu: '500m' }, requests: { cpu: '1' } }),
      ['spec.containers[0].resources.requests[cpu]'],
    ],
    ['probe without handler', (p) => (p.spec.containers[0].livenessProbe = { periodSeconds: 5 }), ['spec.containers[0].livenessProbe']],
    [
      'probe with two handlers',
      (p) => (p.spec.containers[0].readinessProbe = { httpGet: { port: 80 }, tcpSocket: { port: 80 } }),
      ['spec.containers[0].readinessProbe.tcpSocket'],
    ],
    [
      'liveness successThreshold 2',
      (p) => (p.spec.containers[0].livenessProbe = { tcpSocket: { port: 80 }, successThreshold: 2 }),
      ['spec.containers[0].livenessProbe.successThreshold'],
    ],
    [
      'duplicate volumes',
      (p) =>
        (p.spec.volumes = [
          { name: 'a', emptyDir: {} },
          { name: 'a', emptyDir: {} },
        ]),
      ['spec.volumes[1].name'],
    ],
    ['volume without source', (p) => (p.spec.volumes = [{ name: 'a' }]), ['spec.volumes[0]']],
    [
      'mount of missing volume',
      (p) => (p.spec.containers[0].volumeMounts = [{ name: 'data', mountPath: '/data' }]),
      ['spec.containers[0].volumeMounts[0].name'],
    ],
    ['bad env name', (p) => (p.spec.containers[0].env = [{ name: '1X', value: 'v' }]), ['spec.containers[0].env[0].name']],
    ['env without name', (p) => (p.spec.containers[0].env = [{ value: 'v' }]), ['spec.containers[0].env[0].name']],
    ['negative grace period', (p) => (p.spec.terminationGracePeriodSeconds = -1), ['spec.terminationGracePeriodSeconds']],
    ['no namespace', (p) => delete p.metadata.namespace, ['metadata.namespace']],
  ])('%s', (_name, change, expected) => {
    expect(fields(edit(pod(), change))).toEqual(expected);
  });

  it('uses Kubernetes messages and reasons', () => {
    const [c] = PodType.validate!(edit(pod(), (p) => (p.spec.restartPolicy = 'Sometimes')) as never).causes;
    expect(c).toEqual({
      field: 'spec.restartPolicy',
      message: 'Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"',
      reason: 'FieldValueNotSupported',
    });
    const [m] = PodType.validate!(
      edit(pod(), (p) => (p.spec.containers[0].volumeMounts = [{ name: 'x', mountPath: '/x' }])) as never,
    ).causes;
    expect(m.reason).toBe('FieldValueNotFound');
  });

  it('allows restartPolicy only on init containers and only Always (native sidecars), with Kubernetes messages', () => {
    const causes = (change: (p: any) => void) => PodType.validate!(edit(pod(), change) as never).causes;
    const sidecar = { name: 'proxy', image: 'envoy', restartPolicy: 'Always', readinessProbe: { tcpSocket: { port: 15000 } } };
    expect(causes((p) => (p.spec.initContainers = [sidecar]))).toEqual([]);
    expect(causes((p) => (p.spec.containers[0].restartPolicy = 'Always'))).toEqual([
      {
        field: 'spec.containers[0].restartPolicy',
        message: 'Forbidden: may not be set for non-init containers',
        reason: 'FieldValueForbidden',
      },
    ]);
    expect(causes((p) => (p.spec.initContainers = [{ ...sidecar, restartPolicy: 'OnFailure' }]))).toEqual([
      {
        field: 'spec.initContainers[0].restartPolicy',
        message: 'Unsupported value: "OnFailure": supported values: "Always"',
        reason: 'FieldValueNotSupported',
      },
      {
        field: 'spec.initContainers[0].readinessProbe',
        message: 'Forbidden: may not be set for init containers without restartPolicy=Always',
        reason: 'FieldValueForbidden',
      },
    ]);
    expect(
      causes((p) => (p.spec.initContainers = [{ name: 'setup', image: 'busybox', lifecycle: { preStop: { exec: { command: ['x'] } } } }])),
    ).toEqual([
      {
        field: 'spec.initContainers[0].lifecycle',
        message: 'Forbidden: may not be set for init containers without restartPolicy=Always',
        reason: 'FieldValueForbidden',
      },
    ]);
  });

  it('bounds a lifecycle sleep action as Kubernetes 1.30: more than 0, at most terminationGracePeriodSeconds (30 by default)', () => {
    const sleep = (seconds: unknown, grace?: number) => (p: any) => {
      if (grace !== undefined) p.spec.terminationGracePeriodSeconds = grace;
      p.spec.containers[0].lifecycle = { preStop: { sleep: { seconds } } };
    };
    const causes = (change: (p: any) => void) => PodType.validate!(edit(pod(), change) as never).causes;
    expect(causes(sleep(5))).toEqual([]);
    expect(causes(sleep(30))).toEqual([]);
    expect(causes(sleep(10, 10))).toEqual([]);
    expect(causes(sleep(31))).toEqual([
      {
        field: 'spec.containers[0].lifecycle.preStop.sleep.seconds',
        message: 'Invalid value: 31: must be greater than 0 and less than terminationGracePeriodSeconds (30)',
        reason: 'FieldValueInvalid',
      },
    ]);
    expect(causes(sleep(11, 10)).map((c) => c.message)).toEqual([
      'Invalid value: 11: must be greater than 0 and less than terminationGracePeriodSeconds (10)',
    ]);
    for (const bad of [0, -1, 1.5, '5'])
      expect(causes(sleep(bad)).map((c) => c.field)).toEqual(['spec.containers[0].lifecycle.preStop.sleep.seconds']);
    expect(causes((p) => (p.spec.containers[0].lifecycle = { preStop: { sleep: {} } })).map((c) => c.field)).toEqual([
      'spec.containers[0].lifecycle.preStop.sleep.seconds',
    ]);
  });

  it('accepts mounts of declared volumes and equal requests and limits', () => {
    const p = edit(pod(), (x) => {
      x.spec.volumes = [{ name: 'data', emptyDir: {} }];
      x.spec.containers[0].volumeMounts = [{ name: 'data', mountPath: '/data' }];
      x.spec.containers[0].resources = { limits: { cpu: '1', memory: '1Gi' }, requests: { cpu: '1000m', memory: '512Mi' } };
    });
    expect(fields(p)).toEqual([]);
  });

  it('warns about unknown and unimplemented fields', () => {
    const p = edit(pod(), (x) => {
      x.spec.containers[0].imagePolicy = 'Always';
      x.spec.runtimeClassName = 'gvisor';
      x.metadata.label = { a: 'b' };
    });
    expect(PodType.validate!(p as never).warnings).toEqual([
      'unknown field "metadata.label"',
      'unknown field "spec.containers[0].imagePolicy"',
      'spec.runtimeClassName: not implemented by tugboat, ignored',
    ]);
  });

  it('allows only image, activeDeadlineSeconds and toleration additions on update', () => {
    const old = pod();
    const newImage = edit(old, (p) => (p.spec.containers[0].image = 'nginx:1.26'));
    expect(PodType.validate!(newImage as never, old as never).causes).toEqual([]);
    const tol = edit(old, (p) => (p.spec.tolerations = [{ key: 'k', operator: 'Exists' }]));
    expect(PodType.validate!(tol as never, old as never).causes).toEqual([]);
    const port = edit(old, (p) => (p.spec.containers[0].ports[0].containerPort = 81));
    expect(PodType.validate!(port as never, old as never).causes.map((c) => c.field)).toEqual(['spec']);
    const renamed = edit(old, (p) => (p.metadata.name = 'other'));
    expect(PodType.validate!(renamed as never, old as never).causes.map((c) => c.field)).toEqual(['metadata.name']);
  });
});
