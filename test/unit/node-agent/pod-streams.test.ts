import { text } from 'node:stream/consumers';
import { describe, expect, it } from 'vitest';
import { openAttach, openExec } from '../../../src/node-agent/pod-streams.js';
import type { ContainerRuntime } from '../../../src/runtime-adapters/types.js';

/** A runtime with only the buffered exec (as containerd's adapter). */
const buffered = {
  name: 'containerd',
  exec: async (_id: string, command: string[]) => ({ exitCode: 3, stdout: `ran ${command.join(' ')}`, stderr: 'warn' }),
} as unknown as ContainerRuntime;

describe('openExec and openAttach on a runtime without streams', () => {
  it('runs a command without stdin or TTY through the buffered exec: its output, then its exit code', async () => {
    const s = await openExec(buffered, 'c1', ['ls', '-l'], { stdin: false, tty: false });
    expect(s.stdin).toBeUndefined();
    expect(await Promise.all([text(s.stdout), text(s.stderr!), s.done])).toEqual(['ran ls -l', 'warn', { exitCode: 3 }]);
  });

  it('refuses stdin, a TTY and attach, naming the runtime', async () => {
    await expect(openExec(buffered, 'c1', ['sh'], { stdin: true, tty: false })).rejects.toThrow(
      'the containerd runtime cannot exec with stdin',
    );
    await expect(openExec(buffered, 'c1', ['sh'], { stdin: true, tty: true })).rejects.toThrow(
      'the containerd runtime cannot exec with a TTY',
    );
    await expect(openAttach(buffered, 'c1', { stdin: false, tty: false })).rejects.toThrow(
      'the containerd runtime cannot attach to a container',
    );
  });
});
