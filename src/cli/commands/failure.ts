/**
 * The failure of a client command, already worded as kubectl words it (`Error from server
 * (NotFound): deployments.apps "x" not found`), or already printed (an empty message): the program
 * prints it as is and exits 1.
 */
import { TugboatError } from '../../model/errors.js';

/** A failure whose message is the exact text to print (nothing when empty). */
export class CliFailure extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CliFailure';
  }
}

/** kubectl's line for an error the API server answered: `Error from server (Reason): message`. */
export function serverErrorLine(err: unknown, context?: string): string {
  if (err instanceof TugboatError) return `Error from server (${err.reason}): ${context ? `${context}: ` : ''}${err.message}`;
  if (err instanceof Error) return `error: ${context ? `${context}: ` : ''}${err.message}`;
  return `error: ${String(err)}`;
}
