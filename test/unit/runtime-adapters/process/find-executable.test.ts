/**
 * findExecutable looks a command up as execvp(3) does: PATH for a bare name, cwd for one with a
 * slash, only executable regular files.
 */
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { findExecutable } from '../../../../src/runtime-adapters/process/find-executable.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tugboat-find-exe-'));
  await mkdir(join(dir, 'bin'));
  await mkdir(join(dir, 'other'));
  await writeFile(join(dir, 'bin', 'tool'), '#!/bin/sh\n');
  await chmod(join(dir, 'bin', 'tool'), 0o755);
  await writeFile(join(dir, 'other', 'plain'), 'not executable\n');
  await mkdir(join(dir, 'other', 'adir'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('findExecutable', () => {
  it('finds a bare name in the first PATH entry that has it as an executable file', async () => {
    const path = [join(dir, 'other'), join(dir, 'bin')].join(':');
    expect(await findExecutable('tool', path, '/')).toBe(join(dir, 'bin', 'tool'));
    expect(await findExecutable('plain', path, '/')).toBeUndefined(); // not executable
    expect(await findExecutable('adir', path, '/')).toBeUndefined(); // a directory
    expect(await findExecutable('missing', path, '/')).toBeUndefined();
  });

  it('takes a name with a slash relative to cwd, and PATH entries that are empty or relative too', async () => {
    expect(await findExecutable('bin/tool', undefined, dir)).toBe(join(dir, 'bin', 'tool'));
    expect(await findExecutable('./bin/tool', '', dir)).toBe(join(dir, 'bin', 'tool'));
    expect(await findExecutable(join(dir, 'bin', 'tool'), '', '/')).toBe(join(dir, 'bin', 'tool'));
    expect(await findExecutable('tool', ':/nowhere', join(dir, 'bin'))).toBe(join(dir, 'bin', 'tool'));
    expect(await findExecutable('tool', 'bin', dir)).toBe(join(dir, 'bin', 'tool'));
    expect(await findExecutable('tool', '/nowhere', join(dir, 'bin'))).toBeUndefined(); // cwd is not searched
  });

  it('without PATH searches /bin:/usr/bin (as glibc), and an empty name is nothing', async () => {
    expect(await findExecutable('sh', undefined, dir)).toMatch(/^\/(usr\/)?bin\/sh$/);
    expect(await findExecutable('', '/bin', dir)).toBeUndefined();
  });
});
