import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RealClock } from '../../../src/clock/real-clock.js';
import { openStore, parseStoreFlag } from '../../../src/cli/store-flag.js';
import { TugboatError } from '../../../src/model/errors.js';
import { MemoryStore } from '../../../src/store/memory-store.js';

describe('tugboat apiserver --store', () => {
  it('parses memory, sqlite:FILE and etcd://HOST:PORT[,...]', () => {
    expect(parseStoreFlag('memory')).toEqual({ kind: 'memory' });
    expect(parseStoreFlag('sqlite:./x.db')).toEqual({ kind: 'sqlite', path: resolve('./x.db') });
    expect(parseStoreFlag('etcd://127.0.0.1:2379,etcd-2:2379')).toEqual({
      kind: 'etcd',
      endpoints: ['http://127.0.0.1:2379', 'http://etcd-2:2379'],
    });
  });

  it.each(['', 'mem', 'sqlite:', 'etcd://', 'etcd://host', 'etcd://a:1,', 'postgres://x:1'])(
    'rejects %j as Invalid naming --store',
    (v) => {
      try {
        parseStoreFlag(v);
        expect.unreachable();
      } catch (err) {
        expect(TugboatError.is(err, 'Invalid')).toBe(true);
        expect((err as TugboatError).causes[0]?.field).toBe('--store');
      }
    },
  );

  it('opens a MemoryStore for memory', async () => {
    const store = await openStore({ kind: 'memory' }, new RealClock(), '/registry');
    expect(store).toBeInstanceOf(MemoryStore);
    await store.close();
  });
});
