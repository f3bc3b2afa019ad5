/**
 * The pod a Job creates from its template: the generated selector's labels, the tracking
 * finalizer, the controller reference and, for Indexed Jobs, the completion index (annotation,
 * label, JOB_COMPLETION_INDEX and hostname `<job>-<index>`).
 */
import type { core, Job, Pod } from '../../model/types.js';
import { cloneJson } from '../../model/clone.js';
import { controllerRef } from '../util/controller-ref.js';
import { failureCountAnnotations, type IndexFailureCounts } from './per-index.js';
import { generatedLabels, generatesSelector, JOB_COMPLETION_INDEX, JOB_COMPLETION_INDEX_ENV, JOB_TRACKING_FINALIZER } from './names.js';

function withIndexEnv(c: core.Container): core.Container {
  if ((c.env ?? []).some((e) => e.name === JOB_COMPLETION_INDEX_ENV)) return c;
  const env = { name: JOB_COMPLETION_INDEX_ENV, valueFrom: { fieldRef: { fieldPath: `metadata.labels['${JOB_COMPLETION_INDEX}']` } } };
  return { ...c, env: [...(c.env ?? []), env] };
}

/**
 * The pod of a Job, for completion index `index` when the Job is Indexed; with
 * backoffLimitPerIndex, `counts` are the index's earlier failures (annotated on the pod).
 */
export function podForJob(job: Job, index?: number, counts?: IndexFailureCounts): Pod {
  const t = cloneJson(job.spec?.template ?? {}) as core.PodTemplateSpec;
  const labels: Record<string, string> = { ...(t.metadata?.labels ?? {}) };
  if (generatesSelector(job)) for (const [k, v] of Object.entries(generatedLabels(job))) labels[k] ??= v;
  const annotations: Record<string, string> = { ...(t.metadata?.annotations ?? {}) };
  const finalizers = [...(t.metadata?.finalizers ?? [])];
  if (!finalizers.includes(JOB_TRACKING_FINALIZER)) finalizers.push(JOB_TRACKING_FINALIZER);
  let spec = (t.spec ?? { containers: [] }) as core.PodSpec;
  const name = job.metadata.name ?? '';
  let generateName = `${name}-`;
  if (index !== undefined) {
    annotations[JOB_COMPLETION_INDEX] = String(index);
    labels[JOB_COMPLETION_INDEX] = String(index);
    spec = {
      ...spec,
      hostname: `${name}-${index}`,
      containers: spec.containers.map(withIndexEnv),
      ...(spec.initContainers ? { initContainers: spec.initContainers.map(withIndexEnv) } : {}),
    };
    generateName = `${name}-${index}-`;
    if (counts) Object.assign(annotations, failureCountAnnotations(counts));
  }
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      generateName,
      namespace: job.metadata.namespace,
      labels,
      ...(Object.keys(annotations).length > 0 ? { annotations } : {}),
      finalizers,
      ownerReferences: [controllerRef(job)],
    },
    spec,
  };
}
