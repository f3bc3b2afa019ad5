/**
 * The `nginx.ingress.kubernetes.io/` annotations tugboat's adapters act on: proxy-body-size,
 * proxy-read-timeout, rewrite-target and ssl-redirect. A bad value is a field cause naming the
 * annotation, and the default applies.
 */
import type { StatusCause } from '../../model/types.js';
import { invalid } from '../../model/validation/field-errors.js';
import type { RouteOptions } from '../types.js';

/** The annotations' common prefix. */
export const NGINX_ANNOTATION_PREFIX = 'nginx.ingress.kubernetes.io/';
/** Largest request body (nginx size syntax: `8k`, `1m`, `0` for no limit). */
export const PROXY_BODY_SIZE = `${NGINX_ANNOTATION_PREFIX}proxy-body-size`;
/** Seconds to wait for the backend's response. */
export const PROXY_READ_TIMEOUT = `${NGINX_ANNOTATION_PREFIX}proxy-read-timeout`;
/** The path the matched part of the request path is replaced with. */
export const REWRITE_TARGET = `${NGINX_ANNOTATION_PREFIX}rewrite-target`;
/** `false` serves plain HTTP on hosts with TLS instead of redirecting (308). */
export const SSL_REDIRECT = `${NGINX_ANNOTATION_PREFIX}ssl-redirect`;

/** The options when no annotation says otherwise (ingress-nginx's defaults). */
export const DEFAULT_ROUTE_OPTIONS: RouteOptions = { maxBodyBytes: 1024 * 1024, readTimeoutMs: 60_000, sslRedirect: true };

const SIZE_UNITS: Record<string, number> = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 };

/** Parses an nginx size (`512`, `8k`, `1m`, `2G`) to bytes, or undefined. */
export function parseNginxSize(value: string): number | undefined {
  const m = /^\s*(\d+)([kKmMgG]?)\s*$/.exec(value);
  if (!m) return undefined;
  return Number(m[1]) * (SIZE_UNITS[(m[2] ?? '').toLowerCase()] ?? 1);
}

/** The route options of an Ingress's annotations, with a cause for each bad value. */
export function routeOptionsOf(annotations: Record<string, string> | undefined): { options: RouteOptions; causes: StatusCause[] } {
  const options: RouteOptions = { ...DEFAULT_ROUTE_OPTIONS };
  const causes: StatusCause[] = [];
  const a = annotations ?? {};
  const field = (name: string): string => `metadata.annotations[${name}]`;
  const size = a[PROXY_BODY_SIZE];
  if (size !== undefined) {
    const bytes = parseNginxSize(size);
    if (bytes === undefined) causes.push(invalid(field(PROXY_BODY_SIZE), size, 'must be a size such as 512, 8k, 1m or 0 (no limit)'));
    else options.maxBodyBytes = bytes;
  }
  const timeout = a[PROXY_READ_TIMEOUT];
  if (timeout !== undefined) {
    if (!/^\s*\d+\s*$/.test(timeout) || Number(timeout) <= 0)
      causes.push(invalid(field(PROXY_READ_TIMEOUT), timeout, 'must be a positive number of seconds'));
    else options.readTimeoutMs = Number(timeout) * 1000;
  }
  const target = a[REWRITE_TARGET];
  if (target !== undefined) {
    if (!target.startsWith('/')) causes.push(invalid(field(REWRITE_TARGET), target, 'must be an absolute path'));
    else if (/[$\s{};"'\\]/.test(target))
      causes.push(invalid(field(REWRITE_TARGET), target, 'capture groups ($1), spaces, quotes and braces are not supported'));
    else options.rewriteTarget = target;
  }
  const redirect = a[SSL_REDIRECT];
  if (redirect !== undefined) {
    if (redirect !== 'true' && redirect !== 'false') causes.push(invalid(field(SSL_REDIRECT), redirect, 'must be "true" or "false"'));
    else options.sslRedirect = redirect === 'true';
  }
  return { options, causes };
}
