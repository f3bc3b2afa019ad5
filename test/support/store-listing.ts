import type { Cluster } from '../../src/cluster/cluster.js';
import { ALL_NAMESPACES } from '../../src/client/types.js';
import { apiVersionOf } from '../../src/model/resource-type.js';

/** Every object of every kind the cluster serves, as sorted JSON lines: "the store is unchanged" checks. */
export async function everything(cluster: Cluster): Promise<string> {
  const out: string[] = [];
  for (const type of await cluster.context.discover()) {
    const list = await cluster.context.client(apiVersionOf(type), type.kind, ALL_NAMESPACES).list();
    for (const o of list.items) out.push(JSON.stringify(o));
  }
  return out.sort().join('\n');
}
