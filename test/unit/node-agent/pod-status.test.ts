import { describe, expect, it } from 'vitest';
import type { core } from '../../../src/model/types.js';
import { podPhase, qosClass } from '../../../src/node-agent/pod-status.js';

const running: core.ContainerStatus = { name: 'a', ready: true, restartCount: 0, image: '', imageID: '', state: { running: {} } };
const ok: core.ContainerStatus = { ...running, state: { terminated: { exitCode: 0 } } };
const bad: core.ContainerStatus = { ...running, state: { terminated: { exitCode: 1 } } };
const crashLoop: core.ContainerStatus = {
  ...running,
  state: { waiting: { reason: 'CrashLoopBackOff' } },
  lastState: { terminated: { exitCode: 1 } },
};
const creating: core.ContainerStatus = { ...running, state: { waiting: { reason: 'ContainerCreating' } } };
const spec = (restartPolicy: string): core.PodSpec => ({ restartPolicy, containers: [] });

describe('pod phase (kubelet getPhase)', () => {
  it.each([
    ['Always', [running], 'Running'],
    ['Always', [creating], 'Pending'],
    ['Always', [crashLoop], 'Running'],
    ['Always', [ok], 'Running'],
    ['OnFailure', [ok], 'Succeeded'],
    ['OnFailure', [bad], 'Running'],
    ['Never', [ok, bad], 'Failed'],
    ['Never', [ok, ok], 'Succeeded'],
    ['Never', [ok, running], 'Running'],
  ])('%s with %j is %s', (policy, statuses, phase) => {
    expect(podPhase(spec(policy as string), [], statuses as core.ContainerStatus[])).toBe(phase);
  });

  it('is Pending until init containers succeed, Failed when one fails under Never', () => {
    expect(podPhase(spec('Always'), [running], [creating])).toBe('Pending');
    expect(podPhase(spec('Never'), [bad], [creating])).toBe('Failed');
    expect(podPhase(spec('Always'), [ok], [running])).toBe('Running');
  });
});

describe('QoS class', () => {
  const c = (resources: core.ResourceRequirements): core.PodSpec => ({ containers: [{ name: 'a', resources }] });
  it('classifies as Kubernetes does', () => {
    expect(qosClass(c({}))).toBe('BestEffort');
    expect(qosClass(c({ limits: { cpu: '1', memory: '1Gi' } }))).toBe('Guaranteed');
    expect(qosClass(c({ limits: { cpu: '1', memory: '1Gi' }, requests: { cpu: '1000m', memory: '1Gi' } }))).toBe('Guaranteed');
    expect(qosClass(c({ requests: { cpu: '100m' } }))).toBe('Burstable');
    expect(qosClass(c({ limits: { cpu: '1' } }))).toBe('Burstable');
  });
});
