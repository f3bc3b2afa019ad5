import { describe, expect, it } from 'vitest';
import { decodeManifests, decodeManifestsYielding, MAX_MANIFEST_BYTES } from '../../../src/api/manifest.js';
import { TugboatError } from '../../../src/model/errors.js';

describe('decodeManifests', () => {
  it('reads many YAML documents, skips empty ones and flattens Lists', () => {
    const objs = decodeManifests(`
apiVersion: v1
kind: ConfigMap
metadata: { name: a }
---
---
apiVersion: v1
kind: List
items:
  - { apiVersion: v1, kind: Secret, metadata: { name: b } }
  - { apiVersion: v1, kind: Secret, metadata: { name: c } }
`);
    expect(objs.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual(['ConfigMap/a', 'Secret/b', 'Secret/c']);
  });

  it('reads JSON text and plain objects', () => {
    expect(decodeManifests('{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"j"}}')[0].metadata.name).toBe('j');
    expect(decodeManifests([{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'o' } }])[0].metadata.name).toBe('o');
  });

  it.each([
    ['kind: ConfigMap', 'document 0.apiVersion: Required value'],
    ['apiVersion: v1', 'document 0.kind: Required value'],
    ['- 1', 'document 0: expected an object'],
    ['a: [', 'document 0: invalid YAML'],
  ])('rejects %j with BadRequest', (text, message) => {
    try {
      decodeManifests(text);
      expect.unreachable();
    } catch (err) {
      expect(TugboatError.is(err, 'BadRequest')).toBe(true);
      expect((err as Error).message).toContain(message);
    }
  });
});

describe('decodeManifests on hostile input: a BadRequest, never a raw error', () => {
  const bad = (text: string): TugboatError => {
    try {
      decodeManifests(text);
    } catch (err) {
      if (err instanceof TugboatError) return err;
      throw err;
    }
    throw new Error('expected a TugboatError');
  };

  it('refuses a YAML alias bomb', () => {
    const rows = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
    for (const [name, prev] of [
      ['b', 'a'],
      ['c', 'b'],
      ['d', 'c'],
      ['e', 'd'],
      ['f', 'e'],
      ['g', 'f'],
    ]) {
      rows.push(`${name}: &${name} [${Array(9).fill(`*${prev}`).join(',')}]`);
    }
    const err = bad(`apiVersion: v1\nkind: ConfigMap\n${rows.join('\n')}\n`);
    expect(err.reason).toBe('BadRequest');
    expect(err.message).toMatch(/document 0: invalid YAML: .*alias/);
  });

  it('refuses an alias to an undefined anchor', () => {
    expect(bad('apiVersion: v1\nkind: ConfigMap\ndata: *nope\n').message).toMatch(/document 0: invalid YAML: Unresolved alias/);
  });

  it('refuses a self-referencing anchor (a cycle JSON cannot hold)', () => {
    const err = bad('apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\ndata: &d\n  self: *d\n');
    expect(err.reason).toBe('BadRequest');
    expect(err.message).toMatch(/document 0: data.self: the value refers to itself/);
  });

  it('refuses nesting 5,000 deep in YAML flow style and in JSON', () => {
    const flow = `apiVersion: v1\nkind: ConfigMap\ndata: ${'['.repeat(5000)}${']'.repeat(5000)}\n`;
    expect(bad(flow).reason).toBe('BadRequest');
    const json = `{"apiVersion":"v1","kind":"ConfigMap","data":${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}}`;
    expect(bad(json).message).toMatch(/exceeded max depth of 1000/);
  });

  it(`refuses text over ${MAX_MANIFEST_BYTES} bytes before parsing it`, () => {
    const err = bad(`apiVersion: v1\nkind: ConfigMap\ndata: {a: "${'x'.repeat(MAX_MANIFEST_BYTES)}"}\n`);
    expect(err.reason).toBe('RequestEntityTooLarge');
  });

  it('parses JSON text with JSON.parse and keeps YAML flow style working', () => {
    expect(decodeManifests('{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"j"}}')[0].metadata.name).toBe('j');
    expect(decodeManifests('{apiVersion: v1, kind: ConfigMap, metadata: {name: f}}')[0].metadata.name).toBe('f');
  });
});

describe('decodeManifestsYielding', () => {
  it('decodes what decodeManifests decodes, yielding to the event loop between documents', async () => {
    const doc = (i: number) => `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm-${i}}\ndata: {k: "${'v'.repeat(50)}"}\n`;
    const text = Array.from({ length: 1500 }, (_, i) => doc(i)).join('---\n');
    let ticks = 0;
    const timer = setInterval(() => ticks++, 1);
    const objects = await decodeManifestsYielding(text);
    clearInterval(timer);
    expect(objects.map((o) => o.metadata.name)).toEqual(decodeManifests(text).map((o) => o.metadata.name));
    expect(objects).toHaveLength(1500);
    // The timer ran while the text was parsed: the loop was not held for the whole parse.
    expect(ticks).toBeGreaterThan(0);
  });
});
