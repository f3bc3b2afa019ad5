import { describe, expect, it } from 'vitest';
import { buildTar } from '../../../../src/runtime-adapters/docker/tar.js';

/** A minimal ustar reader, enough to check what buildTar wrote. */
function readTar(buf: Buffer) {
  const out: Array<{ name: string; type: string; mode: number; size: number; link: string; body: string; sumOk: boolean }> = [];
  let off = 0;
  while (off + 512 <= buf.length) {
    const h = buf.subarray(off, off + 512);
    if (h.every((b) => b === 0)) break;
    const str = (a: number, n: number) =>
      h
        .subarray(a, a + n)
        .toString('utf8')
        .replace(/\0.*$/s, '');
    const size = parseInt(str(124, 12), 8);
    let sum = 0;
    for (let i = 0; i < 512; i++) sum += i >= 148 && i < 156 ? 32 : h[i];
    out.push({
      name: str(0, 100),
      mode: parseInt(str(100, 8), 8),
      size,
      type: str(156, 1),
      link: str(157, 100),
      body: buf.subarray(off + 512, off + 512 + size).toString(),
      sumOk: parseInt(str(148, 8), 8) === sum && str(257, 6) === 'ustar',
    });
    off += 512 + Math.ceil(size / 512) * 512;
  }
  return out;
}

describe('buildTar', () => {
  it('writes files, directories and symlinks that a reader gets back, with valid checksums', () => {
    const tar = buildTar([
      { type: 'dir', path: 'bin' },
      { type: 'file', path: 'bin/busybox', content: Buffer.from('x'.repeat(700)), mode: 0o755 },
      { type: 'symlink', path: 'bin/sh', target: 'busybox' },
      { type: 'file', path: 'etc/empty', content: new Uint8Array() },
    ]);
    expect(tar.length % 512).toBe(0);
    expect(readTar(tar)).toEqual([
      { name: 'bin/', type: '5', mode: 0o755, size: 0, link: '', body: '', sumOk: true },
      { name: 'bin/busybox', type: '0', mode: 0o755, size: 700, link: '', body: 'x'.repeat(700), sumOk: true },
      { name: 'bin/sh', type: '2', mode: 0o777, size: 0, link: 'busybox', body: '', sumOk: true },
      { name: 'etc/empty', type: '0', mode: 0o644, size: 0, link: '', body: '', sumOk: true },
    ]);
    expect(tar.subarray(tar.length - 1024).every((b) => b === 0)).toBe(true);
  });

  it('refuses a path longer than ustar holds', () => {
    expect(() => buildTar([{ type: 'dir', path: 'a'.repeat(101) }])).toThrow(/too long/);
  });
});
