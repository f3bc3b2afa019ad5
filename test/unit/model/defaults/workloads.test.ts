import { describe, expect, it } from 'vitest';
import {
  defaultCronJob,
  defaultDaemonSet,
  defaultDeployment,
  defaultJob,
  defaultReplicaSet,
  defaultStatefulSet,
} from '../../../../src/model/defaults/workloads.js';
import type { apps, batch, core } from '../../../../src/model/types.js';

const template = (): core.PodTemplateSpec => ({
  metadata: { labels: { app: 'web' } },
  spec: { containers: [{ name: 'web', image: 'nginx' }] },
});

describe('workload defaults', () => {
  it('Deployment: replicas 1, RollingUpdate 25%/25%, history 10, deadline 600, selector untouched', () => {
    const d: { spec: apps.DeploymentSpec } = { spec: { selector: undefined as never, template: template() } };
    defaultDeployment(d);
    expect(d.spec).toMatchObject({
      replicas: 1,
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' } },
      revisionHistoryLimit: 10,
      progressDeadlineSeconds: 600,
      minReadySeconds: 0,
    });
    expect(d.spec.selector).toBeUndefined();
    expect(d.spec.template.spec?.restartPolicy).toBe('Always');
  });

  it('Deployment: Recreate gets no rollingUpdate; explicit values kept', () => {
    const d: { spec: apps.DeploymentSpec } = { spec: { replicas: 0, strategy: { type: 'Recreate' }, selector: {}, template: template() } };
    defaultDeployment(d);
    expect(d.spec.replicas).toBe(0);
    expect(d.spec.strategy).toEqual({ type: 'Recreate' });
  });

  it('ReplicaSet: replicas 1', () => {
    const rs: { spec: apps.ReplicaSetSpec } = { spec: { selector: {}, template: template() } };
    defaultReplicaSet(rs);
    expect(rs.spec.replicas).toBe(1);
    expect(rs.spec.template?.spec?.dnsPolicy).toBe('ClusterFirst');
  });

  it('StatefulSet: OrderedReady, RollingUpdate partition 0, history 10', () => {
    const s: { spec: apps.StatefulSetSpec } = { spec: { selector: {}, template: template(), serviceName: 'web' } };
    defaultStatefulSet(s);
    expect(s.spec).toMatchObject({
      replicas: 1,
      podManagementPolicy: 'OrderedReady',
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 0 } },
      revisionHistoryLimit: 10,
      persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Retain', whenScaled: 'Retain' },
    });
  });

  it('DaemonSet: RollingUpdate maxUnavailable 1 maxSurge 0', () => {
    const ds: { spec: apps.DaemonSetSpec } = { spec: { selector: {}, template: template() } };
    defaultDaemonSet(ds);
    expect(ds.spec.updateStrategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } });
    expect(ds.spec.revisionHistoryLimit).toBe(10);
  });

  it.each([
    [{}, { parallelism: 1, completions: 1 }],
    [{ parallelism: 3 }, { parallelism: 3, completions: undefined }],
    [{ completions: 5 }, { parallelism: 1, completions: 5 }],
  ])('Job %j -> %j', (given, expected) => {
    const job: { spec: batch.JobSpec } = { spec: { ...given, template: template() } };
    defaultJob(job);
    expect(job.spec.parallelism).toBe(expected.parallelism);
    expect(job.spec.completions).toBe(expected.completions);
    expect(job.spec.backoffLimit).toBe(6);
    expect(job.spec.completionMode).toBe('NonIndexed');
    expect(job.spec.template.spec?.restartPolicy).toBeUndefined();
  });

  it('CronJob: Allow, not suspended, history 3/1, template restartPolicy left unset', () => {
    const cj: { spec: batch.CronJobSpec } = { spec: { schedule: '*/5 * * * *', jobTemplate: { spec: { template: template() } } } };
    defaultCronJob(cj);
    expect(cj.spec).toMatchObject({ concurrencyPolicy: 'Allow', suspend: false, successfulJobsHistoryLimit: 3, failedJobsHistoryLimit: 1 });
    expect(cj.spec.jobTemplate.spec?.template.spec?.restartPolicy).toBeUndefined();
    expect(cj.spec.jobTemplate.spec?.template.spec?.schedulerName).toBe('default-scheduler');
  });
});
