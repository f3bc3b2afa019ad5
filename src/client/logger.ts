/** The logger contract every component logs through (pino's API, so a pino logger fits as is). */

/** A structured logger (pino-compatible subset). */
export interface Logger {
  /** Logs at debug level. */
  debug(obj: object, msg?: string): void;
  /** Logs at info level. */
  info(obj: object, msg?: string): void;
  /** Logs at warn level. */
  warn(obj: object, msg?: string): void;
  /** Logs at error level. */
  error(obj: object, msg?: string): void;
}

/** A logger that drops everything: the default in library use. */
export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };
