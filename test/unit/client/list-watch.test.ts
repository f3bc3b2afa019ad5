import { describe, expect, it } from 'vitest';
import { isExpired, listWatch, type ListWatchFailure, type ListWatchHandler } from '../../../src/client/list-watch.js';
import type { ResourceClient, WatchOptions } from '../../../src/client/types.js';
import { TugboatError } from '../../../src/model/errors.js';
import type { KubeObject, ObjectList, WatchEvent } from '../../../src/model/types.js';

const obj = (name: string, rv: string): KubeObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, resourceVersion: rv } });
const ev = (type: WatchEvent['type'], name: string, rv: string): WatchEvent => ({ type, object: obj(name, rv) });

type Step<T> = T | Error | (() => T | Error);

/**
 * A scripted client: each list() takes the next list answer, each watch() the next stream (events,
 * then an error or a normal end). When the script runs out, list() fails and watch() waits for abort.
 */
class ScriptedClient {
  readonly watchedFrom: (string | undefined)[] = [];
  listCalls = 0;
  constructor(
    private readonly lists: Step<ObjectList>[],
    private readonly watches: { events: WatchEvent[]; then?: Error }[],
  ) {}

  async list(): Promise<ObjectList> {
    this.listCalls++;
    const step = this.lists.shift();
    if (step === undefined) throw new Error('script: no more lists');
    const value = typeof step === 'function' ? step() : step;
    if (value instanceof Error) throw value;
    return value;
  }

  async *watch(options: WatchOptions = {}): AsyncIterable<WatchEvent> {
    this.watchedFrom.push(options.resourceVersion);
    const next = this.watches.shift();
    if (next === undefined) {
      await new Promise<void>((resolve) => options.signal?.addEventListener('abort', () => resolve(), { once: true }));
      return;
    }
    for (const e of next.events) yield e;
    if (next.then) throw next.then;
  }

  get client(): ResourceClient {
    return this as unknown as ResourceClient;
  }
}

/** Records what the handler saw, as short strings. */
function recorder(fail?: (what: string) => Error | undefined): { seen: string[]; handler: ListWatchHandler } {
  const seen: string[] = [];
  const note = (what: string): void => {
    seen.push(what);
    const err = fail?.(what);
    if (err) throw err;
  };
  return {
    seen,
    handler: {
      onSync: (objects, rv) => note(`sync@${rv}:${objects.map((o) => o.metadata.name).join(',')}`),
      onEvent: (e) => note(`${e.type}:${e.object.metadata.name}@${e.object.metadata.resourceVersion}`),
    },
  };
}

/** Waits until `cond` holds, letting the loop's promises run. */
async function until(cond: () => boolean): Promise<void> {
  for (let i = 0; i < 1000 && !cond(); i++) await new Promise((r) => setImmediate(r));
  expect(cond()).toBe(true);
}

