/**
 * A watch over HTTP: a chunked JSON stream of `{"type","object"}` lines, its headers flushed at
 * once (client-node's informer waits for them). BOOKMARKs go out every `bookmarkIntervalMs` when
 * the client allows them; a client that stops reading is cut off once `maxBacklog` events wait
 * for it; an expired resourceVersion is an ERROR event with a 410 Status, as kube-apiserver sends.
 */
import type { ServerResponse } from 'node:http';
import type { KubeObject, WatchEvent } from '../model/types.js';
import { statusOf } from './http-status.js';

/** Options of {@link streamWatch}. */
export interface WatchStreamOptions {
  /** Send BOOKMARK events (allowWatchBookmarks). */
  bookmarks: boolean;
  bookmarkIntervalMs: number;
  /** Events waiting for a client that does not read before it is cut off. */
  maxBacklog: number;
  /** End the watch after this long (timeoutSeconds). */
  timeoutMs?: number;
  /** The resourceVersion to bookmark before any event arrives. */
  startVersion?: string;
  /** Turns an event's object into what is sent (a Table row, say). */
  transform?: (obj: KubeObject, first: boolean) => unknown;
  /** The bookmark object's apiVersion and kind. */
  kind: { apiVersion: string; kind: string };
  contentType?: string;
}

/** Streams `events` to `res` until the client goes, the timeout passes or the source ends. */
export async function streamWatch(
  res: ServerResponse,
  open: (signal: AbortSignal) => AsyncIterable<WatchEvent>,
  options: WatchStreamOptions,
): Promise<void> {
  const abort = new AbortController();
  const stop = () => abort.abort();
  res.on('close', stop);
  res.writeHead(200, {
    'Content-Type': options.contentType ?? 'application/json',
    'Cache-Control': 'no-cache, private',
    'Transfer-Encoding': 'chunked',
  });
  res.flushHeaders();
  let lastVersion = options.startVersion;
  let backlog = 0;
  let first = true;
  const write = (event: unknown): void => {
    if (abort.signal.aborted) return;
    if (!res.write(`${JSON.stringify(event)}\n`)) backlog++;
    if (backlog > options.maxBacklog) {
      // The client reads slower than events come: cut it off; it relists and watches again.
      res.destroy();
      stop();
    }
  };
  res.on('drain', () => {
    backlog = 0;
  });
  const bookmark = options.bookmarks
    ? setInterval(() => {
        if (lastVersion) write({ type: 'BOOKMARK', object: { ...options.kind, metadata: { resourceVersion: lastVersion } } });
      }, options.bookmarkIntervalMs)
    : undefined;
  bookmark?.unref();
  const timeout = options.timeoutMs ? setTimeout(stop, options.timeoutMs) : undefined;
  timeout?.unref();
  try {
    for await (const event of open(abort.signal)) {
      if (abort.signal.aborted) break;
      lastVersion = event.object?.metadata?.resourceVersion ?? lastVersion;
      if (event.type === 'BOOKMARK') {
        if (options.bookmarks) write({ type: 'BOOKMARK', object: { ...options.kind, metadata: { resourceVersion: lastVersion } } });
        continue;
      }
      write({ type: event.type, object: options.transform ? options.transform(event.object, first) : event.object });
      first = false;
    }
  } catch (err) {
    if (!abort.signal.aborted) write({ type: 'ERROR', object: statusOf(err) });
  } finally {
    if (bookmark) clearInterval(bookmark);
    if (timeout) clearTimeout(timeout);
    res.off('close', stop);
    if (!res.destroyed) res.end();
  }
}
