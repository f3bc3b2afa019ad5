import { lstat, mkdtemp, readFile, readdir, readlink, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DATA_DIR_LINK, isSingleFile, writeAtomicFiles } from '../../../src/runtime-adapters/atomic-files.js';

const enc = (s: string) => new TextEncoder().encode(s);
let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tugboat-atomic-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('writeAtomicFiles', () => {
  it('lays files out as the kubelet: a timestamped folder, ..data, and top-level links through it', async () => {
    const vol = join(dir, 'vol');
    expect(await writeAtomicFiles(vol, { a: enc('1'), 'sub/b': enc('2') }, { mode: 0o640, modes: { a: 0o600 } })).toBe(true);
    const target = await readlink(join(vol, DATA_DIR_LINK));
    expect(target).toMatch(/^\.\.\d{4}_\d\d_\d\d_\d\d_\d\d_\d\d\./);
    expect(await readlink(join(vol, 'a'))).toBe('..data/a');
    expect(await readlink(join(vol, 'sub'))).toBe('..data/sub');
    expect(await readFile(join(vol, 'sub/b'), 'utf8')).toBe('2');
    expect((await stat(join(vol, 'a'))).mode & 0o777).toBe(0o600);
    expect((await stat(join(vol, 'sub/b'))).mode & 0o777).toBe(0o640);

    expect(await writeAtomicFiles(vol, { a: enc('1'), 'sub/b': enc('2') }, { mode: 0o640, modes: { a: 0o600 } })).toBe(false);
    expect(await readlink(join(vol, DATA_DIR_LINK))).toBe(target);

    expect(await writeAtomicFiles(vol, { a: enc('new'), c: enc('3') })).toBe(true);
    const next = await readlink(join(vol, DATA_DIR_LINK));
    expect(next).not.toBe(target);
    expect(await readFile(join(vol, 'a'), 'utf8')).toBe('new');
    expect(await readFile(join(vol, 'c'), 'utf8')).toBe('3');
    // The old folder and the link of a key that is gone are removed.
    expect((await readdir(vol)).sort()).toEqual([DATA_DIR_LINK, next, 'a', 'c'].sort());
    await expect(lstat(join(vol, 'sub'))).rejects.toThrow();
  });

  it('never writes outside the volume', async () => {
    const vol = join(dir, 'vol');
    await writeAtomicFiles(vol, { '../escape': enc('x'), '/abs': enc('y'), '..data': enc('z'), ok: enc('1') });
    expect((await readdir(dir)).sort()).toEqual(['vol']);
    expect((await readdir(vol)).filter((n) => !n.startsWith('..'))).toEqual(['ok']);
  });

  it('tells a single-file mount', () => {
    expect(isSingleFile({ files: { '': enc('x') } })).toBe(true);
    expect(isSingleFile({ files: { a: enc('x') } })).toBe(false);
  });
});
