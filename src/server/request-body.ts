import type { IncomingMessage } from 'node:http';
import { parse as parseYaml } from 'yaml';
import { TugboatError } from '../model/errors.js';
import { HttpError } from './http-status.js';
import { decodeProtobufBody, PROTOBUF_MEDIA_TYPE } from './protobuf/kubernetes-protobuf.js';

/**
 * Reads a request body of at most `limit` bytes: a larger one (by Content-Length or as it
 * streams) fails 413 RequestEntityTooLarge and is not read further.
 */
export async function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? Number.NaN);
  if (declared > limit) {
    req.resume();
    throw tooLarge(limit);
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) over = true;
      // Past the limit the rest is read and dropped, so the 413 reaches the client.
      if (!over) chunks.push(chunk);
    });
    req.on('end', () => (over ? reject(tooLarge(limit)) : resolve(Buffer.concat(chunks))));
    req.on('error', reject);
  });
}

function tooLarge(limit: number): TugboatError {
  return TugboatError.tooLarge(`the request body is larger than the limit of ${limit} bytes`);
}

/** The media type of a request's Content-Type, without parameters. */
export function mediaType(req: IncomingMessage): string {
  return (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
}

/**
 * Parses a JSON, YAML or (for the kinds kubectl sends so) Kubernetes protobuf body; fails 400 or
 * 415 with a Status. A protobuf body's fields the decoder does not declare are pushed to
 * `unknownFields` (their paths), for the fieldValidation of the write.
 */
export function parseBody(body: Buffer, type: string, unknownFields?: string[]): unknown {
  if (type === PROTOBUF_MEDIA_TYPE) return decodeProtobufBody(body, unknownFields);
  const text = body.toString('utf8');
  if (type.endsWith('yaml')) {
    try {
      return parseYaml(text);
    } catch (e) {
      throw TugboatError.badRequest(`error decoding YAML: ${(e as Error).message}`);
    }
  }
  if (type !== '' && !type.endsWith('json')) {
    throw new HttpError(
      415,
      'UnsupportedMediaType',
      `the body of the request was in an unknown format - accepted media types include: application/json, application/yaml`,
    );
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw TugboatError.badRequest(`error decoding JSON: ${(e as Error).message}`);
  }
}
