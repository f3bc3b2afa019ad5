import { describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

const root = resolve(import.meta.dirname, '../..');

describe('the custom controller guide', () => {
  it('shows examples/custom-controller.ts exactly', async () => {
    const guide = await readFile(join(root, 'docs/guides/custom-controller.md'), 'utf8');
    const code = await readFile(join(root, 'examples/custom-controller.ts'), 'utf8');
    expect(/```ts\n([\s\S]*?)```/.exec(guide)?.[1]).toBe(code);
  });

  it('runs the example: one reconcile in a fake context makes the Deployment; on a mock cluster the Website reports 3 ready replicas, and its Deployment goes with it', {
    timeout: 60_000,
  }, async () => {
    const { stdout } = await promisify(execFile)(join(root, 'node_modules/.bin/tsx'), ['examples/custom-controller.ts'], {
      cwd: root,
      timeout: 50_000,
    });
    expect(stdout.trim().split('\n')).toEqual([
      'one reconcile: Deployment blog, 3 replicas of blog:1',
      'blog: 3 ready replicas',
      'blog deleted: its Deployment was garbage-collected',
    ]);
  });
});
