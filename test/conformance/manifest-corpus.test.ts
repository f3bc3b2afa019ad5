/**
 * Every file of the manifest corpus (test/support/manifest-corpus.ts says where it is) applied one
 * at a time to a fresh mock cluster (one node, MockRuntime on a FakeClock), checked against
 * Kubernetes 1.30: a file is rejected exactly when the table below says, for the reason it says
 * (one Kubernetes 1.30 gives, or a gap of tugboat's named as such); nothing crashes; the pods of
 * the workloads it accepts run (Running, or Succeeded for run-to-completion pods) unless they wait
 * for what Kubernetes' kubelet would wait for too (a ConfigMap, Secret or claim that is not there).
 * Prints the summary by kind and outcome.
 */
import { describe, expect, it } from 'vitest';
import { startMockCluster } from '../../src/testing/mock-cluster.js';
import { TugboatError } from '../../src/model/errors.js';
import type { core, Pod } from '../../src/model/types.js';
import { decodeManifests } from '../../src/api/manifest.js';
import { manifestCorpus } from '../support/manifest-corpus.js';
import { EXPECTED_REJECTIONS, rejectionReason } from './manifest-corpus.table.js';

const corpus = manifestCorpus();

/** The kind of each document of a file, for the summary (`?` when the file does not decode). */
function kindsOf(text: string): string[] {
  try {
    return decodeManifests(text).map((o) => o.kind);
  } catch {
    return ['(invalid YAML)'];
  }
}

/** The pod templates (or pod specs) of a decoded document: Pod, workloads, CronJob's job template. */
function podSpecsOf(doc: any): core.PodSpec[] {
  if (doc?.kind === 'Pod') return doc.spec ? [doc.spec] : [];
  const spec = doc?.spec?.jobTemplate?.spec?.template?.spec ?? doc?.spec?.template?.spec;
  return spec ? [spec] : [];
}

/**
 * Images the file runs only as regular init containers. An init container does its work and
 * exits, so the mock runs these images for a second and exits 0; an image a file also runs as an
 * app container or a sidecar keeps the mock's default (runs until stopped).
 */
function initOnlyImages(text: string): string[] {
  let docs: unknown[];
  try {
    docs = decodeManifests(text);
  } catch {
    return [];
  }
  const init = new Set<string>();
  const long = new Set<string>();
  for (const spec of docs.flatMap(podSpecsOf)) {
    for (const c of spec.initContainers ?? []) (c.restartPolicy === 'Always' ? long : init).add(c.image ?? '');
    for (const c of spec.containers ?? []) long.add(c.image ?? '');
  }
  return [...init].filter((image) => image && !long.has(image));
}

/** The first init container the pod waits for: not exited 0, or a sidecar not started. */
function blockingInit(pod: Pod): core.Container | undefined {
  const statuses = pod.status?.initContainerStatuses ?? [];
  return (pod.spec?.initContainers ?? []).find((c, i) =>
    c.restartPolicy === 'Always' ? statuses[i]?.started !== true : statuses[i]?.state?.terminated?.exitCode !== 0,
  );
}

describe.skipIf(!corpus)('the manifest corpus on a mock cluster, as on Kubernetes 1.30', () => {
  it('accepts and rejects each file as Kubernetes does, and runs the pods of what it accepts', { timeout: 240_000 }, async () => {
    const files = corpus ?? [];
    const summary = new Map<string, number>();
    const count = (kind: string, outcome: string) => summary.set(`${kind}\t${outcome}`, (summary.get(`${kind}\t${outcome}`) ?? 0) + 1);
    const wrong: string[] = [];
    const pods = { running: 0, succeeded: 0, waiting: 0, unschedulable: 0, initializing: 0, sidecars: 0, stuck: [] as string[] };
    for (const file of files) {
      const m = await startMockCluster({ nodes: 1 });
      for (const image of initOnlyImages(file.text)) m.runtime.image(image, { exitAfterMs: 1000, exitCode: 0 });
      try {
        const kinds = kindsOf(file.text);
        let reason: string | undefined;
        try {
          await m.cluster.apply(file.text);
        } catch (err) {
          if (!TugboatError.is(err)) throw new Error(`${file.name}: crashed: ${(err as Error).stack}`);
          reason = rejectionReason(err);
        }
        const expected = EXPECTED_REJECTIONS[file.name];
        if (expected?.reason !== reason) {
          wrong.push(
            `${file.name}: ${reason ? `rejected (${reason})` : 'accepted'}, expected ${expected ? `rejected (${expected.reason})` : 'accepted'}`,
          );
        }
        for (const kind of kinds) count(kind, reason ? `rejected: ${reason}` : 'accepted');
        if (reason) continue;
        // Let controllers, the scheduler and the node agent run: 30 s of fake time.
        await m.advance(30_000, { stepMs: 5_000 });
        for (const pod of (await m.cluster.pods('').list()).items as Pod[]) {
          const phase = pod.status?.phase;
          if (phase === 'Running' && pod.spec?.initContainers?.some((c) => c.restartPolicy === 'Always')) pods.sidecars++;
          if (phase === 'Running') pods.running++;
          else if (phase === 'Succeeded') pods.succeeded++;
          else {
            const waiting = [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])]
              .map((s) => s.state?.waiting?.reason)
              .find(Boolean);
            const events = await m.cluster.events.list(pod.metadata.namespace);
            const why = events.find((e) => e.involvedObject?.name === pod.metadata.name && e.type === 'Warning')?.message ?? '';
            const scheduled = pod.status?.conditions?.find((c) => c.type === 'PodScheduled');
            // Waiting for a volume source or config that is not there, as the kubelet waits.
            if (/not found|unbound|persistentvolumeclaim/i.test(why) || waiting === 'CreateContainerConfigError') pods.waiting++;
            // No node fits (GPUs, TPUs, zones, node labels a one-node mock cluster lacks), or bound to a node that is not
            // there: Kubernetes' scheduler and kubelet leave these Pending too.
            else if (scheduled?.status === 'False' || (pod.spec?.nodeName && !(await m.cluster.nodes().find(pod.spec.nodeName))))
              pods.unschedulable++;
            // A regular init container whose image the file also runs as an app container (the mock runs it until
            // stopped); never a native sidecar.
            else if (waiting === 'PodInitializing' && blockingInit(pod)?.restartPolicy !== 'Always') pods.initializing++;
            else pods.stuck.push(`${file.name}: pod ${pod.metadata.name} ${phase} ${waiting ?? ''} ${why}`.trim());
          }
        }
      } finally {
        await m.stop();
      }
    }
    const rows = [...summary.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([k, n]) => `${k}\t${n}`);
    console.log(`[manifest corpus] ${files.length} files\nkind\toutcome\tdocuments\n${rows.join('\n')}`);
    console.log(
      `[manifest corpus] pods: ${pods.running} Running, ${pods.succeeded} Succeeded, ${pods.waiting} waiting for a missing ConfigMap/Secret/claim, ` +
        `${pods.unschedulable} unschedulable on one mock node, ${pods.initializing} in regular init containers of an app image the mock runs forever, ` +
        `${pods.sidecars} with native sidecars running, ${pods.stuck.length} otherwise not running`,
    );
    expect(wrong).toEqual([]);
    expect(pods.stuck).toEqual([]);
    expect(files.length).toBeGreaterThan(0);
    expect(pods.running).toBeGreaterThan(0);
  });
});
