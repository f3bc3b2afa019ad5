/**
 * The pod status the kubelet reports, as pure functions of what the agent knows about its
 * containers: container statuses, phase (as kubelet's getPhase), conditions and QoS class.
 */
import { rfc3339 } from '../clock/time-format.js';
import { getCondition, transitioned } from '../model/conditions.js';
import type { core, Pod } from '../model/types.js';
import { exitReason } from '../runtime-adapters/conventions.js';
import type { ContainerStatus as RuntimeContainer } from '../runtime-adapters/types.js';
import { quantityValue } from './resources.js';

/** What the agent knows about one container of a pod. */
export interface ContainerView {
  name: string;
  image: string;
  /** The current instance, as the runtime last reported it. */
  current?: RuntimeContainer;
  /** The instance before the current one (exited). */
  previous?: RuntimeContainer;
  restartCount: number;
  /** Why the container is not running (CrashLoopBackOff, ErrImagePull, ...), overriding the instance's state. */
  waiting?: { reason: string; message?: string };
  /** The readiness probe's verdict (true when there is no readiness probe). */
  probeReady: boolean;
  /** The startup probe succeeded (true when there is none). */
  started: boolean;
}

/** Everything {@link buildPodStatus} needs. */
export interface PodView {
  pod: Pod;
  runtimeName: string;
  hostIP: string;
  podIP?: string;
  startTime?: string;
  sandboxReady: boolean;
  init: ContainerView[];
  app: ContainerView[];
  /** Set once the pod is finished by the agent (e.g. DeadlineExceeded). */
  terminal?: { phase: 'Succeeded' | 'Failed'; reason?: string; message?: string };
  now: Date;
}

function terminated(c: RuntimeContainer, runtimeName: string): core.ContainerStateTerminated {
  const exitCode = c.exitCode ?? 0;
  return {
    exitCode,
    reason: c.reason ?? exitReason(exitCode),
    ...(c.startedAt ? { startedAt: rfc3339(c.startedAt) } : {}),
    ...(c.finishedAt ? { finishedAt: rfc3339(c.finishedAt) } : {}),
    containerID: `${runtimeName}://${c.id}`,
  };
}

/** The status of one container as the API shows it. */
export function containerStatus(v: ContainerView, runtimeName: string, defaultWaiting: string): core.ContainerStatus {
  const cur = v.current;
  let state: core.ContainerState;
  let last: RuntimeContainer | undefined = v.previous;
  if (v.waiting) {
    state = { waiting: { reason: v.waiting.reason, ...(v.waiting.message ? { message: v.waiting.message } : {}) } };
    if (cur?.state === 'exited') last = cur;
  } else if (cur?.state === 'running') {
    state = { running: { startedAt: rfc3339(cur.startedAt ?? cur.createdAt) } };
  } else if (cur?.state === 'exited') {
    state = { terminated: terminated(cur, runtimeName) };
  } else {
    state = { waiting: { reason: defaultWaiting } };
  }
  const running = cur?.state === 'running' && !v.waiting;
  return {
    name: v.name,
    state,
    lastState: last?.state === 'exited' ? { terminated: terminated(last, runtimeName) } : {},
    ready: running && v.started && v.probeReady,
    restartCount: v.restartCount,
    image: v.image,
    imageID: cur?.imageId ?? '',
    ...(cur ? { containerID: `${runtimeName}://${cur.id}` } : {}),
    started: running && v.started,
  };
}

/** True when an init container status shows a successful exit. */
function initDone(s: core.ContainerStatus): boolean {
  return s.state?.terminated?.exitCode === 0;
}

/** True for a native sidecar: an init container with `restartPolicy: Always`. */
export function isSidecar(c: core.Container | undefined): boolean {
  return c?.restartPolicy === 'Always';
}

/** True when a regular (app) container has run or runs (the kubelet's HasAnyRegularContainerStarted). */
function anyRegularStarted(app: core.ContainerStatus[]): boolean {
  return app.some((s) => s.state?.running || s.state?.terminated || s.lastState?.terminated);
}

