/**
 * limit/continue for lists. A continue token carries the resourceVersion of the first page and
 * the key of the last object handed out; the next page is read anew and starts after that key,
 * so pages are consistent per object but not a snapshot of one moment (kube-apiserver reads
 * every page at the first page's version; tugboat's store keeps no old versions).
 */
import type { KubeObject } from '../model/types.js';
import { TugboatError } from '../model/errors.js';

interface Token {
  rv: string;
  start: string;
}

const keyOf = (o: KubeObject) => `${o.metadata?.namespace ?? ''}/${o.metadata?.name ?? ''}`;

/** One page of `items` (sorted by namespace and name) after `continueToken`, at most `limit` long. */
export function page<T extends KubeObject>(
  items: readonly T[],
  resourceVersion: string,
  limit: number | undefined,
  continueToken: string | undefined,
): { items: T[]; resourceVersion: string; continue?: string; remainingItemCount?: number } {
  let rv = resourceVersion;
  let sorted = [...items].sort((a, b) => (keyOf(a) < keyOf(b) ? -1 : keyOf(a) > keyOf(b) ? 1 : 0));
  if (continueToken) {
    const token = decode(continueToken);
    rv = token.rv;
    sorted = sorted.filter((o) => keyOf(o) > token.start);
  }
  if (!limit || limit <= 0 || sorted.length <= limit) return { items: sorted, resourceVersion: rv };
  const out = sorted.slice(0, limit);
  const next = Buffer.from(JSON.stringify({ rv, start: keyOf(out[out.length - 1]) } satisfies Token)).toString('base64url');
  return { items: out, resourceVersion: rv, continue: next, remainingItemCount: sorted.length - limit };
}

function decode(text: string): Token {
  try {
    const t = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as Token;
    if (typeof t.rv === 'string' && typeof t.start === 'string') return t;
  } catch {
    // fall through
  }
  throw TugboatError.badRequest('continue: Invalid value: the continue token is not valid');
}

/** The `limit` query parameter, or a BadRequest. */
export function parseLimit(value: string | null): number | undefined {
  if (value === null || value === '') return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw TugboatError.badRequest(`limit: Invalid value: "${value}": must be a non-negative integer`);
  return n;
}
