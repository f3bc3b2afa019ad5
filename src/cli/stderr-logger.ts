/**
 * The logger of the control-plane commands (apiserver, controller-manager, scheduler, agent): one
 * line per message on stderr, `LEVEL message {fields}`, from `--log-level` up.
 */
import type { Logger } from '../client/logger.js';
import { TugboatError } from '../model/errors.js';

/** The levels `--log-level` takes, least severe first. */
export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;

/** One of {@link LOG_LEVELS}. */
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Checks a `--log-level` value, else Invalid naming the flag. */
export function parseLogLevel(value: string): LogLevel {
  if ((LOG_LEVELS as readonly string[]).includes(value)) return value as LogLevel;
  throw new TugboatError('Invalid', `--log-level: unsupported value "${value}": must be one of ${LOG_LEVELS.join(', ')}`, {
    causes: [{ field: '--log-level', reason: 'FieldValueNotSupported', message: `supported values: ${LOG_LEVELS.join(', ')}` }],
  });
}

/** A Logger writing to `stream` the messages at `level` or above. */
export function stderrLogger(stream: NodeJS.WritableStream, level: LogLevel): Logger {
  const min = LOG_LEVELS.indexOf(level);
  const at =
    (l: LogLevel) =>
    (obj: object, msg?: string): void => {
      if (LOG_LEVELS.indexOf(l) < min) return;
      const fields = Object.keys(obj).length > 0 ? ` ${JSON.stringify(obj)}` : '';
      stream.write(`${l.toUpperCase()} ${msg ?? ''}${fields}\n`);
    };
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}
