/**
 * Kubernetes Status bodies for failed requests: a TugboatError's own Status, or one built for the
 * reasons only the HTTP layer has (Unauthorized, NotAcceptable, TooManyRequests, ...).
 */
import type { ServerResponse } from 'node:http';
import { TugboatError } from '../model/errors.js';

/** A Status body as kube-apiserver sends it (reason may be one the library never throws). */
export interface StatusBody {
  kind: 'Status';
  apiVersion: 'v1';
  /** Empty, but for an Expired continued list: the token that reads on (`continue`). */
  metadata: { continue?: string };
  status: 'Failure' | 'Success';
  message: string;
  reason: string;
  code: number;
  details?: Record<string, unknown>;
}

/** A failure Status of any reason and code. */
export function statusBody(code: number, reason: string, message: string, details?: Record<string, unknown>): StatusBody {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code, ...(details ? { details } : {}) };
}

/** The Status of a thrown value: a TugboatError's own, else an InternalError naming the message. */
export function statusOf(err: unknown): StatusBody {
  if (err instanceof TugboatError) {
    const s = err.status;
    const body = statusBody(s.code, s.reason, s.message, s.details as Record<string, unknown> | undefined);
    if (s.metadata?.continue) body.metadata = { continue: s.metadata.continue };
    return body;
  }
  if (err instanceof HttpError) return err.body;
  const message = err instanceof Error ? err.message : String(err);
  return statusBody(500, 'InternalError', `Internal error occurred: ${message}`);
}

/** An error the HTTP layer raises with a Status of its own (401, 406, 415, 429). */
export class HttpError extends Error {
  readonly body: StatusBody;
  constructor(code: number, reason: string, message: string, details?: Record<string, unknown>) {
    super(message);
    this.name = 'HttpError';
    this.body = statusBody(code, reason, message, details);
  }
}

/** Writes a JSON body with a status code (unless the response was started already). */
export function sendJson(res: ServerResponse, code: number, body: unknown, contentType = 'application/json'): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  const text = JSON.stringify(body);
  res.writeHead(code, { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(text), 'Cache-Control': 'no-cache, private' });
  res.end(text);
}

/** Writes the Status of a thrown value. */
export function sendError(res: ServerResponse, err: unknown): void {
  const body = statusOf(err);
  sendJson(res, body.code, body);
}
