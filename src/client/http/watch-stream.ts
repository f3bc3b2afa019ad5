import type { Dispatcher } from 'undici';
import type { KubeObject, Status, WatchEvent } from '../../model/types.js';
import { deepFreeze } from '../../model/freeze.js';
import { errorOfResponse } from './transport.js';

/**
 * The events of a watch response (one JSON object a line), as the in-process watch gives them:
 * frozen objects; an ERROR event (410 Expired when the version is too old) throws its Status as
 * a TugboatError, so a list-watch relists.
 */
export async function* watchEvents<T extends KubeObject>(res: Dispatcher.ResponseData): AsyncGenerator<WatchEvent<T>> {
  let buffered = '';
  try {
    for await (const chunk of res.body) {
      buffered += typeof chunk === 'string' ? chunk : (chunk as Buffer).toString('utf8');
      let nl = buffered.indexOf('\n');
      while (nl >= 0) {
        const line = buffered.slice(0, nl).trim();
        buffered = buffered.slice(nl + 1);
        nl = buffered.indexOf('\n');
        if (line === '') continue;
        const event = JSON.parse(line) as { type: string; object: unknown };
        if (event.type === 'ERROR') {
          const status = event.object as Status;
          throw errorOfResponse(status.code ?? 500, status);
        }
        yield deepFreeze({ type: event.type, object: event.object }) as WatchEvent<T>;
      }
    }
  } finally {
    res.body.destroy();
  }
}
