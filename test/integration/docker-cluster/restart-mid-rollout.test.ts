/**
 * SIGKILL of a control-plane process in the middle of a rolling update on Docker, on SQLite and on
 * etcd: a new process on the same store resumes the cluster's runtime identity, adopts the running
 * containers, and the rollout completes with the right replica count, no duplicate and no orphaned
 * container, and no object lost (same uids).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { Cluster } from '../../../src/cluster/cluster.js';
import { DockerRuntime } from '../../../src/runtime-adapters/docker/index.js';
import { RuntimeInstance } from '../../../src/runtime-adapters/instance.js';
import type { KubeObject } from '../../../src/model/types.js';
import { TEST_IMAGE_2, dockerForTests, testClusterName } from '../../support/docker.js';
import { appContainers, clusterLeftovers, eventually, podReady, podsOf, removeLeftovers } from '../../support/docker-cluster.js';
import { SHARED_ETCD, etcdForTests, uniquePrefix } from '../../support/etcd.js';
import { openDurableStore } from './fixtures/durable-store.js';

const docker = await dockerForTests();
const etcd = docker && (await etcdForTests());
const here = path.dirname(fileURLToPath(import.meta.url));
const fixture = path.join(here, 'fixtures', 'rolling-then-killed.ts');
const dir = mkdtempSync(path.join(tmpdir(), 'tugboat-restart-'));
const names: string[] = [];
afterAll(async () => {
  for (const n of names) await removeLeftovers(n);
  rmSync(dir, { recursive: true, force: true });
});

/** Runs the fixture until it prints ROLLING, then SIGKILLs it. */
async function killMidRollout(spec: string, name: string): Promise<void> {
  const child = spawn(process.execPath, ['--import', 'tsx', fixture, spec, name], {
    cwd: path.resolve(here, '../../..'),
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
  const seen: string[] = [];
  let instance: RuntimeInstance | undefined;
  for await (const line of createInterface({ input: child.stdout })) {
    seen.push(line);
    if (line.startsWith('READY ')) instance = RuntimeInstance.create(name, { id: line.slice('READY '.length) });
    if (line === 'ROLLING') {
      // Other test files on this daemon sweep gone owners' containers whenever a cluster of theirs
      // starts: take the instance's record over first (as a supervisor restarting the control plane
      // at once would), so the moment between kill and restart is not one of a gone owner.
      await instance?.acquire();
      child.kill('SIGKILL');
    }
  }
  expect(seen.map((l) => l.split(' ')[0])).toEqual(['READY', 'ROLLING']);
  expect(await exited).toBe('SIGKILL');
}

/** uid of every object of the kinds a rollout touches, by `kind/namespace/name`. */
async function uids(cluster: Cluster): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const [apiVersion, kind] of [
    ['apps/v1', 'Deployment'],
    ['apps/v1', 'ReplicaSet'],
    ['v1', 'Namespace'],
  ]) {
    for (const o of (await cluster.client<KubeObject>(apiVersion, kind, kind === 'Namespace' ? undefined : 'default').list()).items) {
      out.set(`${kind}/${o.metadata.name}`, o.metadata.uid ?? '');
    }
  }
  return out;
}

async function restartAndCheck(spec: string, tag: string): Promise<void> {
  const name = testClusterName(`restart-${tag}`);
  names.push(name);
  await removeLeftovers(name);
  await killMidRollout(spec, name);
  const peek = openDurableStore(spec);
  const before = await appContainers(name);
  expect(before.filter((c) => c.state === 'running').length).toBeGreaterThanOrEqual(3);
  await peek.close();

  const cluster = await Cluster.start({ name, store: openDurableStore(spec), nodes: [{ name: 'node-1', runtime: new DockerRuntime() }] });
  try {
    const kept = await uids(cluster);
    expect(kept.get('Deployment/web')).toBeTruthy();
    await cluster.rollout('default', 'web').status({ timeoutMs: 120_000 });
    // No object lost: every object of before the restart is there with its uid.
    const after = await uids(cluster);
    for (const [key, uid] of kept) expect(after.get(key), key).toBe(uid);
    // The right replicas, all of the new image and Ready; exactly one running container each.
    const pods = await podsOf(cluster, 'web');
    expect(pods).toHaveLength(3);
    expect(pods.every((p) => p.spec?.containers[0].image === TEST_IMAGE_2 && podReady(p))).toBe(true);
    const live = new Set(pods.map((p) => p.metadata.uid));
    await eventually(async () => {
      const containers = await appContainers(name);
      return containers.length === 3 && containers.every((c) => live.has(c.podUid) && c.state === 'running');
    }, 'exactly one running container per pod, none of a pod the store does not have');
    const final = await appContainers(name);
    expect(final.map((c) => c.podUid).sort()).toEqual([...live].sort());
    // Adopted, not swept: a pod that ran before the kill runs in the very same container.
    const ranBefore = new Map(before.filter((c) => c.state === 'running').map((c) => [c.podUid, c.id]));
    const survivors = final.filter((c) => ranBefore.has(c.podUid));
    expect(survivors.length, 'the updated pod Ready before the kill is still there').toBeGreaterThanOrEqual(1);
    for (const c of survivors) expect(c.id, c.podName).toBe(ranBefore.get(c.podUid));
    expect(pods.every((p) => p.status?.containerStatuses?.[0]?.restartCount === 0)).toBe(true);
  } finally {
    await cluster.stop();
  }
  expect(await clusterLeftovers(name)).toEqual([]);
}

describe.skipIf(!docker)('a control plane SIGKILLed in the middle of a rolling update', { timeout: 300_000 }, () => {
  it('resumes on its SQLite file: the rollout completes, nothing duplicated, orphaned or lost', async () => {
    await restartAndCheck(`sqlite:${path.join(dir, 'state.db')}`, 'sqlite');
  });

  it.runIf(etcd)('resumes on its etcd prefix: the rollout completes, nothing duplicated, orphaned or lost', async () => {
    await restartAndCheck(`etcd:${SHARED_ETCD}@${uniquePrefix('restart')}`, 'etcd');
  });
});
