import { runObjectStoreConformance } from '../../src/testing.js';
import { EtcdStore } from '../../src/etcd.js';
import { SHARED_ETCD, etcdForTests, uniquePrefix } from '../support/etcd.js';

const HISTORY =
  'compaction is etcd-wide and would remove the history of every other test on the shared etcd: covered on a private etcd by test/integration/store/etcd-store.test.ts';

if (await etcdForTests()) {
  await runObjectStoreConformance({
    name: 'EtcdStore',
    newStore: ({ clock, maxWatchQueue }) =>
      new EtcdStore({ endpoints: [SHARED_ETCD], prefix: uniquePrefix('conformance'), clock, maxWatchQueue }),
    skip: {
      'watch > fails Expired (410) for a resourceVersion older than the kept history': HISTORY,
      'pagination > fails Expired (410) for a continue token older than the kept history': HISTORY,
    },
  });
}
