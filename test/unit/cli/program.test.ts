import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../../../src/cli/commands/index.js';
import { buildProgram, runCli } from '../../../src/cli/program.js';
import type { CliCommand } from '../../../src/cli/types.js';
import { TugboatError } from '../../../src/model/errors.js';
import { testIo } from '../../support/cli-io.js';

const argv = (...args: string[]): string[] => ['node', 'tugboat', ...args];

/** A command whose action throws `err`. */
const failing = (err: unknown): CliCommand => ({
  name: 'fail',
  create: () =>
    new Command('fail').action(() => {
      throw err;
    }),
});

describe('tugboat program', () => {
  it('lists every command of COMMANDS in --help and exits 0', async () => {
    const t = testIo();
    expect(await runCli(argv('--help'), t.io)).toBe(0);
    for (const c of COMMANDS) expect(t.stdout()).toContain(c.name);
  });

  it('gives every command a --help that exits 0 and describes it', async () => {
    for (const c of COMMANDS) {
      const t = testIo();
      expect(await runCli(argv(c.name, '--help'), t.io), c.name).toBe(0);
      expect(t.stdout(), c.name).toMatch(new RegExp(`Usage: tugboat ${c.name}`));
    }
  });

  it('prints its version with --version and the version command', async () => {
    const t = testIo();
    expect(await runCli(argv('--version'), t.io)).toBe(0);
    expect(t.stdout()).toMatch(/^\d+\.\d+\.\d+/);
    const v = testIo();
    expect(await runCli(argv('version', '-o', 'json'), v.io)).toBe(0);
    expect(JSON.parse(v.stdout())).toEqual({ tugboat: t.stdout().trim(), kubernetes: '1.30' });
  });

  it('answers an unknown command or option with exit code 2 and a hint on stderr', async () => {
    const t = testIo();
    expect(await runCli(argv('frobnicate'), t.io)).toBe(2);
    expect(t.stderr()).toContain("unknown command 'frobnicate'");
    const o = testIo();
    expect(await runCli(argv('version', '--frob'), o.io)).toBe(2);
    expect(o.stderr()).toContain("unknown option '--frob'");
    expect(o.stderr()).toContain('--help');
  });

  it('prints a TugboatError as one line with its causes, no stack, and exits 1', async () => {
    const err = new TugboatError('Invalid', 'Deployment "web" is invalid', {
      causes: [{ field: 'spec.replicas', message: 'must be >= 0', reason: 'FieldValueInvalid' }],
    });
    const t = testIo();
    expect(await runCli(argv('fail'), t.io, [failing(err)])).toBe(1);
    expect(t.stderr()).toBe('error: Deployment "web" is invalid\n  spec.replicas: must be >= 0\n');
  });

  it('prints the stack of a failure only under TUGBOAT_DEBUG', async () => {
    const t = testIo({ TUGBOAT_DEBUG: '1' });
    expect(await runCli(argv('fail'), t.io, [failing(new Error('boom'))])).toBe(1);
    expect(t.stderr()).toMatch(/^error: boom\nError: boom\n\s+at /);
  });

  it('refuses two commands of one name', () => {
    const c = failing(new Error('x'));
    expect(() => buildProgram(testIo().io, [c, c])).toThrow(/two tugboat commands are named fail/);
  });
});
