import { afterEach, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createOrPatch, mergePatchBetween } from '../../../../src/controllers/util/create-or-patch.js';
import { mergePatch } from '../../../../src/api/patch.js';
import { jsonEqual } from '../../../../src/model/json.js';
import { Cluster } from '../../../../src/cluster/cluster.js';
import { FakeClock } from '../../../../src/clock/fake-clock.js';
import type { ConfigMap, Deployment } from '../../../../src/model/types.js';
import type { ResourceClient } from '../../../../src/client/types.js';

let cluster: Cluster | undefined;
afterEach(async () => {
  await cluster?.stop();
  cluster = undefined;
});

async function start(): Promise<Cluster> {
  cluster = await Cluster.start({ clock: new FakeClock(), controllers: false, scheduler: false });
  return cluster;
}

/** Counts the writes a client makes. */
function counting<T extends ConfigMap | Deployment>(client: ResourceClient<T>) {
  const writes: string[] = [];
  const wrapped = new Proxy(client, {
    get(target, prop, receiver) {
      const v = Reflect.get(target, prop, receiver);
      if (typeof v !== 'function') return v;
      return (...args: unknown[]) => {
        if (['create', 'update', 'patch', 'patchStatus', 'updateStatus', 'delete'].includes(String(prop))) writes.push(String(prop));
        return (v as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  return { client: wrapped, writes };
}

const cm = (name: string): ConfigMap => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'default' } });

describe('createOrPatch', () => {
  it('creates when missing, then leaves an object alone when the mutation changes nothing', async () => {
    const c = await start();
    const { client, writes } = counting(c.client<ConfigMap>('v1', 'ConfigMap', 'default'));
    const mutate = (d: ConfigMap) => {
      d.metadata.labels = { app: 'web' };
      d.data = { a: '1' };
    };
    const first = await createOrPatch(client, cm('x'), mutate);
    expect(first.result).toBe('created');
    expect(first.object.data).toEqual({ a: '1' });
    const second = await createOrPatch(client, cm('x'), mutate);
    expect(second.result).toBe('unchanged');
    expect(second.object.metadata.resourceVersion).toBe(first.object.metadata.resourceVersion);
    expect(writes).toEqual(['create']);
  });

  it('patches only what the mutation changed, removals included, and keeps fields it does not own', async () => {
    const c = await start();
    const raw = c.client<ConfigMap>('v1', 'ConfigMap', 'default');
    await raw.create({
      ...cm('x'),
      metadata: { ...cm('x').metadata, labels: { app: 'web', old: 'y' }, annotations: { theirs: 'keep' } },
      data: { a: '1', b: '2' },
    });
    const { client, writes } = counting(raw);
    const out = await createOrPatch(client, cm('x'), (d) => {
      delete d.metadata.labels!.old;
      d.data!.a = '9';
    });
    expect(out.result).toBe('updated');
    expect(writes).toEqual(['patch']);
    const stored = await raw.get('x');
    expect(stored.metadata.labels).toEqual({ app: 'web' });
    expect(stored.metadata.annotations).toEqual({ theirs: 'keep' });
    expect(stored.data).toEqual({ a: '9', b: '2' });
  });

  it('writes a status change through the status subresource', async () => {
    const c = await start();
    const raw = c.client<Deployment>('apps/v1', 'Deployment', 'default');
    const d: Deployment = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', namespace: 'default' },
      spec: {
        selector: { matchLabels: { app: 'web' } },
        template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'app', image: 'web:1' }] } },
      },
    };
    await raw.create(d);
    const { client, writes } = counting(raw);
    const out = await createOrPatch(client, d, (draft) => {
      draft.status = { ...(draft.status ?? {}), observedGeneration: 7 };
    });
    expect(out.result).toBe('updated');
    expect(writes).toEqual(['patchStatus']);
    expect((await raw.get('web')).status?.observedGeneration).toBe(7);
  });

  it('patches an object created meanwhile (AlreadyExists), and refuses a mutation that renames', async () => {
    const c = await start();
    const raw = c.client<ConfigMap>('v1', 'ConfigMap', 'default');
    let hidden = true;
    const racing = new Proxy(raw, {
      get(target, prop, receiver) {
        if (prop === 'find' && hidden) {
          hidden = false;
          return async () => {
            await raw.create({ ...cm('x'), data: { a: 'theirs' } });
            return undefined;
          };
        }
        const v = Reflect.get(target, prop, receiver);
        return typeof v === 'function' ? v.bind(target) : v;
      },
    });
    const out = await createOrPatch(racing, cm('x'), (d) => {
      d.data = { ...(d.data ?? {}), b: 'mine' };
    });
    expect(out.result).toBe('updated');
    expect((await raw.get('x')).data).toEqual({ a: 'theirs', b: 'mine' });
    await expect(createOrPatch(raw, cm('x'), (d) => void (d.metadata.name = 'y'))).rejects.toThrow(/name or namespace/);
    await expect(createOrPatch(raw, cm('new'), (d) => void (d.metadata.name = 'y'))).rejects.toThrow(/name or namespace/);
  });
});

describe('mergePatchBetween', () => {
  it('is the merge patch that turns before into after (JSON objects without nulls)', () => {
    const leaf = fc.oneof(
      fc.integer({ min: 0, max: 3 }),
      fc.constantFrom('a', 'b'),
      fc.array(fc.integer({ min: 0, max: 2 }), { maxLength: 2 }),
    );
    const { obj } = fc.letrec((tie) => ({
      obj: fc.dictionary(fc.constantFrom('a', 'b', 'c'), fc.oneof({ depthSize: 'small' }, leaf, tie('obj')), { maxKeys: 3 }),
    }));
    fc.assert(
      fc.property(obj, obj, (before, after) => {
        const patch = mergePatchBetween(before, after);
        if (jsonEqual(before, after)) expect(patch).toBeUndefined();
        else expect(jsonEqual(mergePatch(before, patch), after)).toBe(true);
      }),
    );
  });
});
