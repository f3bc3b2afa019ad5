/**
 * kubectl exec and attach on the process runtime (exec-attach.cases.ts): `exec -it` runs the
 * command on a pty of the host (the optional dependency @lydell/node-pty).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe } from 'vitest';
import { Cluster } from '../../../src/cluster/cluster.js';
import { ProcessRuntime } from '../../../src/runtime-adapters/process/index.js';
import { kubectlAvailable } from '../../support/kubectl.js';
import { execAttachCases } from '../kubectl/exec-attach.cases.js';

let dir = '';

describe.skipIf(!kubectlAvailable())('process runtime', () => {
  execAttachCases('the process runtime', {
    image: 'sh',
    start: async () => {
      dir = await mkdtemp(join(tmpdir(), 'tugboat-proc-exec-'));
      return Cluster.start({
        name: `proc-exec-${process.pid}`,
        nodes: [{ name: 'node-1', runtime: new ProcessRuntime({ stateDir: dir }) }],
      });
    },
    stop: async (cluster) => {
      await cluster?.stop();
      await rm(dir, { recursive: true, force: true });
    },
  });
});
