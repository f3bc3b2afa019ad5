/**
 * pods/log: a container's output as text/plain, streamed as it comes with `follow=true`
 * (`kubectl logs -f`), through the node agents' logs.
 */
import { TugboatError } from '../model/errors.js';
import type { RequestScope, ResourceRequest } from './request-scope.js';
import type { ServerBackend } from './types.js';
import { HttpError } from './http-status.js';

/** GET .../pods/NAME/log */
export async function handlePodLog(scope: RequestScope, info: ResourceRequest, backend: ServerBackend): Promise<void> {
  if (info.verb !== 'get') throw new HttpError(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource');
  if (!backend.logs) throw new HttpError(405, 'MethodNotAllowed', 'this server has no node agents to read logs from');
  const q = scope.query;
  const tailText = q.get('tailLines');
  const tail = tailText === null ? undefined : Number(tailText);
  if (tail !== undefined && (!Number.isInteger(tail) || tail < 0))
    throw TugboatError.badRequest(`tailLines: Invalid value: "${tailText}": must be a non-negative integer`);
  const follow = q.get('follow') === 'true';
  const timestamps = q.get('timestamps') === 'true';
  const abort = new AbortController();
  scope.res.on('close', () => abort.abort());
  // Checks the pod and container before the first byte, so errors are a Status.
  await backend.context.client('v1', 'Pod', info.namespace).get(info.name!);
  const lines = backend
    .logs(info.namespace!, info.name!, {
      ...(q.get('container') ? { container: q.get('container')! } : {}),
      follow,
      ...(tail !== undefined ? { tail } : {}),
      timestamps,
      previous: q.get('previous') === 'true',
      signal: abort.signal,
    })
    [Symbol.asyncIterator]();
  const first = await lines.next();
  scope.res.writeHead(200, { 'Content-Type': 'text/plain', 'Cache-Control': 'no-cache, private', 'Transfer-Encoding': 'chunked' });
  scope.res.flushHeaders();
  const write = (l: { line: string; time?: Date }) =>
    scope.res.write(`${timestamps && l.time ? `${l.time.toISOString()} ` : ''}${l.line}\n`);
  try {
    if (!first.done) write(first.value);
    if (!first.done) {
      for (let r = await lines.next(); !r.done && !abort.signal.aborted; r = await lines.next()) write(r.value);
    }
  } finally {
    abort.abort();
    await lines.return?.();
    if (!scope.res.destroyed) scope.res.end();
  }
}
