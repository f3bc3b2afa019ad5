/**
 * Terminal errors: a reconcile that throws one is not retried.
 */

const TERMINAL = Symbol.for('tugboat.terminalError');

/** An error that must not be retried; its `cause` is the original error. */
export class TerminalError extends Error {
  readonly [TERMINAL] = true;
  constructor(cause: unknown) {
    super(cause instanceof Error ? cause.message : String(cause), { cause });
    this.name = 'TerminalError';
  }
}

/**
 * Wraps an error so that the controller runtime logs it, records a Warning Event and does not
 * retry. Use for errors retrying cannot fix (an invalid spec, say): `throw terminalError(err)`.
 */
export function terminalError(err: unknown): TerminalError {
  return err instanceof TerminalError ? err : new TerminalError(err);
}

/** True when `err` was made by {@link terminalError}. */
export function isTerminalError(err: unknown): err is TerminalError {
  return typeof err === 'object' && err !== null && (err as Record<symbol, unknown>)[TERMINAL] === true;
}
