/**
 * The object API's side of multi-version kinds: a served version with a
 * {@link ResourceType.conversion} is stored as its storage version, so what its clients write is
 * converted before defaulting, validation and admission, and what they read, list and watch is
 * converted back, as the API server converts between the request's version and the storage one.
 */
import type { KubeObject, ObjectList, WatchEvent } from '../model/types.js';
import type { ResourceType } from '../model/resource-type.js';
import { deepFreeze } from '../model/freeze.js';
import { isBufferedIterator, type BufferedIterator } from '../model/async-queue.js';

/** The kind as its objects are stored: the storage version of a converted version, else itself. */
export function storageOf(type: ResourceType): ResourceType {
  return type.conversion?.storage ?? type;
}

/** A client's (decoded) object of `type` in the storage version; itself when `type` is stored as it is. */
export function intoStorage(type: ResourceType, obj: KubeObject): KubeObject {
  return type.conversion ? type.conversion.toStorage(obj) : obj;
}

/** A stored object as `type`'s clients see it (frozen, as the store's own). */
export function fromStorage<T extends KubeObject>(type: ResourceType, obj: T): T {
  return type.conversion ? deepFreeze(type.conversion.fromStorage(obj) as T) : obj;
}

/** A stored list as `type`'s clients see it. */
export function listFromStorage(type: ResourceType, list: ObjectList): ObjectList {
  if (!type.conversion) return list;
  return { ...list, items: list.items.map((o) => fromStorage(type, o)) };
}

/** One watch event as `type`'s clients see it (bookmarks and errors as they are). */
function eventFromStorage(type: ResourceType, event: WatchEvent): WatchEvent {
  if (event.type === 'BOOKMARK') return event;
  return { type: event.type, object: fromStorage(type, event.object) };
}

/** A store watch as `type`'s clients see it; the store's buffered reads are kept (converted). */
export function watchFromStorage(type: ResourceType, events: AsyncIterable<WatchEvent>): AsyncIterable<WatchEvent> {
  if (!type.conversion) return events;
  return {
    [Symbol.asyncIterator]: (): AsyncIterableIterator<WatchEvent> & BufferedIterator<WatchEvent> => {
      const inner = events[Symbol.asyncIterator]();
      return {
        async next(): Promise<IteratorResult<WatchEvent>> {
          const r = await inner.next();
          return r.done ? r : { done: false, value: eventFromStorage(type, r.value) };
        },
        takeBuffered: (max?: number): WatchEvent[] =>
          isBufferedIterator(inner) ? inner.takeBuffered(max).map((e) => eventFromStorage(type, e)) : [],
        return: async (): Promise<IteratorResult<WatchEvent>> => (await inner.return?.()) ?? { done: true, value: undefined },
        [Symbol.asyncIterator]() {
          return this;
        },
      };
    },
  };
}
