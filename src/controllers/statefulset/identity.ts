/**
 * A StatefulSet pod's identity and storage (newStatefulSetPod, updateIdentity, updateStorage,
 * identityMatches, storageMatches): its stable name, the pod-name and pod-index labels, its
 * hostname and subdomain (the governing Service), and one volume per claim template naming
 * that ordinal's claim. Pure.
 */
import type { Pod, StatefulSet, core } from '../../model/types.js';
import { CONTROLLER_REVISION_HASH_LABEL } from '../../model/well-known.js';
import { podFromTemplate } from '../util/pod-template.js';
import { claimName, parentAndOrdinal, POD_INDEX_LABEL, podName, STATEFULSET_POD_NAME_LABEL, statefulSetOwnerRef } from './names.js';

/** The volumes the pod of `ordinal` gets for the set's claim templates (replacing template volumes of the same name). */
export function claimVolumes(set: StatefulSet, ordinal: number): core.Volume[] {
  return (set.spec?.volumeClaimTemplates ?? []).map((t) => ({
    name: t.metadata?.name ?? '',
    persistentVolumeClaim: { claimName: claimName(set, t, ordinal) },
  }));
}

/** The pod's volumes with the claim volumes put in (updateStorage). */
function withStorage(set: StatefulSet, ordinal: number, volumes: readonly core.Volume[] | undefined): core.Volume[] {
  const claims = claimVolumes(set, ordinal);
  const names = new Set(claims.map((v) => v.name));
  return [...claims, ...(volumes ?? []).filter((v) => !names.has(v.name))];
}

/**
 * The pod of `ordinal` the set creates from `template` (newStatefulSetPod; the set's own by
 * default, or an older revision's), labelled with the revision `revision` it was made from.
 */
export function newStatefulSetPod(set: StatefulSet, ordinal: number, revision: string, template = set.spec?.template): Pod {
  const name = podName(set, ordinal);
  const pod = podFromTemplate(template, set, { name, ownerRef: statefulSetOwnerRef(set) });
  const spec = { ...(pod.spec ?? { containers: [] }) } as core.PodSpec;
  spec.hostname = name;
  if (set.spec?.serviceName) spec.subdomain = set.spec.serviceName;
  const volumes = withStorage(set, ordinal, spec.volumes);
  if (volumes.length > 0) spec.volumes = volumes;
  return {
    ...pod,
    metadata: {
      ...pod.metadata,
      labels: {
        ...(pod.metadata.labels ?? {}),
        [STATEFULSET_POD_NAME_LABEL]: name,
        [POD_INDEX_LABEL]: String(ordinal),
        [CONTROLLER_REVISION_HASH_LABEL]: revision,
      },
    },
    spec,
  };
}

/** True when the pod's name, namespace and pod-name label are its ordinal's (identityMatches). */
export function identityMatches(set: StatefulSet, pod: Pod): boolean {
  const { parent, ordinal } = parentAndOrdinal(pod.metadata.name);
  return (
    ordinal >= 0 &&
    parent === set.metadata.name &&
    pod.metadata.namespace === set.metadata.namespace &&
    pod.metadata.labels?.[STATEFULSET_POD_NAME_LABEL] === pod.metadata.name
  );
}

/** True when every claim template's volume of the pod names its ordinal's claim (storageMatches). */
export function storageMatches(set: StatefulSet, pod: Pod): boolean {
  const { ordinal } = parentAndOrdinal(pod.metadata.name);
  if (ordinal < 0) return false;
  const volumes = new Map((pod.spec?.volumes ?? []).map((v) => [v.name, v]));
  return claimVolumes(set, ordinal).every(
    (want) => volumes.get(want.name)?.persistentVolumeClaim?.claimName === want.persistentVolumeClaim?.claimName,
  );
}

/** The labels patch that restores a pod's identity labels (updateIdentity; a pod's volumes cannot change). */
export function identityLabels(pod: Pod): Record<string, string> {
  const { ordinal } = parentAndOrdinal(pod.metadata.name);
  return { [STATEFULSET_POD_NAME_LABEL]: pod.metadata.name ?? '', [POD_INDEX_LABEL]: String(ordinal) };
}

/** The revision a pod was made from (its controller-revision-hash label). */
export function podRevision(pod: Pod): string | undefined {
  return pod.metadata.labels?.[CONTROLLER_REVISION_HASH_LABEL];
}
