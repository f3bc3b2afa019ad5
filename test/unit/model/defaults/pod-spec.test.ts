import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { defaultPod, defaultPodSpec, defaultPullPolicy, defaultPodTemplate } from '../../../../src/model/defaults/pod-spec.js';
import type { core } from '../../../../src/model/types.js';

describe('defaultPullPolicy', () => {
  it.each([
    ['nginx', 'Always'],
    ['nginx:latest', 'Always'],
    ['nginx:1.25', 'IfNotPresent'],
    ['registry:5000/team/app', 'Always'],
    ['registry:5000/team/app:v2', 'IfNotPresent'],
    ['nginx@sha256:' + 'a'.repeat(64), 'IfNotPresent'],
    ['nginx:1.25@sha256:' + 'a'.repeat(64), 'IfNotPresent'],
    ['nginx:latest@sha256:' + 'a'.repeat(64), 'Always'],
  ])('%s -> %s', (image, policy) => expect(defaultPullPolicy(image)).toBe(policy));
});

describe('defaultPodSpec', () => {
  it('fills the pod-level and container defaults', () => {
    const spec: core.PodSpec = {
      containers: [
        {
          name: 'web',
          image: 'nginx:1.25',
          ports: [{ containerPort: 80 }],
          livenessProbe: { httpGet: { port: 80 } },
          readinessProbe: { tcpSocket: { port: 80 }, periodSeconds: 5 },
          env: [{ name: 'NODE', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } }],
        },
      ],
      initContainers: [{ name: 'init', image: 'busybox' }],
      volumes: [{ name: 'cfg', configMap: { name: 'cfg' } }],
    };
    defaultPodSpec(spec);
    expect(spec).toMatchObject({
      restartPolicy: 'Always',
      dnsPolicy: 'ClusterFirst',
      schedulerName: 'default-scheduler',
      terminationGracePeriodSeconds: 30,
      securityContext: {},
      enableServiceLinks: true,
    });
    const [c] = spec.containers;
    expect(c.imagePullPolicy).toBe('IfNotPresent');
    expect(c.terminationMessagePath).toBe('/dev/termination-log');
    expect(c.terminationMessagePolicy).toBe('File');
    expect(c.ports?.[0].protocol).toBe('TCP');
    expect(c.livenessProbe).toEqual({
      httpGet: { port: 80, path: '/', scheme: 'HTTP' },
      timeoutSeconds: 1,
      periodSeconds: 10,
      successThreshold: 1,
      failureThreshold: 3,
    });
    expect(c.readinessProbe?.periodSeconds).toBe(5);
    expect(c.env?.[0].valueFrom?.fieldRef?.apiVersion).toBe('v1');
    expect(spec.initContainers?.[0].imagePullPolicy).toBe('Always');
    expect(spec.volumes?.[0].configMap?.defaultMode).toBe(0o644);
  });

  it('keeps values that are set', () => {
    const spec: core.PodSpec = {
      restartPolicy: 'Never',
      dnsPolicy: 'Default',
      terminationGracePeriodSeconds: 0,
      containers: [{ name: 'a', image: 'x', imagePullPolicy: 'Never' }],
    };
    defaultPodSpec(spec);
    expect(spec.restartPolicy).toBe('Never');
    expect(spec.dnsPolicy).toBe('Default');
    expect(spec.terminationGracePeriodSeconds).toBe(0);
    expect(spec.containers[0].imagePullPolicy).toBe('Never');
  });

  it('leaves restartPolicy unset when asked (Job templates)', () => {
    const t: core.PodTemplateSpec = { spec: { containers: [{ name: 'a', image: 'x' }] } };
    defaultPodTemplate(t, { defaultRestartPolicy: false });
    expect(t.spec?.restartPolicy).toBeUndefined();
    expect(t.metadata).toEqual({});
  });

  it('copies limits into missing requests for Pods only', () => {
    const pod = {
      spec: { containers: [{ name: 'a', image: 'x', resources: { limits: { cpu: '1', memory: '1Gi' }, requests: { cpu: '500m' } } }] },
    };
    defaultPod(pod);
    expect(pod.spec.containers[0].resources.requests).toEqual({ cpu: '500m', memory: '1Gi' });
    const template: core.PodTemplateSpec = { spec: { containers: [{ name: 'a', image: 'x', resources: { limits: { cpu: '1' } } }] } };
    defaultPodTemplate(template);
    expect(template.spec?.containers[0].resources?.requests).toBeUndefined();
  });
});

const probe = fc.record(
  {
    httpGet: fc.record({ port: fc.integer({ min: 1, max: 65535 }), path: fc.constantFrom('/', '/healthz') }, { requiredKeys: ['port'] }),
    periodSeconds: fc.integer({ min: 1, max: 60 }),
    timeoutSeconds: fc.integer({ min: 1, max: 10 }),
  },
  { requiredKeys: [] },
);
const container = fc.record(
  {
    name: fc.stringMatching(/^[a-z][a-z0-9]{0,8}$/),
    image: fc.constantFrom('nginx', 'nginx:latest', 'nginx:1.25', 'r:5000/a/b', 'x@sha256:abc'),
    imagePullPolicy: fc.constantFrom('Always', 'IfNotPresent', 'Never'),
    ports: fc.array(
      fc.record(
        { containerPort: fc.integer({ min: 1, max: 65535 }), protocol: fc.constantFrom('TCP', 'UDP') },
        { requiredKeys: ['containerPort'] },
      ),
      { maxLength: 3 },
    ),
    livenessProbe: probe,
    readinessProbe: probe,
    resources: fc.record(
      { limits: fc.record({ cpu: fc.constantFrom('1', '250m') }), requests: fc.record({ memory: fc.constantFrom('64Mi') }) },
      { requiredKeys: [] },
    ),
  },
  { requiredKeys: ['name', 'image'] },
);
const podSpec = fc.record(
  {
    containers: fc.array(container, { minLength: 1, maxLength: 3 }),
    initContainers: fc.array(container, { maxLength: 2 }),
    restartPolicy: fc.constantFrom('Always', 'OnFailure', 'Never'),
    hostNetwork: fc.boolean(),
    terminationGracePeriodSeconds: fc.integer({ min: 0, max: 120 }),
    volumes: fc.array(fc.record({ name: fc.constantFrom('a', 'b'), secret: fc.record({ secretName: fc.constant('s') }) }), {
      maxLength: 2,
    }),
  },
  { requiredKeys: ['containers'] },
);

describe('defaulting is idempotent', () => {
  it('defaulting a pod twice equals defaulting it once', () => {
    fc.assert(
      fc.property(podSpec, (spec) => {
        const once = { spec: structuredClone(spec) as core.PodSpec };
        defaultPod(once);
        const twice = structuredClone(once);
        defaultPod(twice);
        expect(twice).toEqual(once);
      }),
      { numRuns: 200 },
    );
  });
});
