import { describe, expect, it } from 'vitest';
import { decodeManifests } from '../../../src/api/manifest.js';
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
