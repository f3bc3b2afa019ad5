/**
 * The `tugboat` program: commander's root command built from the list of command modules
 * (commands/index.ts), and `runCli`, which runs it and turns failures into one clear line on
 * stderr and an exit code (no stack traces for errors the user can act on).
 */
import { Command, CommanderError } from 'commander';
import { TugboatError } from '../model/errors.js';
import { COMMANDS } from './commands/index.js';
import { CliFailure } from './commands/failure.js';
import { type CliCommand, type CliIo, EXIT } from './types.js';
import { TUGBOAT_VERSION } from './version.js';

/** The root command with every command of `commands` under it. */
export function buildProgram(io: CliIo, commands: readonly CliCommand[] = COMMANDS): Command {
  const program = new Command('tugboat')
    .description('Kubernetes-style orchestration as a library: run a cluster (tugboat up) and work with it like kubectl')
    .version(TUGBOAT_VERSION, '-V, --version', 'print the tugboat version')
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
    })
    .exitOverride();
  const names = new Set<string>();
  for (const module of commands) {
    if (names.has(module.name)) throw new Error(`two tugboat commands are named ${module.name}`);
    names.add(module.name);
    const command = module.create(io);
    // Subcommands print through io and throw instead of exiting, as the root does.
    command
      .configureOutput({ writeOut: (text) => io.stdout.write(text), writeErr: (text) => io.stderr.write(text) })
      .showHelpAfterError('(run with --help for usage)')
      .exitOverride();
    program.addCommand(command);
  }
  return program;
}

/** The one line printed for a failure: a TugboatError's message (its field causes after it). */
export function describeFailure(err: unknown): string {
  if (err instanceof CliFailure) return err.message;
  if (err instanceof TugboatError) {
    const causes = err.causes.map((c) => `  ${c.field ? `${c.field}: ` : ''}${c.message}`);
    return [`error: ${err.message}`, ...causes].join('\n');
  }
  if (err instanceof Error) return `error: ${err.message}`;
  return `error: ${String(err)}`;
}

/**
 * Runs `tugboat` with `argv` (as `process.argv`: node, script, then the arguments) and resolves to
 * the exit code: 0 done, 1 the command failed, 2 the command line was wrong.
 */
export async function runCli(argv: readonly string[], io: CliIo, commands: readonly CliCommand[] = COMMANDS): Promise<number> {
  const program = buildProgram(io, commands);
  try {
    await program.parseAsync([...argv]);
    return EXIT.ok;
  } catch (err) {
    if (err instanceof CommanderError) {
      // commander already printed the message (or the help, or the version).
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help') return EXIT.ok;
      if (err.code === 'commander.executeSubCommandAsync') return err.exitCode;
      return EXIT.usage;
    }
    const line = describeFailure(err);
    if (line !== '') io.stderr.write(`${line}\n`);
    if (io.env.TUGBOAT_DEBUG && err instanceof Error && err.stack) io.stderr.write(`${err.stack}\n`);
    return EXIT.failed;
  }
}
