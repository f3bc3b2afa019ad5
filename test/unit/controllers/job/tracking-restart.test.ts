/**
 * Finalizer-based tracking across a controller restart: a pod that finished and was deleted
 * while no Job controller ran is still counted once, because its tracking finalizer keeps it
 * in the store until a controller has counted it.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ControllerManager } from '../../../../src/controllers/runtime/controller-manager.js';
import { jobController } from '../../../../src/controllers/job/index.js';
import type { Job, Pod } from '../../../../src/model/types.js';
import { pods, startHarness, type Harness } from '../helpers.js';

let h: Harness | undefined;
let second: ControllerManager | undefined;
afterEach(async () => {
  await second?.stop();
  await h?.stop();
  h = second = undefined;
});

const JOB: Job = {
  apiVersion: 'batch/v1',
  kind: 'Job',
  metadata: { name: 'once', namespace: 'default' },
  spec: { completions: 1, parallelism: 1, template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'x' }] } } },
};

describe('Job tracking finalizer', () => {
  it('counts a pod that succeeded and was deleted while the controller was down', async () => {
    h = await startHarness([jobController()]);
    await h.cluster.jobs('default').create(JOB);
    await h.idle();
    const [pod] = (await pods(h.cluster).list()).items;
    expect(pod.metadata.finalizers).toContain('batch.kubernetes.io/job-tracking');
    await h.manager.stop();

    // While no controller runs: the pod succeeds and is force-deleted.
    const now = h.clock.now().toISOString();
    await pods(h.cluster).updateStatus({
      ...pod,
      status: {
        phase: 'Succeeded',
        containerStatuses: [
          { name: 'c', image: 'x', imageID: '', ready: false, restartCount: 0, state: { terminated: { exitCode: 0, finishedAt: now } } },
        ],
      },
    } as Pod);
    await pods(h.cluster).delete(pod.metadata.name!, { gracePeriodSeconds: 0 });
    const held = await pods(h.cluster).get(pod.metadata.name!);
    expect(held.metadata.deletionTimestamp).toBeDefined();

    second = new ControllerManager(h.cluster.context, { rateLimiter: { qps: Infinity } });
    void second.register(jobController());
    await second.start();
    await second.waitForIdle();

    const job = await h.cluster.jobs('default').get('once');
    expect(job.status).toMatchObject({ succeeded: 1, failed: 0, active: 0 });
    expect(job.status?.conditions?.find((c) => c.type === 'Complete')?.status).toBe('True');
    // Counted, its finalizer removed, so the deletion completed; no replacement pod.
    expect((await pods(h.cluster).list()).items).toHaveLength(0);
  });

  it('counts a running pod deleted while the controller was down as one failure and replaces it', async () => {
    h = await startHarness([jobController()]);
    await h.cluster.jobs('default').create({ ...JOB, metadata: { ...JOB.metadata, name: 'twice' } });
    await h.idle();
    const [pod] = (await pods(h.cluster).list()).items;
    await h.manager.stop();
    await pods(h.cluster).delete(pod.metadata.name!, { gracePeriodSeconds: 0 });

    second = new ControllerManager(h.cluster.context, { rateLimiter: { qps: Infinity } });
    void second.register(jobController());
    await second.start();
    await second.waitForIdle();

    let job = await h.cluster.jobs('default').get('twice');
    // Counted once; the replacement waits out the 10 s back-off of one failure.
    expect(job.status).toMatchObject({ failed: 1, succeeded: 0, active: 0 });
    expect((await pods(h.cluster).list()).items).toHaveLength(0);
    await h.clock.advance(9000);
    await second.waitForIdle();
    expect((await pods(h.cluster).list()).items).toHaveLength(0);
    await h.clock.advance(1500);
    await second.waitForIdle();
    job = await h.cluster.jobs('default').get('twice');
    expect(job.status).toMatchObject({ failed: 1, succeeded: 0, active: 1 });
    const left = (await pods(h.cluster).list()).items;
    expect(left).toHaveLength(1);
    expect(left[0].metadata.name).not.toBe(pod.metadata.name);
  });
});
