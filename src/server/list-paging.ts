/**
 * The `limit` query parameter of a list. The pages themselves are cut by the store (every page at
 * the first page's resourceVersion, which the continue token carries; see store/list-page.ts).
 */
import { TugboatError } from '../model/errors.js';

/** The `limit` query parameter, or a BadRequest. */
export function parseLimit(value: string | null): number | undefined {
  if (value === null || value === '') return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw TugboatError.badRequest(`limit: Invalid value: "${value}": must be a non-negative integer`);
  return n;
}
