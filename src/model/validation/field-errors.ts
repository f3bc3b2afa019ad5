/**
 * Builders for field causes with Kubernetes' reasons and message shapes
 * (`Required value`, `Invalid value: "x": ...`, `Unsupported value: ...`).
 */
import type { StatusCause } from '../types.js';

function show(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (value === undefined) return 'null';
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

/** A missing required field (reason FieldValueRequired). */
export function required(field: string, detail?: string): StatusCause {
  return { field, message: detail ? `Required value: ${detail}` : 'Required value', reason: 'FieldValueRequired' };
}

/** A value that breaks a rule (reason FieldValueInvalid). */
export function invalid(field: string, value: unknown, detail: string): StatusCause {
  return { field, message: `Invalid value: ${show(value)}: ${detail}`, reason: 'FieldValueInvalid' };
}

/** A value outside an enumeration (reason FieldValueNotSupported). */
export function notSupported(field: string, value: unknown, valid: readonly string[]): StatusCause {
  const list = valid.map((v) => JSON.stringify(v)).join(', ');
  return { field, message: `Unsupported value: ${show(value)}: supported values: ${list}`, reason: 'FieldValueNotSupported' };
}

/** A value that appears twice where it must be unique (reason FieldValueDuplicate). */
export function duplicate(field: string, value: unknown): StatusCause {
  return { field, message: `Duplicate value: ${show(value)}`, reason: 'FieldValueDuplicate' };
}

/** A field that may not be set here (reason FieldValueForbidden). */
export function forbidden(field: string, detail: string): StatusCause {
  return { field, message: `Forbidden: ${detail}`, reason: 'FieldValueForbidden' };
}

/** A value longer than allowed (reason FieldValueTooLong). */
export function tooLong(field: string, max: number): StatusCause {
  return { field, message: `Too long: must have at most ${max} bytes`, reason: 'FieldValueTooLong' };
}

/** The cause used for changes to an immutable field. */
export function immutable(field: string, value: unknown): StatusCause {
  return invalid(field, value, 'field is immutable');
}

/** A reference to something that does not exist (reason FieldValueNotFound). */
export function notFound(field: string, value: unknown): StatusCause {
  return { field, message: `Not found: ${show(value)}`, reason: 'FieldValueNotFound' };
}
