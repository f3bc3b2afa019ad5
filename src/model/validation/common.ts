/** Small shared checks for validators: plain objects, object lists, ports, non-negative numbers, IANA service names. */
import type { StatusCause } from '../types.js';
import { invalid } from './field-errors.js';

/** A plain JSON object (not an array, not null). */
export function isObject<T>(v: T): v is T & Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Checks an optional list of objects at `field`: absent passes, a value that is not a list is
 * one cause, an item that is not an object is one cause at `field[i]`, and `check` adds the
 * causes of each object item, given its path `field[i]`.
 */
export function validateObjectList<T>(
  list: unknown,
  field: string,
  check: (item: T & Record<string, unknown>, at: string, causes: StatusCause[]) => void,
): StatusCause[] {
  if (list === undefined || list === null) return [];
  if (!Array.isArray(list)) return [invalid(field, list, 'must be a list')];
  const causes: StatusCause[] = [];
  list.forEach((item: unknown, i) => {
    const at = `${field}[${i}]`;
    if (!isObject(item)) causes.push(invalid(at, item, 'must be an object'));
    else check(item as T & Record<string, unknown>, at, causes);
  });
  return causes;
}

const IANA_RE = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/;

/** Problems of an IANA service name (a port name): at most 15 characters, lower-case, a letter, no '--'. */
export function ianaSvcNameErrors(name: string): string[] {
  const errs: string[] = [];
  if (name.length > 15) errs.push('must be no more than 15 characters');
  if (!IANA_RE.test(name)) errs.push('must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)');
  if (name.includes('--')) errs.push('must not contain consecutive hyphens');
  if (!/[a-z]/.test(name)) errs.push('must contain at least one letter (a-z)');
  return errs;
}

/** Checks a port number is in 1..65535. */
export function validatePortNumber(port: unknown, field: string): StatusCause[] {
  if (typeof port !== 'number' || !Number.isInteger(port) || port < 1 || port > 65535) {
    return [invalid(field, port, 'must be between 1 and 65535, inclusive')];
  }
  return [];
}

/** Checks a port given as a number (1..65535) or a name (IANA service name), e.g. a targetPort. */
export function validatePortNumOrName(port: unknown, field: string): StatusCause[] {
  if (typeof port === 'number') return validatePortNumber(port, field);
  if (typeof port === 'string') {
    if (/^[0-9]+$/.test(port)) return validatePortNumber(Number(port), field);
    return ianaSvcNameErrors(port).map((m) => invalid(field, port, m));
  }
  return [invalid(field, port, 'must be a port number or name')];
}

/** Checks an optional integer is >= 0. */
export function validateNonNegative(value: unknown, field: string): StatusCause[] {
  if (value === undefined || value === null) return [];
  if (typeof value !== 'number' || !Number.isInteger(value)) return [invalid(field, value, 'must be an integer')];
  return value < 0 ? [invalid(field, value, 'must be greater than or equal to 0')] : [];
}

/** Checks an optional integer is > 0. */
export function validatePositive(value: unknown, field: string): StatusCause[] {
  if (value === undefined || value === null) return [];
  if (typeof value !== 'number' || !Number.isInteger(value)) return [invalid(field, value, 'must be an integer')];
  return value <= 0 ? [invalid(field, value, 'must be greater than 0')] : [];
}
