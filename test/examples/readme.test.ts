/**
 * The README's example is code users copy: run it as written (importing from src instead of the
 * package) and check what it prints.
 */
import { describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

const root = resolve(import.meta.dirname, '../..');

describe('README example', () => {
  it('runs and prints what its comments say', { timeout: 60_000 }, async () => {
    const readme = await readFile(join(root, 'README.md'), 'utf8');
    const block = /```ts\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(block).toBeDefined();
    // `tugboat` is src/index.ts, `tugboat/<entry>` is src/<entry>.ts (as package.json's exports map them).
    const code = block!.replace(
      /from 'tugboat(?:\/([a-z-]+))?'/g,
      (_m, entry: string | undefined) => `from '${join(root, `src/${entry ?? 'index'}.js`)}'`,
    );
    expect(code).not.toMatch(/from 'tugboat/);
    const dir = await mkdtemp(join(root, '.tmp-readme-'));
    try {
      const file = join(dir, 'readme-example.ts');
      await writeFile(file, code);
      const { stdout } = await promisify(execFile)(join(root, 'node_modules/.bin/tsx'), [file], { cwd: root, timeout: 50_000 });
      const lines = stdout.trim().split('\n');
      expect(lines.join('\n')).toMatch(/web-[a-z0-9]+-[a-z0-9]{5} Running/);
      expect(stdout).toContain('Invalid');
      expect(stdout).toContain("field: 'metadata.name'");
      expect(lines.at(-1)).toBe('true');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
