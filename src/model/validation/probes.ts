/** Validation of probes and lifecycle handlers: exactly one handler, sane numbers. */
import type { core, StatusCause } from '../types.js';
import { forbidden, invalid, notSupported, required } from './field-errors.js';
import { isObject, validateNonNegative, validatePortNumOrName, validatePortNumber } from './common.js';

const HANDLERS = ['exec', 'httpGet', 'tcpSocket', 'grpc'] as const;

function validateHandler(h: Record<string, unknown>, field: string, allowed: readonly string[]): StatusCause[] {
  const causes: StatusCause[] = [];
  const present = allowed.filter((k) => h[k] !== undefined && h[k] !== null);
  if (present.length === 0) return [required(field, 'must specify a handler type')];
  if (present.length > 1) causes.push(forbidden(`${field}.${present[1]}`, 'may not specify more than 1 handler type'));
  const httpGet = h.httpGet as core.HTTPGetAction | undefined;
  if (httpGet) {
    if (httpGet.port === undefined) causes.push(required(`${field}.httpGet.port`));
    else causes.push(...validatePortNumOrName(httpGet.port, `${field}.httpGet.port`));
    if (httpGet.scheme && httpGet.scheme !== 'HTTP' && httpGet.scheme !== 'HTTPS') {
      causes.push(notSupported(`${field}.httpGet.scheme`, httpGet.scheme, ['HTTP', 'HTTPS']));
    }
  }
  const tcp = h.tcpSocket as core.TCPSocketAction | undefined;
  if (tcp) {
    if (tcp.port === undefined) causes.push(required(`${field}.tcpSocket.port`));
    else causes.push(...validatePortNumOrName(tcp.port, `${field}.tcpSocket.port`));
  }
  const exec = h.exec as core.ExecAction | undefined;
  if (exec && (!Array.isArray(exec.command) || exec.command.length === 0)) causes.push(required(`${field}.exec.command`));
  const grpc = h.grpc as core.GRPCAction | undefined;
  if (grpc) causes.push(...validatePortNumber(grpc.port, `${field}.grpc.port`));
  return causes;
}

/**
 * Checks a probe at `field`. Liveness and startup probes must have successThreshold 1
 * (`mustSucceedOnce`).
 */
export function validateProbe(probe: unknown, field: string, mustSucceedOnce: boolean): StatusCause[] {
  if (probe === undefined || probe === null) return [];
  if (!isObject(probe)) return [invalid(field, probe, 'must be an object')];
  const p = probe as core.Probe;
  const causes = validateHandler(probe, field, HANDLERS);
  causes.push(...validateNonNegative(p.initialDelaySeconds, `${field}.initialDelaySeconds`));
  for (const k of ['timeoutSeconds', 'periodSeconds', 'successThreshold', 'failureThreshold'] as const) {
    const v = p[k];
    if (v !== undefined && (typeof v !== 'number' || !Number.isInteger(v) || v < 1)) {
      causes.push(invalid(`${field}.${k}`, v, 'must be greater than or equal to 1'));
    }
  }
  if (mustSucceedOnce && p.successThreshold !== undefined && p.successThreshold !== 1) {
    causes.push(invalid(`${field}.successThreshold`, p.successThreshold, 'must be 1'));
  }
  if (p.terminationGracePeriodSeconds !== undefined && !(p.terminationGracePeriodSeconds > 0)) {
    causes.push(invalid(`${field}.terminationGracePeriodSeconds`, p.terminationGracePeriodSeconds, 'must be greater than 0'));
  }
  return causes;
}

/**
 * Checks a sleep action at `field` as Kubernetes 1.30 does (PodLifecycleSleepAction, without
 * PodLifecycleSleepActionAllowZero): seconds must be an integer greater than 0 and no more than
 * the pod's terminationGracePeriodSeconds.
 */
function validateSleep(sleep: unknown, field: string, gracePeriodSeconds: number): StatusCause[] {
  if (!isObject(sleep)) return [invalid(field, sleep, 'must be an object')];
  const seconds = sleep.seconds;
  if (seconds === undefined || seconds === null) return [required(`${field}.seconds`)];
  if (typeof seconds !== 'number' || !Number.isInteger(seconds) || seconds <= 0 || seconds > gracePeriodSeconds) {
    return [
      invalid(`${field}.seconds`, seconds, `must be greater than 0 and less than terminationGracePeriodSeconds (${gracePeriodSeconds})`),
    ];
  }
  return [];
}

/**
 * Checks lifecycle hooks (postStart/preStop) at `field`; a sleep action is bounded by the pod's
 * `gracePeriodSeconds` (terminationGracePeriodSeconds, 30 when unset).
 */
export function validateLifecycle(lifecycle: unknown, field: string, gracePeriodSeconds = 30): StatusCause[] {
  if (lifecycle === undefined || lifecycle === null) return [];
  if (!isObject(lifecycle)) return [invalid(field, lifecycle, 'must be an object')];
  const causes: StatusCause[] = [];
  for (const hook of ['postStart', 'preStop'] as const) {
    const h = lifecycle[hook];
    if (h === undefined || h === null) continue;
    if (!isObject(h)) causes.push(invalid(`${field}.${hook}`, h, 'must be an object'));
    else {
      causes.push(...validateHandler(h, `${field}.${hook}`, ['exec', 'httpGet', 'tcpSocket', 'sleep']));
      if (h.sleep !== undefined && h.sleep !== null) causes.push(...validateSleep(h.sleep, `${field}.${hook}.sleep`, gracePeriodSeconds));
    }
  }
  return causes;
}
