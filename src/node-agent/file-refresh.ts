/**
 * ConfigMap, Secret, downward API and projected volumes following their sources, as the
 * kubelet's volume manager re-runs SetUp on every pod sync: the files a running container sees
 * are recomputed and, when they changed, rewritten through the runtime's `updateFiles` (the
 * atomic `..data` swap). Mounts with a subPath never update (the kubelet bind-mounts the file
 * once). A source that went missing keeps the old files and records FailedMount.
 */
import { createHash } from 'node:crypto';
import type { core, Pod } from '../model/types.js';
import type { FilesMount, Mount } from '../runtime-adapters/types.js';
import { ContainerConfigError } from './config-error.js';
import type { ContainerRecord } from './container-record.js';
import type { RunContext } from './container-runner.js';
import { resolveMounts } from './volumes.js';

/** The mount paths of a container whose files follow their sources (file volumes without subPath). */
export function refreshablePaths(pod: Pod, container: core.Container): Set<string> {
  const volumes = new Map((pod.spec?.volumes ?? []).map((v) => [v.name, v]));
  const out = new Set<string>();
  for (const vm of container.volumeMounts ?? []) {
    const v = volumes.get(vm.name);
    if (!v || vm.subPath || vm.subPathExpr) continue;
    if (v.configMap || v.secret || v.downwardAPI || v.projected) out.add(vm.mountPath);
  }
  return out;
}

/** A digest of one files mount's content and modes (what decides whether it is rewritten). */
export function filesDigest(m: FilesMount): string {
  const h = createHash('sha256');
  for (const key of Object.keys(m.files).sort()) {
    h.update(`${key}\0${m.modes?.[key] ?? m.mode ?? 0o644}\0`);
    h.update(m.files[key]);
    h.update('\0');
  }
  return h.digest('hex');
}

/**
 * Records the files a new container instance `id` starts with on its record: the digest of each
 * refreshable files mount, and the files it was computed from.
 */
export function recordInitialFiles(rec: ContainerRecord, pod: Pod, mounts: Mount[], id: string): void {
  const paths = refreshablePaths(pod, rec.spec);
  rec.files = undefined;
  rec.digested = undefined;
  rec.filesFor = undefined;
  if (paths.size === 0) return;
  rec.files = new Map();
  rec.digested = new Map();
  rec.filesFor = id;
  for (const m of mounts) {
    if (m.kind !== 'files' || !paths.has(m.containerPath)) continue;
    rec.files.set(m.containerPath, filesDigest(m));
    rec.digested.set(m.containerPath, m.files);
  }
}

/** The pod as the downward API should see it: with the sandbox's IP before the status says so. */
export function podWithSandboxIP(pod: Pod, ip: string | undefined): Pod {
  return ip ? ({ ...pod, status: { ...(pod.status ?? {}), podIP: ip, podIPs: [{ ip }] } } as Pod) : pod;
}

/**
 * Brings a running container's refreshable files mounts up to date; a no-op for a runtime
 * without `updateFiles` or a container without such mounts.
 */
export async function refreshFiles(rc: RunContext, rec: ContainerRecord): Promise<void> {
  const { env, pod, sandbox } = rc;
  const cur = rec.current;
  const update = env.runtime.updateFiles?.bind(env.runtime);
  if (!update || cur?.state !== 'running') return;
  const paths = refreshablePaths(pod, rec.spec);
  if (paths.size === 0) return;
  const spec = { ...rec.spec, volumeMounts: (rec.spec.volumeMounts ?? []).filter((vm) => paths.has(vm.mountPath)) };
  let mounts: Mount[];
  try {
    rec.volumeFiles ??= new Map();
    mounts = await resolveMounts(podWithSandboxIP(pod, sandbox.ip), spec, env.source, env.owner.hostIP, rec.volumeFiles);
  } catch (err) {
    if (!(err instanceof ContainerConfigError)) throw err;
    // As the kubelet: the files stay as they were; the failure is an event (once per message).
    if (rec.refreshError !== err.message) env.record(pod, 'Warning', 'FailedMount', err.message);
    rec.refreshError = err.message;
    return;
  }
  let failed = false;
  const same = rec.filesFor === cur.id;
  const digests = (same && rec.files) || new Map<string, string>();
  const digested = (same && rec.digested) || new Map<string, Record<string, Uint8Array>>();
  for (const m of mounts) {
    if (m.kind !== 'files') continue;
    // Files built from unchanged sources are the very object digested last time (volumes.ts).
    if (digested.get(m.containerPath) === m.files && digests.has(m.containerPath)) continue;
    const digest = filesDigest(m);
    if (digests.get(m.containerPath) === digest) {
      digested.set(m.containerPath, m.files);
      continue;
    }
    try {
      await env.limit(() => update(cur.id, m));
      digests.set(m.containerPath, digest);
      digested.set(m.containerPath, m.files);
    } catch (err) {
      // Tried again on the next sync (the digest is not recorded); the pod's status is still written.
      const message = `MountVolume.SetUp failed for volume "${m.volume}" : ${err instanceof Error ? err.message : String(err)}`;
      if (rec.refreshError !== message) env.record(pod, 'Warning', 'FailedMount', message);
      rec.refreshError = message;
      failed = true;
    }
  }
  if (!failed) rec.refreshError = undefined;
  rec.files = digests;
  rec.digested = digested;
  rec.filesFor = cur.id;
}
