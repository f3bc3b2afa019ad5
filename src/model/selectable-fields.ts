/**
 * The fields a field selector may name, per built-in kind, as Kubernetes' registries define
 * them (each kind's `ToSelectableFields` and field-label conversion): `metadata.name` and
 * `metadata.namespace` for every kind, and a few more for some. Any other field is refused with
 * Kubernetes' `field label not supported` instead of matching nothing.
 */
import type { FieldSelector } from './field-selector.js';
import { TugboatError } from './errors.js';
import { hasOwn } from './json-value.js';

const META = ['metadata.name', 'metadata.namespace'];

/** Group/Kind -> the fields beyond metadata.name and metadata.namespace. */
const EXTRA: Readonly<Record<string, readonly string[]>> = {
  '/Pod': [
    'spec.nodeName',
    'spec.restartPolicy',
    'spec.schedulerName',
    'spec.serviceAccountName',
    'spec.hostNetwork',
    'status.phase',
    'status.podIP',
    'status.podIPs',
    'status.nominatedNodeName',
  ],
  '/Node': ['spec.unschedulable'],
  '/Namespace': ['status.phase'],
  '/Secret': ['type'],
  '/Service': ['spec.clusterIP', 'spec.type'],
  '/Event': [
    'involvedObject.kind',
    'involvedObject.namespace',
    'involvedObject.name',
    'involvedObject.uid',
    'involvedObject.apiVersion',
    'involvedObject.resourceVersion',
    'involvedObject.fieldPath',
    'reason',
    'reportingComponent',
    'source',
    'type',
  ],
  'apps/ReplicaSet': ['status.replicas'],
  'batch/Job': ['status.successful'],
};

/** The fields a field selector may name for a kind (`group` '' for the core group). */
export function selectableFields(group: string, kind: string): readonly string[] {
  const key = `${group}/${kind}`;
  return hasOwn(EXTRA, key) ? [...META, ...EXTRA[key]] : META;
}

/**
 * Refuses a field selector that names a field the kind does not support, with Kubernetes'
 * BadRequest (`field label not supported: spec.bogus`).
 */
export function checkSelectableFields(group: string, kind: string, selector: FieldSelector | undefined): void {
  if (!selector) return;
  const allowed = selectableFields(group, kind);
  for (const r of selector.requirements) {
    if (!allowed.includes(r.field)) throw TugboatError.badRequest(`field label not supported: ${r.field}`);
  }
}
