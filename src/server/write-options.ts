import type { IncomingMessage, ServerResponse } from 'node:http';
import { TugboatError } from '../model/errors.js';
import type { DeleteOptions, FieldValidation, PatchType, WriteOptions } from '../client/types.js';

/** The most characters of a field manager's name (kube-apiserver's FieldManagerMaxLength). */
const FIELD_MANAGER_MAX = 128;

/**
 * The field manager of a create, update or non-apply patch, as kube-apiserver picks it: the
 * `fieldManager` query parameter, else the User-Agent's first segment (`kubectl/v1.32.0 (...)`
 * is `kubectl`), cut to 128 characters. Undefined when there is neither.
 */
export function defaultFieldManager(userAgent: string | undefined): string | undefined {
  const prefix = (userAgent ?? '').split('/')[0].slice(0, FIELD_MANAGER_MAX);
  return prefix || undefined;
}

/** A request's User-Agent ('' when it sent none). */
export function userAgentOf(scope: { req: IncomingMessage }): string {
  return scope.req.headers['user-agent'] ?? '';
}

/** The kind of options a write's query stands for, as Invalid errors name it. */
export type WriteOptionsKind = 'CreateOptions' | 'UpdateOptions' | 'PatchOptions';

/**
 * The write options of a request's query: dryRun, fieldValidation, fieldManager (defaulted from
 * `userAgent` when given, see {@link defaultFieldManager}). A fieldManager over 128 characters or
 * with a character that does not print is Invalid, naming `fieldManager`.
 */
export function writeOptionsOf(
  query: URLSearchParams,
  warnings: string[],
  userAgent?: string,
  kind: WriteOptionsKind = 'PatchOptions',
): WriteOptions {
  const dryRun = query.getAll('dryRun');
  for (const d of dryRun) {
    if (d !== 'All' && d !== '') throw TugboatError.badRequest(`dryRun: Unsupported value: "${d}": supported values: "All"`);
  }
  const fv = query.get('fieldValidation');
  if (fv !== null && fv !== 'Strict' && fv !== 'Warn' && fv !== 'Ignore') {
    throw TugboatError.badRequest(`fieldValidation: Unsupported value: "${fv}": supported values: "Ignore", "Strict", "Warn"`);
  }
  const given = query.get('fieldManager') ?? undefined;
  if (given !== undefined) checkFieldManager(given, kind);
  const fieldManager = given ?? (userAgent !== undefined ? defaultFieldManager(userAgent) : undefined);
  return {
    dryRun: dryRun.includes('All'),
    ...(fv ? { fieldValidation: fv as FieldValidation } : {}),
    ...(fieldManager ? { fieldManager } : {}),
    warnings,
  };
}

/** Sends a write's warnings as `Warning: 299 - "text"` headers, as kube-apiserver does. */
export function setWarnings(res: ServerResponse, warnings: readonly string[]): void {
  if (!warnings.length || res.headersSent) return;
  res.setHeader(
    'Warning',
    [...new Set(warnings)].map((w) => `299 - ${JSON.stringify(w.replace(/[\r\n]+/g, ' '))}`),
  );
}

/** The patch type of a PATCH request's Content-Type, or 'apply' for server-side apply. */
export function patchTypeOf(contentType: string): PatchType | 'apply' {
  switch (contentType) {
    case 'application/json-patch+json':
      return 'json';
    case 'application/merge-patch+json':
      return 'merge';
    case 'application/strategic-merge-patch+json':
      return 'strategic';
    case 'application/apply-patch+yaml':
    case 'application/apply-patch+cbor':
      return 'apply';
    default:
      throw TugboatError.badRequest(
        `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml, application/strategic-merge-patch+json (got "${contentType}")`,
      );
  }
}

/** DeleteOptions from a DELETE's body (if any) and query parameters. */
export function deleteOptionsOf(body: unknown, query: URLSearchParams): DeleteOptions & { dryRun: boolean } {
  const b = (body && typeof body === 'object' ? body : {}) as Record<string, any>;
  const policy = query.get('propagationPolicy') ?? b.propagationPolicy ?? (b.orphanDependents === true ? 'Orphan' : undefined);
  if (policy !== undefined && policy !== 'Background' && policy !== 'Foreground' && policy !== 'Orphan') {
    throw TugboatError.badRequest(
      `propagationPolicy: Unsupported value: "${policy}": supported values: "Background", "Foreground", "Orphan"`,
    );
  }
  const graceText = query.get('gracePeriodSeconds');
  const grace = graceText !== null ? Number(graceText) : b.gracePeriodSeconds;
  if (grace !== undefined && (!Number.isInteger(grace) || grace < 0)) {
    throw TugboatError.badRequest(`gracePeriodSeconds: Invalid value: ${JSON.stringify(grace)}: must be a non-negative integer`);
  }
  const dryRun = [...query.getAll('dryRun'), ...(Array.isArray(b.dryRun) ? b.dryRun : [])].includes('All');
  const pre = b.preconditions && typeof b.preconditions === 'object' ? b.preconditions : undefined;
  return {
    ...(policy ? { propagationPolicy: policy } : {}),
    ...(grace !== undefined ? { gracePeriodSeconds: grace } : {}),
    ...(pre
      ? {
          preconditions: { ...(pre.uid ? { uid: pre.uid } : {}), ...(pre.resourceVersion ? { resourceVersion: pre.resourceVersion } : {}) },
        }
      : {}),
    dryRun,
  };
}

function checkFieldManager(manager: string, kind: WriteOptionsKind): void {
  const subject = { kind, group: 'meta.k8s.io' };
  if (manager.length > FIELD_MANAGER_MAX) {
    throw TugboatError.invalid(subject, '', [
      { field: 'fieldManager', message: `Too long: may not be longer than ${FIELD_MANAGER_MAX}`, reason: 'FieldValueTooLong' },
    ]);
  }
  const bad = [...manager].findIndex((c) => !/^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u.test(c));
  if (bad >= 0) {
    const c = [...manager][bad];
    const code = `U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
    throw TugboatError.invalid(subject, '', [
      {
        field: 'fieldManager',
        message: `Invalid value: ${JSON.stringify(manager)}: invalid character ${code} (at position ${bad})`,
        reason: 'FieldValueInvalid',
      },
    ]);
  }
}
