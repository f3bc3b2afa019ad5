/** Pushes a MemoryStore of {@link HISTORY} changes past every change made so far (what compaction does to etcd). */
import type { Cluster } from '../../src/cluster/cluster.js';

/** The history size of the stores these tests give their clusters. */
export const HISTORY = 500;

/** Writes HISTORY changes to one scratch ConfigMap, so every older resourceVersion leaves the history. */
export async function churn(cluster: Cluster): Promise<void> {
  const c = cluster.configMaps('default');
  if (!(await c.find('history-churn'))) await c.create({ metadata: { name: 'history-churn' }, data: { n: '0' } });
  for (let i = 0; i < HISTORY; i++) await c.patch('history-churn', { data: { n: String(i) } });
}
