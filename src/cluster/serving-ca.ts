/**
 * Publishes the CA of a served API in kube-system/{@link SERVING_CA_CONFIG_MAP}, where the
 * root-ca-cert-publisher (in this process or another on the store) reads it to fill every
 * namespace's kube-root-ca.crt.
 */
import type { ApiContext } from '../client/types.js';
import { TugboatError } from '../model/errors.js';
import type { ConfigMap } from '../model/types.js';
import { SERVING_CA_CONFIG_MAP } from '../model/well-known.js';

/** Creates or updates the ConfigMap so its `ca.crt` is `ca`. */
export async function publishServingCa(ctx: ApiContext, ca: string): Promise<void> {
  const maps = ctx.client<ConfigMap>('v1', 'ConfigMap', 'kube-system');
  for (let attempt = 0; ; attempt++) {
    const current = await maps.find(SERVING_CA_CONFIG_MAP);
    try {
      if (!current)
        await maps.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: SERVING_CA_CONFIG_MAP }, data: { 'ca.crt': ca } });
      else if (current.data?.['ca.crt'] !== ca) await maps.update({ ...current, data: { 'ca.crt': ca } });
      return;
    } catch (err) {
      if (attempt < 3 && (TugboatError.is(err, 'Conflict') || TugboatError.is(err, 'AlreadyExists'))) continue;
      throw err;
    }
  }
}