/** Whether init container `i` counts as initialized: a sidecar once started, a regular one once it exited 0. */
function initInitialized(spec: core.PodSpec, s: core.ContainerStatus, i: number): boolean {
  return isSidecar(spec.initContainers?.[i]) ? s.started === true : initDone(s);
}

/**
 * The pod phase from its container statuses, as the kubelet's getPhase computes it (Kubernetes
 * 1.30, sidecars on): regular init containers gate the pod; running sidecars count as running,
 * exited ones not at all, so a Job's pod succeeds when its app containers did.
 */
export function podPhase(
  spec: core.PodSpec,
  init: core.ContainerStatus[],
  app: core.ContainerStatus[],
): 'Pending' | 'Running' | 'Succeeded' | 'Failed' {
  const policy = spec.restartPolicy ?? 'Always';
  let pendingInit = 0,
    failedInit = 0,
    unknown = 0,
    running = 0,
    waiting = 0,
    stopped = 0,
    succeeded = 0;
  const initSpecs = spec.initContainers ?? [];
  // Statuses come in the order of spec.initContainers (a missing one is pending).
  const count = Math.max(initSpecs.length, init.length);
  for (let i = 0; i < count; i++) {
    const s = init[i];
    if (isSidecar(initSpecs[i])) {
      if (!s) unknown++;
      else if (s.state?.running) {
        if (!s.started) pendingInit++;
        running++;
      } else if (s.state?.terminated || (s.state?.waiting && s.lastState?.terminated)) {
        // An exited sidecar does not count for the phase.
      } else {
        pendingInit++;
        waiting++;
      }
      continue;
    }
    if (!s) pendingInit++;
    else if (s.state?.terminated) {
      if (s.state.terminated.exitCode !== 0) failedInit++;
    } else if (s.state?.waiting && s.lastState?.terminated) {
      if (s.lastState.terminated.exitCode !== 0) failedInit++;
    } else pendingInit++;
  }
  for (const s of app) {
    if (s.state?.running) running++;
    else if (s.state?.terminated) {
      stopped++;
      if (s.state.terminated.exitCode === 0) succeeded++;
    } else if (s.lastState?.terminated) stopped++;
    else waiting++;
  }
  if (failedInit > 0 && policy === 'Never') return 'Failed';
  if ((pendingInit > 0 && !anyRegularStarted(app)) || waiting > 0) return 'Pending';
  if (running > 0 && unknown === 0) return 'Running';
  if (running === 0 && stopped > 0 && unknown === 0) {
    if (policy === 'Always') return 'Running';
    if (stopped === succeeded) return 'Succeeded';
    if (policy === 'Never') return 'Failed';
    return 'Running';
  }
  return 'Pending';
}

/** Kubernetes' QoS class of a pod: Guaranteed, Burstable or BestEffort. */
export function qosClass(spec: core.PodSpec): 'Guaranteed' | 'Burstable' | 'BestEffort' {
  const all = [...(spec.initContainers ?? []), ...(spec.containers ?? [])];
  let any = false;
  let guaranteed = true;
  for (const c of all) {
    const req = c.resources?.requests ?? {};
    const lim = c.resources?.limits ?? {};
    for (const r of ['cpu', 'memory']) {
      const rq = req[r] ?? lim[r];
      if (rq !== undefined && quantityValue(rq as string) !== 0) any = true;
      if (lim[r] !== undefined && quantityValue(lim[r] as string) !== 0) any = true;
      if (lim[r] === undefined || quantityValue((rq ?? '') as string) !== quantityValue(lim[r] as string)) guaranteed = false;
    }
  }
  if (!any) return 'BestEffort';
  return guaranteed ? 'Guaranteed' : 'Burstable';
}

const MANAGED = new Set(['PodReadyToStartContainers', 'Initialized', 'ContainersReady', 'Ready', 'PodScheduled']);

function condition(
  prev: core.PodCondition[] | undefined,
  type: string,
  ok: boolean,
  now: Date,
  reason?: string,
  message?: string,
): core.PodCondition {
  const status = ok ? 'True' : 'False';
  const next = { type, status, ...(!ok && reason ? { reason } : {}), ...(!ok && message ? { message } : {}) };
  return transitioned(getCondition(prev, type), next, rfc3339(now));
}

