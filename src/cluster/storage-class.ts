/**
 * The default StorageClass a cluster ships, as kind and minikube do: `standard`, annotated
 * default, served by the local provisioner (Immediate binding, reclaimPolicy Delete).
 */
import type { ApiContext } from '../client/types.js';
import type { StorageClass } from '../model/types.js';
import { TugboatError } from '../model/errors.js';
import { DEFAULT_STORAGE_CLASS_ANNOTATION, type VolumeProvider } from '../cloud-providers/types.js';
import { LOCAL_PROVISIONER } from '../cloud-providers/local/local-volumes.js';

/** The name of the default StorageClass. */
export const STANDARD_STORAGE_CLASS = 'standard';

/** Creates `standard` when the volumes in use are local ones and the class is missing. */
export async function ensureStandardStorageClass(ctx: ApiContext, volumes: VolumeProvider): Promise<void> {
  if (!volumes.provisioners.includes(LOCAL_PROVISIONER)) return;
  const classes = ctx.client<StorageClass>('storage.k8s.io/v1', 'StorageClass');
  if (await classes.find(STANDARD_STORAGE_CLASS)) return;
  try {
    await classes.create({
      apiVersion: 'storage.k8s.io/v1',
      kind: 'StorageClass',
      metadata: { name: STANDARD_STORAGE_CLASS, annotations: { [DEFAULT_STORAGE_CLASS_ANNOTATION]: 'true' } },
      provisioner: LOCAL_PROVISIONER,
      reclaimPolicy: 'Delete',
      volumeBindingMode: 'Immediate',
    });
  } catch (err) {
    if (!TugboatError.is(err, 'AlreadyExists')) throw err;
  }
}
