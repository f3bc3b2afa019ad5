/**
 * Kubernetes' defaulting of pod specs, containers and probes (SetDefaults_PodSpec and friends).
 * Every function fills only what is unset, so defaulting twice equals defaulting once.
 */
import type { core } from '../types.js';
import { TAINT_NODE_NOT_READY, TAINT_NODE_UNREACHABLE } from '../well-known.js';

/** Options for defaulting a pod spec. */
export interface PodSpecDefaultOptions {
  /** Default restartPolicy to Always (true for pods and workload templates, false for Job templates). */
  defaultRestartPolicy?: boolean;
}

/**
 * The pull policy Kubernetes picks for an image: Always for `:latest` or an untagged,
 * undigested reference, IfNotPresent otherwise.
 */
export function defaultPullPolicy(image: string | undefined): 'Always' | 'IfNotPresent' {
  if (!image) return 'Always';
  const at = image.indexOf('@');
  const named = at >= 0 ? image.slice(0, at) : image;
  const lastPart = named.slice(named.lastIndexOf('/') + 1);
  const colon = lastPart.lastIndexOf(':');
  const tag = colon >= 0 ? lastPart.slice(colon + 1) : '';
  if (tag === 'latest') return 'Always';
  if (tag === '' && at < 0) return 'Always';
  return 'IfNotPresent';
}

/** Fills a probe's defaults: timeoutSeconds 1, periodSeconds 10, thresholds 1/3, httpGet path '/' and scheme HTTP. */
export function defaultProbe(probe: core.Probe | undefined): void {
  if (!probe) return;
  probe.timeoutSeconds ??= 1;
  probe.periodSeconds ??= 10;
  probe.successThreshold ??= 1;
  probe.failureThreshold ??= 3;
  if (probe.httpGet) {
    probe.httpGet.path ||= '/';
    probe.httpGet.scheme ||= 'HTTP';
  }
}

function defaultHandler(handler: core.LifecycleHandler | undefined): void {
  if (handler?.httpGet) {
    handler.httpGet.path ||= '/';
    handler.httpGet.scheme ||= 'HTTP';
  }
}

/** Fills a container's defaults (pull policy, termination message, port protocols, probes, env field refs). */
export function defaultContainer(c: core.Container, hostNetwork = false): void {
  c.imagePullPolicy ||= defaultPullPolicy(c.image);
  c.terminationMessagePath ||= '/dev/termination-log';
  c.terminationMessagePolicy ||= 'File';
  c.resources ??= {};
  for (const p of c.ports ?? []) {
    p.protocol ||= 'TCP';
    if (hostNetwork && p.hostPort === undefined) p.hostPort = p.containerPort;
  }
  for (const e of c.env ?? []) {
    if (e.valueFrom?.fieldRef) e.valueFrom.fieldRef.apiVersion ||= 'v1';
  }
  defaultProbe(c.livenessProbe);
  defaultProbe(c.readinessProbe);
  defaultProbe(c.startupProbe);
  defaultHandler(c.lifecycle?.postStart);
  defaultHandler(c.lifecycle?.preStop);
}

function defaultVolume(v: core.Volume): void {
  if (v.secret) v.secret.defaultMode ??= 0o644;
  if (v.configMap) v.configMap.defaultMode ??= 0o644;
  if (v.downwardAPI) v.downwardAPI.defaultMode ??= 0o644;
  if (v.projected) v.projected.defaultMode ??= 0o644;
  if (v.hostPath) v.hostPath.type ??= '';
}

/** Fills a PodSpec's defaults as Kubernetes does (restartPolicy, dnsPolicy, scheduler, grace period, containers, volumes). */
export function defaultPodSpec(spec: core.PodSpec | undefined, opts: PodSpecDefaultOptions = {}): void {
  if (!spec) return;
  if (opts.defaultRestartPolicy !== false) spec.restartPolicy ||= 'Always';
  spec.dnsPolicy ||= 'ClusterFirst';
  spec.schedulerName ||= 'default-scheduler';
  spec.terminationGracePeriodSeconds ??= 30;
  spec.securityContext ??= {};
  spec.enableServiceLinks ??= true;
  for (const c of spec.initContainers ?? []) defaultContainer(c, spec.hostNetwork === true);
  for (const c of spec.containers ?? []) defaultContainer(c, spec.hostNetwork === true);
  for (const v of spec.volumes ?? []) defaultVolume(v);
}

/** Fills a pod template's defaults: metadata present, spec defaulted. */
export function defaultPodTemplate(template: core.PodTemplateSpec | undefined, opts: PodSpecDefaultOptions = {}): void {
  if (!template) return;
  template.metadata ??= {};
  defaultPodSpec(template.spec, opts);
}

/** How long a pod tolerates a not-ready or unreachable node by default (Kubernetes' 300 s). */
export const DEFAULT_NODE_TOLERATION_SECONDS = 300;

/**
 * Adds the tolerations of Kubernetes' DefaultTolerationSeconds admission plugin: a pod that does
 * not tolerate the node.kubernetes.io/not-ready (or unreachable) NoExecute taint gets a
 * toleration of it for 300 s, so its pods leave a lost node after five minutes, not at once.
 */
export function defaultNodeTolerations(spec: core.PodSpec | undefined): void {
  if (!spec) return;
  for (const key of [TAINT_NODE_NOT_READY, TAINT_NODE_UNREACHABLE]) {
    const tolerated = (spec.tolerations ?? []).some((t) => (!t.key || t.key === key) && (!t.effect || t.effect === 'NoExecute'));
    if (!tolerated)
      (spec.tolerations ??= []).push({ key, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: DEFAULT_NODE_TOLERATION_SECONDS });
  }
}

/**
 * Fills a Pod's defaults: its spec, the default not-ready/unreachable tolerations, and container
 * requests copied from limits where only limits are set (done for Pods only, as in Kubernetes,
 * not for templates).
 */
export function defaultPod(pod: { spec?: core.PodSpec }): void {
  defaultPodSpec(pod.spec);
  defaultNodeTolerations(pod.spec);
  for (const c of [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])]) {
    const limits = c.resources?.limits;
    if (!limits || !c.resources) continue;
    for (const [name, q] of Object.entries(limits)) {
      c.resources.requests ??= {};
      if (c.resources.requests[name] === undefined) c.resources.requests[name] = q;
    }
  }
}
