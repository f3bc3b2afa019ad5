/** The warning a `tty` container gets on the process runtime when the pty package does not load. */
import { describe, expect, it } from 'vitest';
import { ttyWarning } from '../../../../src/runtime-adapters/process/main-terminal.js';
import { ProcessRuntime } from '../../../../src/runtime-adapters/process/process-runtime.js';
import { PTY_PACKAGE } from '../../../../src/runtime-adapters/process/terminal.js';

const missing = (id: string): unknown => {
  throw new Error(`Cannot find module '${id}'`);
};

describe('ttyWarning', () => {
  it('names the field and the package to install when the pty package does not load', () => {
    const warning = ttyWarning(true, missing);
    expect(warning).toMatch(/^tty: the process runtime runs this container without a terminal/);
    expect(warning).toContain(PTY_PACKAGE);
  });

  it('says nothing for a container without tty, or when the package loads', () => {
    expect(ttyWarning(false, missing)).toBeUndefined();
    expect(ttyWarning(undefined, missing)).toBeUndefined();
    expect(ttyWarning(true, () => ({ spawn: () => undefined }))).toBeUndefined();
  });

  it('is what ProcessRuntime.unsupported reports, here where the package is installed: nothing', () => {
    const runtime = new ProcessRuntime();
    expect(runtime.unsupported({ name: 'c', image: 'x', tty: true } as never)).toEqual([]);
  });
});
