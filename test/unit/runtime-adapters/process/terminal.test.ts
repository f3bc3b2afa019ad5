/**
 * spawnTerminal on a real pty (@lydell/node-pty): a terminal, typed input, resizes, exit codes,
 * a missing executable, close(); and the refusal naming the package when it cannot load.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { procStat } from '../../../../src/runtime-adapters/process/proc.js';
import { PTY_PACKAGE, loadPty, spawnTerminal } from '../../../../src/runtime-adapters/process/terminal.js';
import { eventually } from '../../../../src/testing/eventually.js';
import { rejection } from '../../../support/rejection.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tugboat-pty-unit-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Everything `stream` printed so far, and a wait for it to match a pattern. */
function reader(stream: Readable): { text: () => string; until: (re: RegExp) => Promise<string> } {
  let text = '';
  const waits: { re: RegExp; resolve: (t: string) => void }[] = [];
  stream.on('data', (d: Buffer) => {
    text += d.toString();
    for (const w of [...waits]) {
      if (w.re.test(text)) {
        waits.splice(waits.indexOf(w), 1);
        w.resolve(text);
      }
    }
  });
  return {
    text: () => text,
    until: (re) => (re.test(text) ? Promise.resolve(text) : new Promise((resolve) => waits.push({ re, resolve }))),
  };
}

/** Whether `pid` runs (a zombie waiting for its reaper does not). */
async function isAlive(pid: number): Promise<boolean> {
  const stat = await procStat(pid);
  return stat !== undefined && stat.state !== 'Z' && stat.state !== 'X';
}

const env = () => ({ PATH: process.env.PATH ?? '/bin:/usr/bin' });

describe('spawnTerminal', () => {
  it('runs the command on a pty: it is a terminal, typed input reaches it, done gives its exit code', async () => {
    const s = await spawnTerminal(['sh'], { env: env(), cwd: dir }, { stdin: true });
    expect(s.stderr).toBeUndefined();
    const out = reader(s.stdout);
    s.stdin!.write('tty; echo sum-$((1+2)); exit 4\n');
    expect(await s.done).toEqual({ exitCode: 4 });
    expect(out.text()).toMatch(/\/dev\/pts\/\d+\r\n/);
    expect(out.text()).toContain('sum-3\r\n'); // the terminal's own newline translation: raw pty output
  });

  it('gets exactly the given env plus TERM=xterm, in the given cwd; a TERM of the env is kept', async () => {
    const plain = await spawnTerminal(['sh', '-c', 'pwd; env | sort'], { env: { ...env(), FOO: 'bar' }, cwd: dir }, { stdin: false });
    const out = reader(plain.stdout);
    expect(await plain.done).toEqual({ exitCode: 0 });
    const lines = out.text().split('\r\n');
    expect(lines[0]).toBe(dir);
    const names = lines
      .slice(1)
      .filter((l) => l.includes('='))
      .map((l) => l.split('=')[0]);
    expect(names.filter((n) => !['PWD', 'SHLVL', '_', 'OLDPWD'].includes(n))).toEqual(['FOO', 'PATH', 'TERM']);
    expect(lines).toContain('TERM=xterm');
    const own = await spawnTerminal(['sh', '-c', 'echo $TERM'], { env: { ...env(), TERM: 'vt100' }, cwd: dir }, { stdin: false });
    const ownOut = reader(own.stdout);
    await own.done;
    expect(ownOut.text()).toBe('vt100\r\n');
  });

  it('resize sets the terminal size the command sees', async () => {
    const s = await spawnTerminal(['sh'], { env: env(), cwd: dir }, { stdin: true });
    const out = reader(s.stdout);
    await s.resize({ cols: 91, rows: 27 });
    s.stdin!.write('stty size; echo mark-$((0+1))\n');
    expect(await out.until(/mark-1\r\n/)).toMatch(/\b27 91\r\n/);
    await s.resize({ cols: 120, rows: 40 });
    s.stdin!.write('stty size; exit 0\n');
    expect(await s.done).toEqual({ exitCode: 0 });
    expect(out.text()).toMatch(/\b40 120\r\n/);
    await s.resize({ cols: 10, rows: 10 }); // after the exit: a no-op, not an error
  });

  it('the end of stdin types the end-of-file character: a reader of the terminal sees end of file', async () => {
    const s = await spawnTerminal(['sh', '-c', 'cat; echo after-eof'], { env: env(), cwd: dir }, { stdin: true });
    const out = reader(s.stdout);
    s.stdin!.end('line\n');
    expect(await s.done).toEqual({ exitCode: 0 });
    expect(out.text()).toContain('after-eof');
  });

  it('a large output written just before a fast exit arrives whole (libuv would end the pty early)', async () => {
    // Without readRestAtEnd most of these runs lose their last few KB (measured: 17 of 20 at 100 KB).
    const bytes = 200_000;
    const got: number[] = [];
    for (let i = 0; i < 8; i++) {
      const s = await spawnTerminal(['head', '-c', String(bytes), '/dev/zero'], { env: env(), cwd: dir }, { stdin: false });
      let n = 0;
      s.stdout.on('data', (d: Buffer) => (n += d.length));
      const ended = new Promise((r) => s.stdout.once('end', r));
      expect(await s.done).toEqual({ exitCode: 0 });
      await ended;
      got.push(n);
    }
    expect(got).toEqual(Array(8).fill(bytes));
  });

  it('a command ended by a signal exits 128 + its number; close() kills the process group', async () => {
    const killed = await spawnTerminal(['sh', '-c', 'kill -TERM $$'], { env: env(), cwd: dir }, { stdin: false });
    expect(await killed.done).toEqual({ exitCode: 143 });
    const s = await spawnTerminal(['sh', '-c', 'sleep 300 & echo bg-$!; wait'], { env: env(), cwd: dir }, { stdin: true });
    const bg = Number((await reader(s.stdout).until(/bg-\d+\r\n/)).match(/bg-(\d+)/)?.[1]);
    s.close();
    expect(await s.done).toEqual({ exitCode: 137 });
    // The background sleep was in the group: it is gone too.
    await eventually(async () => !(await isAlive(bg)), `background process ${bg} killed with the group`, { timeoutMs: 10_000 });
  });

  it('an executable that is not there prints so and exits 127 without starting anything', async () => {
    const s = await spawnTerminal(['no-such-command-here'], { env: env(), cwd: dir }, { stdin: true });
    const out = reader(s.stdout);
    expect(await s.done).toEqual({ exitCode: 127 });
    await out.until(/\n/);
    expect(out.text()).toBe('exec: "no-such-command-here": executable file not found in $PATH\r\n');
    s.stdin!.end('ignored\n');
  });
});

describe('loadPty', () => {
  it(`loads ${PTY_PACKAGE}`, () => {
    expect(typeof loadPty().spawn).toBe('function');
  });

  it('without the package, a TTY is refused (BadRequest) naming the package to install, and nothing is started', async () => {
    const missing = (id: string): never => {
      throw Object.assign(new Error(`Cannot find module '${id}'\nRequire stack: ...`), { code: 'MODULE_NOT_FOUND' });
    };
    const err = await rejection((async () => spawnTerminal(['sh'], { env: env(), cwd: dir }, { stdin: true }, loadPty(missing)))());
    expect(err.status.reason).toBe('BadRequest');
    expect(err.message).toBe(
      `the process runtime cannot exec with a TTY without the optional dependency ${PTY_PACKAGE} (npm install ${PTY_PACKAGE}@1.1.0): Cannot find module '${PTY_PACKAGE}'`,
    );
  });
});
