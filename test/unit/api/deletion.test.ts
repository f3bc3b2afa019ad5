import { describe, expect, it } from 'vitest';
import { planDeletion } from '../../../src/api/deletion.js';
import { PodType, ConfigMapType, NamespaceType, CustomResourceDefinitionType } from '../../../src/model/kinds/index.js';
import type { ResourceType } from '../../../src/model/resource-type.js';
import type { KubeObject } from '../../../src/model/types.js';
import { TugboatError } from '../../../src/model/errors.js';

const now = new Date('2026-01-01T00:00:00Z');
const apply = (obj: KubeObject, plan: ReturnType<typeof planDeletion>): KubeObject => {
  if (plan.action !== 'mark') throw new Error(`expected mark, got ${plan.action}`);
  const draft = structuredClone(obj);
  plan.mark(draft);
  return draft;
};

describe('planDeletion', () => {
  const cm: KubeObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } };

  it('removes an object without finalizers at once (Background)', () => {
    expect(planDeletion(ConfigMapType, cm, {}, now).action).toBe('remove');
  });

  it('marks with the foregroundDeletion or orphan finalizer', () => {
    expect(apply(cm, planDeletion(ConfigMapType, cm, { propagationPolicy: 'Foreground' }, now)).metadata.finalizers).toEqual([
      'foregroundDeletion',
    ]);
    expect(apply(cm, planDeletion(ConfigMapType, cm, { propagationPolicy: 'Orphan' }, now)).metadata.finalizers).toEqual(['orphan']);
  });

  it('keeps an object with finalizers, stamping deletionTimestamp once', () => {
    const held = { ...cm, metadata: { ...cm.metadata, finalizers: ['x'] } };
    const marked = apply(held, planDeletion(ConfigMapType, held, {}, now));
    expect(marked.metadata.deletionTimestamp).toBe('2026-01-01T00:00:00Z');
    expect(planDeletion(ConfigMapType, marked, {}, now).action).toBe('none');
  });

  it('gives a bound, running pod its grace period and force-deletes with 0', () => {
    const pod: KubeObject = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'p' },
      spec: { nodeName: 'n', terminationGracePeriodSeconds: 20 },
      status: { phase: 'Running' },
    };
    const marked = apply(pod, planDeletion(PodType, pod, {}, now));
    expect(marked.metadata.deletionGracePeriodSeconds).toBe(20);
    expect(marked.metadata.deletionTimestamp).toBe('2026-01-01T00:00:20Z');
    expect(planDeletion(PodType, marked, { gracePeriodSeconds: 0 }, now).action).toBe('remove');
    const finished = { ...pod, status: { phase: 'Succeeded' } };
    expect(planDeletion(PodType, finished, {}, now).action).toBe('remove');
  });

  it('marks a namespace Terminating and refuses the system ones', () => {
    const ns: KubeObject = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team' }, spec: { finalizers: ['kubernetes'] } };
    expect((apply(ns, planDeletion(NamespaceType, ns, {}, now)).status as { phase: string }).phase).toBe('Terminating');
    expect(() => planDeletion(NamespaceType, { ...ns, metadata: { name: 'default' } }, {}, now)).toThrow(TugboatError);
  });

  it('rejects an unknown propagation policy', () => {
    expect(() => planDeletion(ConfigMapType, cm, { propagationPolicy: 'Sideways' as never }, now)).toThrow(/propagationPolicy/);
  });

  it("adds the CRD cleanup finalizer and the Terminating condition on a CRD's first deletion", () => {
    const crd: KubeObject = {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: 'widgets.example.com' },
    };
    const type = CustomResourceDefinitionType as unknown as ResourceType;
    const marked = apply(crd, planDeletion(type, crd, {}, now));
    expect(marked.metadata.finalizers).toEqual(['customresourcecleanup.apiextensions.k8s.io']);
    expect(marked.metadata.deletionTimestamp).toBe('2026-01-01T00:00:00Z');
    expect((marked.status as { conditions: unknown[] }).conditions).toEqual([
      {
        type: 'Terminating',
        status: 'True',
        reason: 'InstanceDeletionPending',
        message: 'CustomResourceDefinition marked for deletion; CustomResource deletion will begin soon',
        lastTransitionTime: '2026-01-01T00:00:00Z',
      },
    ]);
    expect(planDeletion(type, marked, {}, now).action).toBe('none');
  });
});
