import { afterEach, describe, expect, it } from 'vitest';
import { replicaSetController } from '../../../src/controllers/replicaset.js';
import { deploymentController, templateForRevision } from '../../../src/controllers/deployment/index.js';
import type { Deployment, ReplicaSet } from '../../../src/model/types.js';
import { activePods, container, finishTerminating, markReady, startHarness, type Harness } from './helpers.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.stop();
  h = undefined;
});

function deployment(name: string, replicas: number, spec: Partial<NonNullable<Deployment['spec']>> = {}): Deployment {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: 'default' },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [container] } },
      ...spec,
    },
  };
}

const dc = () => h!.cluster.context.client<Deployment>('apps/v1', 'Deployment', 'default');
const rsc = () => h!.cluster.context.client<ReplicaSet>('apps/v1', 'ReplicaSet', 'default');
const sets = async () => (await rsc().list()).items.sort((a, b) => a.metadata.name!.localeCompare(b.metadata.name!));
const rev = (o: { metadata: { annotations?: Record<string, string> } }) => o.metadata.annotations?.['deployment.kubernetes.io/revision'];

/**
 * Plays the kubelet until the rollout stops changing, checking `check` at every step. Each step
 * waits for the whole cluster to settle; the clock does not move (so no advanceUntil: a rollout
 * here must finish without time passing).
 */
async function settle(check?: () => Promise<void>): Promise<void> {
  for (let i = 0; i < 50; i++) {
    await h!.cluster.settled();
    await check?.();
    const n = await markReady(h!);
    const terminating = (await h!.cluster.context.client('v1', 'Pod', 'default').list()).items.some((p) => p.metadata.deletionTimestamp);
    await finishTerminating(h!);
    if (n === 0 && !terminating) {
      await h!.cluster.settled();
      return;
    }
  }
  throw new Error('rollout did not settle');
}

