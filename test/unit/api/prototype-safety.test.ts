import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Cluster } from '../../../src/cluster/cluster.js';
import { jsonPatch, mergePatch, strategicMergePatch } from '../../../src/api/patch.js';
import { decodeManifests } from '../../../src/api/manifest.js';
import type { PatchType } from '../../../src/client/types.js';

/** Object.prototype as it is, to compare after each attack. */
function prototypeState(): string {
  return JSON.stringify(Object.getOwnPropertyNames(Object.prototype).sort()) + String(Object.getPrototypeOf(Object.prototype));
}

const clean = prototypeState();

function expectUnpolluted(): void {
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  expect(({} as Record<string, unknown>).privileged).toBeUndefined();
  expect(prototypeState()).toBe(clean);
}

/** Own-keyed payloads: JSON.parse makes `__proto__` an ordinary own key, as a request body would. */
const protoObject = (inner: string) => JSON.parse(`{"__proto__": ${inner}}`) as Record<string, unknown>;

describe('no patch, apply or decode reaches a prototype', () => {
  afterEach(() => {
    expectUnpolluted();
    delete (Object.prototype as Record<string, unknown>).polluted;
    delete (Object.prototype as Record<string, unknown>).privileged;
  });

  it('jsonPatch: /metadata/__proto__/polluted does not exist; /metadata/__proto__ is an own key', () => {
    expect(() => jsonPatch({ metadata: {} }, [{ op: 'add', path: '/metadata/__proto__/polluted', value: 'yes' }])).toThrow(/missing path/);
    for (const key of ['constructor', 'prototype']) {
      expect(() => jsonPatch({ metadata: {} }, [{ op: 'add', path: `/metadata/${key}/polluted`, value: 'yes' }])).toThrow(/missing path/);
    }
    const out = jsonPatch({ metadata: {} }, [{ op: 'add', path: '/metadata/__proto__', value: { polluted: 'yes' } }]) as {
      metadata: Record<string, unknown>;
    };
    expect(Object.getPrototypeOf(out.metadata)).toBe(Object.prototype);
    expect(Object.keys(out.metadata)).toEqual(['__proto__']);
    expect(() => jsonPatch({ a: {} }, [{ op: 'copy', from: '/a/constructor', path: '/b' }])).toThrow(/missing from path/);
  });

  it('mergePatch and strategicMergePatch: __proto__ and constructor merge as own keys', () => {
    for (const patch of [mergePatch, strategicMergePatch]) {
      const out = patch({ metadata: {} }, { metadata: protoObject('{"polluted": "yes"}') }) as { metadata: Record<string, unknown> };
      expect(Object.getPrototypeOf(out.metadata)).toBe(Object.prototype);
      expect(Object.keys(out.metadata)).toEqual(['__proto__']);
      const ctor = patch({}, JSON.parse('{"constructor": {"prototype": {"polluted": "yes"}}}')) as Record<string, unknown>;
      expect(Object.keys(ctor)).toEqual(['constructor']);
    }
    const list = strategicMergePatch(
      { spec: { containers: [{ name: 'a' }] } },
      { spec: { constructor: [{ name: 'a', polluted: 'yes' }] } },
    );
    expect(list).toEqual({ spec: { containers: [{ name: 'a' }], constructor: [{ name: 'a', polluted: 'yes' }] } });
  });

  it('decodeManifests: a YAML or JSON __proto__ key stays an own key', () => {
    const yaml = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n  __proto__:\n    polluted: yes\n';
    const json = '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"x","__proto__":{"polluted":"yes"}}}';
    for (const text of [yaml, json]) {
      const [obj] = decodeManifests(text);
      expect(Object.getPrototypeOf(obj.metadata)).toBe(Object.prototype);
      expect(Object.keys(obj.metadata)).toContain('__proto__');
    }
  });

  describe('through the cluster', () => {
    let cluster: Cluster;
    beforeEach(async () => {
      cluster = await Cluster.start({ controllers: false, scheduler: false });
      await cluster.configMaps().create({ metadata: { name: 'x' }, data: { a: 'b' } });
    });
    afterEach(async () => {
      await cluster.stop();
    });

    it("the issue's JSON patch is refused and pollutes nothing", async () => {
      await expect(
        cluster.configMaps().patch('x', [{ op: 'add', path: '/metadata/__proto__/polluted', value: 'yes' }], 'json'),
      ).rejects.toMatchObject({
        reason: 'BadRequest',
      });
    });

    it.each(['merge', 'strategic'] as PatchType[])('a %s patch with __proto__ and constructor keys pollutes nothing', async (type) => {
      await cluster.configMaps().patch('x', { metadata: protoObject('{"polluted": "yes", "privileged": true}') }, type);
      await cluster.configMaps().patch('x', JSON.parse('{"constructor": {"prototype": {"polluted": "yes"}}}'), type);
      const live = await cluster.configMaps().get('x');
      expect(live.data).toEqual({ a: 'b' });
    });

    it('create, update and apply with __proto__ keys pollute nothing, and re-apply removes them as own fields', async () => {
      await cluster.configMaps().create(JSON.parse('{"metadata":{"name":"y"},"__proto__":{"polluted":"yes"}}'));
      const live = await cluster.configMaps().get('y');
      await cluster.configMaps().update({ ...live, ...JSON.parse('{"constructor":{"prototype":{"polluted":"yes"}}}') });
      const yaml = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: z\n__proto__:\n  polluted: yes\ndata:\n  k: v\n';
      await cluster.apply(yaml);
      await cluster.apply('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: z\ndata:\n  k: v\n');
      const z = await cluster.configMaps().get('z');
      expect(Object.keys(z)).not.toContain('__proto__');
    });
  });
});
