import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ProcessRuntime } from '../../src/runtime-adapters/process/index.js';
import { runContainerRuntimeConformance } from '../../src/testing.js';

// A pod's process binds to its own loopback address ($POD_IP), as the process runtime asks.
const SERVER = `require('http').createServer((q, s) => s.end('ok')).listen(Number(process.argv[1]), process.env.POD_IP)`;

await runContainerRuntimeConformance({
  name: 'process',
  setup: async () => {
    const stateDir = await mkdtemp(join(tmpdir(), 'tugboat-conf-process-'));
    return {
      runtime: new ProcessRuntime({ stateDir, adoptedPollMs: 200 }),
      reopen: async () => new ProcessRuntime({ stateDir, adoptedPollMs: 200 }),
      fixtures: {
        image: 'host',
        server: (port) => ({ image: 'host', command: [process.execPath, '-e', SERVER, String(port)] }),
        exits: (code) => ({ image: 'host', command: ['sh', '-c', `exit ${code}`] }),
        prints: (lines) => ({
          image: 'host',
          command: ['sh', '-c', 'for l in "$@"; do echo "$l"; done; exec sleep 100000', 'sh', ...lines],
        }),
        ignoresTerm: () => ({ image: 'host', command: ['sh', '-c', 'trap "" TERM; echo ready; while :; do sleep 1; done'] }),
        execCommand: (text, code) => ['sh', '-c', 'echo "$1"; exit "$2"', 'sh', text, String(code)],
      },
      cleanup: () => rm(stateDir, { recursive: true, force: true }),
    };
  },
});