describe('listWatch', () => {
  it('lists, then watches from the list version, handing on every change in order but no bookmarks', async () => {
    const c = new ScriptedClient(
      [{ items: [obj('a', '3')], resourceVersion: '5' }],
      [{ events: [ev('ADDED', 'b', '6'), ev('BOOKMARK', '', '7'), ev('MODIFIED', 'a', '8'), ev('DELETED', 'b', '9')] }],
    );
    const { seen, handler } = recorder();
    const abort = new AbortController();
    let synced = 0;
    const done = listWatch(c.client, handler, { signal: abort.signal, onSynced: () => synced++ });
    await until(() => c.watchedFrom.length === 2);
    abort.abort();
    await done;
    expect(seen).toEqual(['sync@5:a', 'ADDED:b@6', 'MODIFIED:a@8', 'DELETED:b@9']);
    expect(synced).toBe(1);
    // The ended watch resumes from the last version seen (9), without a relist.
    expect(c.watchedFrom).toEqual(['5', '9']);
    expect(c.listCalls).toBe(1);
  });

  it('resumes from a bookmark version when the watch ends after it', async () => {
    const c = new ScriptedClient([{ items: [], resourceVersion: '1' }], [{ events: [ev('BOOKMARK', '', '40')] }]);
    const abort = new AbortController();
    const done = listWatch(c.client, recorder().handler, { signal: abort.signal });
    await until(() => c.watchedFrom.length === 2);
    abort.abort();
    await done;
    expect(c.watchedFrom).toEqual(['1', '40']);
  });

  it.each(['Expired', 'Gone'] as const)('relists on %s without asking retry, and hands on the new full state', async (reason) => {
    const c = new ScriptedClient(
      [
        { items: [obj('a', '1')], resourceVersion: '2' },
        { items: [obj('b', '7')], resourceVersion: '9' },
      ],
      [{ events: [ev('ADDED', 'c', '3')], then: new TugboatError(reason, 'gone') }],
    );
    const { seen, handler } = recorder();
    const abort = new AbortController();
    const failures: ListWatchFailure[] = [];
    let synced = 0;
    const done = listWatch(c.client, handler, {
      signal: abort.signal,
      onSynced: () => synced++,
      retry: (f) => {
        failures.push(f);
        return true;
      },
    });
    await until(() => c.watchedFrom.length === 2);
    abort.abort();
    await done;
    expect(seen).toEqual(['sync@2:a', 'ADDED:c@3', 'sync@9:b']);
    expect(c.watchedFrom).toEqual(['2', '9']);
    expect(failures).toEqual([]);
    expect(synced).toBe(1);
  });

  it('stops on abort: resolves, even while a watch is waiting, and lists no more', async () => {
    const c = new ScriptedClient([{ items: [], resourceVersion: '1' }], []);
    const abort = new AbortController();
    const done = listWatch(c.client, recorder().handler, { signal: abort.signal });
    await until(() => c.watchedFrom.length === 1);
    abort.abort();
    await expect(done).resolves.toBeUndefined();
    expect(c.listCalls).toBe(1);
    expect(c.watchedFrom).toEqual(['1']);
  });

  it('does nothing when the signal is already aborted', async () => {
    const c = new ScriptedClient([{ items: [], resourceVersion: '1' }], []);
    const abort = new AbortController();
    abort.abort();
    await listWatch(c.client, recorder().handler, { signal: abort.signal });
    expect(c.listCalls).toBe(0);
  });

  it('hands no list to the handler once aborted while listing', async () => {
    const abort = new AbortController();
    const c = new ScriptedClient(
      [
        () => {
          abort.abort();
          return { items: [obj('a', '1')], resourceVersion: '1' };
        },
      ],
      [],
    );
    const { seen, handler } = recorder();
    await listWatch(c.client, handler, { signal: abort.signal });
    expect(seen).toEqual([]);
  });

  it('without retry, a failure other than Expired stops the loop and rejects with it', async () => {
    const boom = new TugboatError('NotFound', 'the kind went away');
    const c = new ScriptedClient([{ items: [], resourceVersion: '1' }], [{ events: [], then: boom }]);
    const abort = new AbortController();
    await expect(listWatch(c.client, recorder().handler, { signal: abort.signal })).rejects.toBe(boom);
    expect(c.listCalls).toBe(1);
  });

  it('a handler error is a failure: retry decides, and the loop relists so the handler gets the full state again', async () => {
    const c = new ScriptedClient(
      [
        { items: [obj('a', '1')], resourceVersion: '1' },
        { items: [obj('a', '1'), obj('b', '2')], resourceVersion: '2' },
      ],
      [{ events: [ev('ADDED', 'b', '2')] }],
    );
    const bad = new Error('handler broke');
    const { seen, handler } = recorder((what) => (what === 'ADDED:b@2' ? bad : undefined));
    const failures: ListWatchFailure[] = [];
    const abort = new AbortController();
    const done = listWatch(c.client, handler, {
      signal: abort.signal,
      retry: (f) => {
        failures.push(f);
        return true;
      },
    });
    await until(() => c.watchedFrom.length === 2);
    abort.abort();
    await done;
    expect(failures).toEqual([{ error: bad, failures: 1, synced: true }]);
    expect(seen).toEqual(['sync@1:a', 'ADDED:b@2', 'sync@2:a,b']);
    expect(c.watchedFrom).toEqual(['1', '2']);
  });

  it('a handler error without retry rejects the loop with that error', async () => {
    const c = new ScriptedClient([{ items: [obj('a', '1')], resourceVersion: '1' }], []);
    const bad = new Error('sync broke');
    const { handler } = recorder(() => bad);
    await expect(listWatch(c.client, handler, { signal: new AbortController().signal })).rejects.toBe(bad);
  });

  it('counts failures in a row, says whether the first list was seen, and resets after a good list', async () => {
    const down = (): Error => new TugboatError('ServiceUnavailable', 'down');
    const c = new ScriptedClient(
      [down(), down(), { items: [], resourceVersion: '4' }, down(), { items: [], resourceVersion: '6' }],
      [{ events: [], then: new TugboatError('InternalError', 'watch broke') }],
    );
    const failures: Omit<ListWatchFailure, 'error'>[] = [];
    const abort = new AbortController();
    let synced = 0;
    const done = listWatch(c.client, recorder().handler, {
      signal: abort.signal,
      onSynced: () => synced++,
      retry: async ({ failures: n, synced: s }) => {
        failures.push({ failures: n, synced: s });
        return true;
      },
    });
    await until(() => c.watchedFrom.length === 2);
    abort.abort();
    await done;
    expect(failures).toEqual([
      { failures: 1, synced: false },
      { failures: 2, synced: false },
      { failures: 1, synced: true }, // the watch broke
      { failures: 2, synced: true }, // the relist failed
    ]);
    expect(synced).toBe(1);
    expect(c.watchedFrom).toEqual(['4', '6']);
  });

  it('stops and rejects when retry declines, e.g. before the first list', async () => {
    const down = new TugboatError('ServiceUnavailable', 'down');
    const c = new ScriptedClient([down], []);
    let synced = 0;
    const run = listWatch(c.client, recorder().handler, {
      signal: new AbortController().signal,
      onSynced: () => synced++,
      retry: ({ synced: s }) => s,
    });
    await expect(run).rejects.toBe(down);
    expect(synced).toBe(0);
  });

  it('resolves rather than rejects when aborted while retry waits', async () => {
    const c = new ScriptedClient([new Error('down')], []);
    const abort = new AbortController();
    const run = listWatch(c.client, recorder().handler, {
      signal: abort.signal,
      retry: () => {
        abort.abort();
        return false;
      },
    });
    await expect(run).resolves.toBeUndefined();
  });
});

it('isExpired is true only for the 410 reasons', () => {
  expect(isExpired(new TugboatError('Expired', 'old'))).toBe(true);
  expect(isExpired(new TugboatError('Gone', 'old'))).toBe(true);
  expect(isExpired(new TugboatError('NotFound', 'x'))).toBe(false);
  expect(isExpired(new Error('Expired'))).toBe(false);
});
