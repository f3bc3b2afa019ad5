/**
 * The contracts of the `tugboat` command: what a command module is, and what every command is
 * handed to talk to the user (its streams, environment and the signal that stops it).
 */
import type { Command } from 'commander';

/** Where a command writes and what it runs in: the process's, or a test's. */
export interface CliIo {
  /** Normal output (the results a script reads). */
  readonly stdout: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  /** Messages for a person: progress, hints, errors. */
  readonly stderr: NodeJS.WritableStream & { isTTY?: boolean };
  /** The environment (KUBECONFIG, HOME, ...). */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Aborted when the user asks the command to stop (SIGINT, SIGTERM). */
  readonly signal: AbortSignal;
}

/**
 * One command of the `tugboat` CLI, in its own file of src/cli/commands/. `create` builds the
 * commander `Command` (name, options, `--help` text, action); the action throws a TugboatError for
 * a failure the user can act on, which the program prints as one line and turns into an exit code.
 */
export interface CliCommand {
  /** The command's name, as typed after `tugboat` (unique among the commands). */
  readonly name: string;
  /** Builds the command, writing through `io`. */
  create(io: CliIo): Command;
}

/** Exit codes of the `tugboat` command. */
export const EXIT = {
  /** Done. */
  ok: 0,
  /** The command failed (a TugboatError or another runtime failure). */
  failed: 1,
  /** The command line was wrong (unknown command or option, missing argument). */
  usage: 2,
} as const;
