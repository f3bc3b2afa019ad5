/**
 * Helpers to build and read plugin {@link Status} values.
 */
import type { Status } from './types.js';

const SUCCESS: Status = Object.freeze({ code: 'Success', reasons: Object.freeze([]) as readonly string[] });

/** The Success status (shared, frozen). */
export function success(): Status {
  return SUCCESS;
}

/** The pod does not fit now, but preemption or a cluster change may help. */
export function unschedulable(...reasons: string[]): Status {
  return { code: 'Unschedulable', reasons };
}

/** The pod does not fit and preemption on this node cannot help (e.g. a selector mismatch). */
export function unresolvable(...reasons: string[]): Status {
  return { code: 'UnschedulableAndUnresolvable', reasons };
}

/** An internal error of a plugin; the pod is retried with back-off. */
export function errorStatus(message: string): Status {
  return { code: 'Error', reasons: [message] };
}

/** True when the status lets the pod through. */
export function isSuccess(status: Status): boolean {
  return status.code === 'Success';
}

/** The same status, tagged with the plugin that returned it. */
export function withPlugin(status: Status, plugin: string): Status {
  return status.plugin === plugin ? status : { ...status, plugin };
}

const SKIP: Status = Object.freeze({ code: 'Skip', reasons: Object.freeze([]) as readonly string[] });

/** The Skip status (shared, frozen): from PreFilter or PreScore, the plugin's Filter or Score is not run for this pod. */
export function skip(): Status {
  return SKIP;
}
