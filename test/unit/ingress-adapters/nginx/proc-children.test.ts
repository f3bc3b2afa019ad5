import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { childrenOf } from '../../../../src/ingress-adapters/nginx/proc-children.js';

describe('childrenOf', () => {
  it("lists a process's children and nothing else", async () => {
    const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
    await new Promise<void>((r) => child.once('spawn', () => r()));
    try {
      const pids = childrenOf(process.pid);
      expect(pids).toContain(String(child.pid));
      expect(pids).not.toContain(String(process.pid));
      expect(childrenOf(child.pid as number)).toEqual([]);
    } finally {
      child.kill('SIGKILL');
    }
  });

  it('is empty for a process that does not exist', () => {
    expect(childrenOf(2 ** 22 + 1)).toEqual([]);
  });
});
