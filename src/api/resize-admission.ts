import type { PersistentVolumeClaim, StorageClass } from '../model/types.js';
import { TugboatError } from '../model/errors.js';
import { parseQuantity } from '../model/quantity.js';
import type { ResourceClient } from '../client/types.js';
import type { AdmissionPlugin } from './admission.js';

/**
 * Kubernetes' PersistentVolumeClaimResize admission plugin: a bound claim may ask for more
 * storage only when it was dynamically provisioned by a StorageClass with
 * `allowVolumeExpansion: true`; otherwise the update is Forbidden with Kubernetes' message.
 */
export function persistentVolumeClaimResizeAdmission(classes: () => ResourceClient<StorageClass>): AdmissionPlugin {
  return {
    name: 'PersistentVolumeClaimResize',
    async validate(request) {
      if (
        request.operation !== 'UPDATE' ||
        request.subresource ||
        request.type.group !== '' ||
        request.type.kind !== 'PersistentVolumeClaim'
      )
        return;
      const pvc = request.object as PersistentVolumeClaim;
      const old = request.oldObject as PersistentVolumeClaim | undefined;
      if (!old || old.status?.phase !== 'Bound') return;
      const size = (c: PersistentVolumeClaim) => c.spec?.resources?.requests?.storage;
      const next = size(pvc);
      const prev = size(old);
      if (next === undefined || prev === undefined || parseQuantity(next).cmp(prev) <= 0) return;
      const className = old.spec?.storageClassName;
      const sc = className ? await classes().find(className) : undefined;
      if (sc?.allowVolumeExpansion === true) return;
      throw TugboatError.forbidden(
        `persistentvolumeclaims "${pvc.metadata.name}" is forbidden: only dynamically provisioned pvc can be resized and the storageclass that provisions the pvc must support resize`,
        { kind: 'persistentvolumeclaims', name: pvc.metadata.name ?? '' },
      );
    },
  };
}
