import { MockRuntime } from '../../src/runtime-adapters/mock/index.js';
import { runContainerRuntimeConformance } from '../../src/testing.js';

await runContainerRuntimeConformance({
  name: 'mock',
  setup: async () => {
    const runtime = new MockRuntime({ strictImages: true });
    const image = 'conformance/app:1';
    const execCommand = (text: string, code: number): string[] => ['echo-exit', text, String(code)];
    const exec = (cmd: string[]) =>
      cmd[0] === 'echo-exit'
        ? { exitCode: Number(cmd[2]), stdout: `${cmd[1]}\n`, stderr: '' }
        : { exitCode: 127, stdout: '', stderr: 'not found' };
    runtime.image(image, { exec });
    const define = (ref: string, behavior: Parameters<MockRuntime['image']>[1]) => {
      runtime.image(ref, { exec, ...behavior });
      return { image: ref };
    };
    return {
      runtime,
      reopen: async () => runtime, // the backing is this object's memory: a "new" agent sees the same runtime
      fixtures: {
        image,
        missingImage: 'conformance/absent:1',
        server: (port) => define(`conformance/server-${port}`, {}),
        exits: (code) => define(`conformance/exits-${code}`, { exitAfterMs: 0, exitCode: code }),
        prints: (lines) => define(`conformance/prints-${lines.join('|')}`, { logs: lines }),
        ignoresTerm: () => define('conformance/ignores-term', { ignoresTerm: true, logs: ['ready'] }),
        execCommand,
      },
      cleanup: async () => undefined,
    };
  },
});
