/**
 * Fixture of two-api-layers.test.ts: an API layer (a Cluster without controllers, scheduler or
 * nodes) on an EtcdStore (argv[2] endpoint, argv[3] prefix), served over plain HTTP on a free port.
 * Prints `SERVING <url> <token>`; ends when its standard input closes.
 */
import { Cluster } from '../../../src/cluster/cluster.js';
import { EtcdStore } from '../../../src/etcd.js';

const [endpoint, prefix] = process.argv.slice(2);
if (!endpoint || !prefix) throw new Error('usage: api-layer.fixture.ts <etcd endpoint> <prefix>');
const cluster = await Cluster.start({
  name: 'two-layers',
  store: new EtcdStore({ endpoints: [endpoint], prefix }),
  controllers: false,
  scheduler: false,
});
const served = await cluster.serve({ port: 0, tls: false });
console.log(`SERVING ${served.url} ${served.token}`);
process.stdin.resume();
process.stdin.on('end', async () => {
  await served.close();
  await cluster.stop();
  process.exit(0);
});
