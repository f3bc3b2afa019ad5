import type { Status, StatusCause, StatusReason } from './types.js';

const CODES: Record<StatusReason, number> = {
  BadRequest: 400,
  Unauthorized: 401,
  Forbidden: 403,
  NotFound: 404,
  MethodNotAllowed: 405,
  RequestEntityTooLarge: 413,
  TooManyRequests: 429,
  AlreadyExists: 409,
  Conflict: 409,
  Gone: 410,
  Expired: 410,
  Invalid: 422,
  InternalError: 500,
  ServiceUnavailable: 503,
  Timeout: 504,
};

/**
 * What an error is about. As in Kubernetes' StatusDetails, `kind` holds the resource's
 * lower-case plural (e.g. `pods`), which is also how messages name it.
 */
export interface ErrorSubject {
  kind?: string;
  group?: string;
  name?: string;
}

/**
 * The one error type tugboat throws for a failed request. It carries a Kubernetes `Status`:
 * check `reason` (e.g. `'NotFound'`, `'Conflict'`) rather than the message.
 */
export class TugboatError extends Error {
  /** The Kubernetes Status this error stands for. */
  readonly status: Status;

  constructor(reason: StatusReason, message: string, details?: Status['details']) {
    super(message);
    this.name = 'TugboatError';
    this.status = {
      apiVersion: 'v1',
      kind: 'Status',
      status: 'Failure',
      message,
      reason,
      code: CODES[reason],
      ...(details ? { details } : {}),
    };
  }

  /** Why the request failed, e.g. `'NotFound'`. */
  get reason(): StatusReason {
    return this.status.reason;
  }

  /** The HTTP status code of the failure, e.g. 404. */
  get code(): number {
    return this.status.code;
  }

  /** For Invalid errors, the fields that were wrong. */
  get causes(): StatusCause[] {
    return this.status.details?.causes ?? [];
  }

  /** The object was not found. */
  static notFound(subject: ErrorSubject, name: string): TugboatError {
    return new TugboatError('NotFound', `${resourceLabel(subject)} "${name}" not found`, { ...subject, name });
  }

  /** An object of that name exists already. */
  static alreadyExists(subject: ErrorSubject, name: string): TugboatError {
    return new TugboatError('AlreadyExists', `${resourceLabel(subject)} "${name}" already exists`, { ...subject, name });
  }

  /** The object changed since it was read (stale resourceVersion or failed precondition). */
  static conflict(subject: ErrorSubject, name: string, why: string): TugboatError {
    return new TugboatError('Conflict', `Operation cannot be fulfilled on ${resourceLabel(subject)} "${name}": ${why}`, {
      ...subject,
      name,
    });
  }

  /** The object is invalid; each cause names one field. */
  static invalid(subject: ErrorSubject, name: string, causes: StatusCause[]): TugboatError {
    const list = causes.map((c) => `${c.field}: ${c.message}`).join(', ');
    return new TugboatError('Invalid', `${subject.kind ?? 'object'} "${name}" is invalid: ${list}`, {
      ...subject,
      name,
      causes,
    });
  }

  /** The request itself is malformed. */
  static badRequest(message: string): TugboatError {
    return new TugboatError('BadRequest', message);
  }

  /** The request is refused (e.g. by admission or a terminating namespace). */
  static forbidden(message: string, subject?: ErrorSubject): TugboatError {
    return new TugboatError('Forbidden', message, subject);
  }

  /** The request or the object it would store is larger than the limit. */
  static tooLarge(message: string): TugboatError {
    return new TugboatError('RequestEntityTooLarge', message);
  }

  /**
   * A watch or list asked for a resourceVersion the store no longer keeps. `continueToken`, for a
   * continued list, is the token that reads on at the current version (the Status's `metadata.continue`).
   */
  static expired(message: string, continueToken?: string): TugboatError {
    const err = new TugboatError('Expired', message);
    if (continueToken) err.status.metadata = { continue: continueToken };
    return err;
  }

  /** True when `err` is a TugboatError with the given reason. */
  static is(err: unknown, reason?: StatusReason): err is TugboatError {
    return err instanceof TugboatError && (reason === undefined || err.reason === reason);
  }
}

function resourceLabel(subject: ErrorSubject): string {
  const kind = subject.kind ?? 'object';
  return subject.group ? `${kind}.${subject.group}` : kind;
}

/** Builds an Invalid cause for a field path. */
export function fieldError(field: string, message: string, reason = 'FieldValueInvalid'): StatusCause {
  return { field, message, reason };
}
