// A child process for the SIGKILL test: creates ConfigMaps in a SqliteStore file one by one and
// prints `<name> <resourceVersion>` after each create resolves (the write is acknowledged).
import { SqliteStore } from '../../../src/sqlite.js';

const store = new SqliteStore({ path: process.argv[2] });
for (let i = 0; i < 100_000; i++) {
  const created = await store.create('core/configmaps', {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: `cm-${i}`, namespace: 'default' },
    data: { i: String(i) },
  });
  process.stdout.write(`${created.metadata.name} ${created.metadata.resourceVersion}\n`);
}