describe('Deployment controller', () => {
  it('creates a ReplicaSet named by template hash with revision 1, and scales', async () => {
    h = await startHarness([replicaSetController(), deploymentController()]);
    await dc().create(deployment('web', 3));
    await settle();
    const [rs] = await sets();
    const hash = rs.metadata.labels?.['pod-template-hash'];
    expect(hash).toMatch(/^[a-z0-9]+$/);
    expect(rs.metadata.name).toBe(`web-${hash}`);
    expect(rs.spec?.selector?.matchLabels).toEqual({ app: 'web', 'pod-template-hash': hash });
    expect(rev(rs)).toBe('1');
    const pods = await activePods(h.cluster);
    expect(pods).toHaveLength(3);
    expect(pods.every((p) => p.metadata.labels?.['pod-template-hash'] === hash)).toBe(true);
    let d = await dc().get('web');
    expect(rev(d)).toBe('1');
    expect(d.status).toMatchObject({
      replicas: 3,
      updatedReplicas: 3,
      readyReplicas: 3,
      availableReplicas: 3,
      unavailableReplicas: 0,
      observedGeneration: d.metadata.generation,
    });
    const cond = (t: string) => d.status?.conditions?.find((c) => c.type === t);
    expect(cond('Available')).toMatchObject({ status: 'True', reason: 'MinimumReplicasAvailable' });
    expect(cond('Progressing')).toMatchObject({ status: 'True', reason: 'NewReplicaSetAvailable' });

    await dc().patch('web', { spec: { replicas: 5 } });
    await settle();
    expect(await activePods(h.cluster)).toHaveLength(5);
    await dc().patch('web', { spec: { replicas: 2 } });
    await settle();
    expect(await activePods(h.cluster)).toHaveLength(2);
    d = await dc().get('web');
    expect(d.status).toMatchObject({ replicas: 2, availableReplicas: 2 });
    expect(await sets()).toHaveLength(1);
  });

  it.each([
    [{ maxSurge: 1, maxUnavailable: 0 }, 1, 0],
    [{ maxSurge: 0, maxUnavailable: 1 }, 0, 1],
    [{ maxSurge: '50%', maxUnavailable: '25%' }, 2, 1],
  ])('rolls out a new image within %j at every step, as revision 2', async (ru, surge, unavailable) => {
    h = await startHarness([replicaSetController(), deploymentController()]);
    const replicas = 4;
    await dc().create(deployment('web', replicas, { strategy: { type: 'RollingUpdate', rollingUpdate: ru } }));
    await settle();
    const d = await dc().get('web');
    await dc().update({
      ...d,
      spec: { ...d.spec!, template: { ...d.spec!.template, spec: { containers: [{ ...container, image: 'web:2' }] } } },
    });
    let steps = 0;
    await settle(async () => {
      steps++;
      const pods = await activePods(h!.cluster);
      const ready = pods.filter((p) => p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'));
      expect(pods.length).toBeLessThanOrEqual(replicas + surge);
      expect(ready.length).toBeGreaterThanOrEqual(replicas - unavailable);
    });
    expect(steps).toBeGreaterThan(1);
    const all = await sets();
    expect(all).toHaveLength(2);
    const newRS = all.find((rs) => rev(rs) === '2')!;
    const oldRS = all.find((rs) => rev(rs) === '1')!;
    expect(newRS.spec?.replicas).toBe(replicas);
    expect(oldRS.spec?.replicas).toBe(0);
    const pods = await activePods(h.cluster);
    expect(pods.map((p) => p.spec?.containers[0].image)).toEqual(Array(replicas).fill('web:2'));
    expect(rev(await dc().get('web'))).toBe('2');

    // rollback: the previous template, as `rollout undo` will apply it
    const template = templateForRevision(all);
    expect(template.spec?.containers[0].image).toBe('web:1');
    expect(template.metadata?.labels).toEqual({ app: 'web' });
    const cur = await dc().get('web');
    await dc().update({ ...cur, spec: { ...cur.spec!, template } });
    await settle();
    const after = await sets();
    expect(after).toHaveLength(2);
    const back = after.find((rs) => rs.metadata.name === oldRS.metadata.name)!;
    expect(rev(back)).toBe('3');
    expect(back.metadata.annotations?.['deployment.kubernetes.io/revision-history']).toBe('1');
    expect(back.spec?.replicas).toBe(replicas);
    expect((await activePods(h.cluster)).map((p) => p.spec?.containers[0].image)).toEqual(Array(replicas).fill('web:1'));
  });

  it('recreates: old pods are gone before new ones are created', async () => {
    h = await startHarness([replicaSetController(), deploymentController()]);
    await dc().create(deployment('db', 2, { strategy: { type: 'Recreate' } }));
    await settle();
    const d = await dc().get('db');
    await dc().update({
      ...d,
      spec: { ...d.spec!, template: { ...d.spec!.template, spec: { containers: [{ ...container, image: 'web:2' }] } } },
    });
    await settle(async () => {
      const pods = await activePods(h!.cluster);
      const images = new Set(pods.map((p) => p.spec?.containers[0].image));
      expect(images.size).toBeLessThanOrEqual(1);
    });
    const pods = await activePods(h.cluster);
    expect(pods.map((p) => p.spec?.containers[0].image)).toEqual(['web:2', 'web:2']);
  });

  it('reports ProgressDeadlineExceeded when pods never become ready', async () => {
    h = await startHarness([replicaSetController(), deploymentController()]);
    await dc().create(deployment('stuck', 2, { progressDeadlineSeconds: 60 }));
    await h.idle();
    let d = await dc().get('stuck');
    expect(d.status?.conditions?.find((c) => c.type === 'Progressing')).toMatchObject({ status: 'True' });
    await h.clock.advance(30_000);
    await h.idle();
    d = await dc().get('stuck');
    expect(d.status?.conditions?.find((c) => c.type === 'Progressing')?.status).toBe('True');
    await h.clock.advance(31_000);
    await h.idle();
    d = await dc().get('stuck');
    expect(d.status?.conditions?.find((c) => c.type === 'Progressing')).toMatchObject({
      status: 'False',
      reason: 'ProgressDeadlineExceeded',
    });
    expect(d.status?.conditions?.find((c) => c.type === 'Available')).toMatchObject({
      status: 'False',
      reason: 'MinimumReplicasUnavailable',
    });
  });

  it('does not roll out while paused but still scales; resumes', async () => {
    h = await startHarness([replicaSetController(), deploymentController()]);
    await dc().create(deployment('p', 2));
    await settle();
    let d = await dc().get('p');
    await dc().update({
      ...d,
      spec: {
        ...d.spec!,
        paused: true,
        replicas: 3,
        template: { ...d.spec!.template, spec: { containers: [{ ...container, image: 'web:2' }] } },
      },
    });
    await settle();
    expect(await sets()).toHaveLength(1);
    expect((await activePods(h.cluster)).map((p) => p.spec?.containers[0].image)).toEqual(['web:1', 'web:1', 'web:1']);
    d = await dc().get('p');
    expect(d.status?.conditions?.find((c) => c.type === 'Progressing')).toMatchObject({ status: 'Unknown', reason: 'DeploymentPaused' });
    await dc().patch('p', { spec: { paused: false } });
    await settle();
    expect((await activePods(h.cluster)).map((p) => p.spec?.containers[0].image)).toEqual(['web:2', 'web:2', 'web:2']);
  });

  it('cleans up old ReplicaSets beyond revisionHistoryLimit', async () => {
    h = await startHarness([replicaSetController(), deploymentController()]);
    await dc().create(deployment('hist', 1, { revisionHistoryLimit: 1 }));
    await settle();
    for (const image of ['web:2', 'web:3', 'web:4']) {
      const d = await dc().get('hist');
      await dc().update({ ...d, spec: { ...d.spec!, template: { ...d.spec!.template, spec: { containers: [{ ...container, image }] } } } });
      await settle();
    }
    const all = await sets();
    expect(all.map(rev).sort()).toEqual(['3', '4']);
  });
});