/** The pod status the agent reports, keeping what others own (PodScheduled, foreign conditions, nominatedNodeName). */
export function buildPodStatus(v: PodView): core.PodStatus {
  const spec = v.pod.spec ?? { containers: [] };
  const prev = v.pod.status;
  const initStatuses = v.init.map((c, i) => {
    const s = containerStatus(c, v.runtimeName, 'PodInitializing');
    // A regular init container is ready once it exited 0, as the kubelet reports it.
    return isSidecar(spec.initContainers?.[i]) ? s : { ...s, ready: initDone(s) };
  });
  const initComplete = initStatuses.every((s, i) => initInitialized(spec, s, i));
  const appStatuses = v.app.map((c) => containerStatus(c, v.runtimeName, initComplete ? 'ContainerCreating' : 'PodInitializing'));
  // Once the app containers ran, a restarting sidecar does not take the pod back to uninitialized.
  const initialized =
    initComplete || (anyRegularStarted(appStatuses) && initStatuses.every((s, i) => isSidecar(spec.initContainers?.[i]) || initDone(s)));
  const phase = v.terminal?.phase ?? podPhase(spec, initStatuses, appStatuses);
  const done = phase === 'Succeeded' || phase === 'Failed';
  // Sidecars' readiness counts for the pod's, listed first as the kubelet lists them.
  const unready = [
    ...initStatuses.filter((s, i) => isSidecar(spec.initContainers?.[i]) && !s.ready),
    ...appStatuses.filter((s) => !s.ready),
  ].map((s) => s.name);
  const gates = (spec.readinessGates ?? []).filter((g) => getCondition(prev?.conditions, g.conditionType)?.status !== 'True');
  const prevConds = prev?.conditions;
  const scheduled = getCondition(prevConds, 'PodScheduled') ?? condition(undefined, 'PodScheduled', true, v.now);
  const containersReady = done
    ? condition(prevConds, 'ContainersReady', false, v.now, 'PodCompleted')
    : condition(
        prevConds,
        'ContainersReady',
        unready.length === 0,
        v.now,
        'ContainersNotReady',
        `containers with unready status: [${unready.join(' ')}]`,
      );
  const ready = done
    ? condition(prevConds, 'Ready', false, v.now, 'PodCompleted')
    : unready.length > 0
      ? condition(prevConds, 'Ready', false, v.now, 'ContainersNotReady', `containers with unready status: [${unready.join(' ')}]`)
      : condition(
          prevConds,
          'Ready',
          gates.length === 0,
          v.now,
          'ReadinessGatesNotReady',
          `corresponding condition of pod readiness gate "${gates[0]?.conditionType}" does not exist.`,
        );
  const incomplete = v.init.filter((_, i) => !initInitialized(spec, initStatuses[i], i)).map((c) => c.name);
  const conditions: core.PodCondition[] = [
    condition(prevConds, 'PodReadyToStartContainers', v.sandboxReady, v.now),
    condition(
      prevConds,
      'Initialized',
      initialized,
      v.now,
      'ContainersNotInitialized',
      `containers with incomplete status: [${incomplete.join(' ')}]`,
    ),
    ready,
    containersReady,
    scheduled,
    ...(prevConds ?? []).filter((c) => !MANAGED.has(c.type)),
  ];
  return {
    phase,
    conditions,
    ...(v.terminal?.reason ? { reason: v.terminal.reason } : {}),
    ...(v.terminal?.message ? { message: v.terminal.message } : {}),
    hostIP: v.hostIP,
    hostIPs: [{ ip: v.hostIP }],
    ...(v.podIP ? { podIP: v.podIP, podIPs: [{ ip: v.podIP }] } : {}),
    ...(v.startTime ? { startTime: v.startTime } : {}),
    ...(initStatuses.length ? { initContainerStatuses: initStatuses } : {}),
    containerStatuses: appStatuses,
    qosClass: qosClass(spec),
    ...(prev?.nominatedNodeName ? { nominatedNodeName: prev.nominatedNodeName } : {}),
  };
}
