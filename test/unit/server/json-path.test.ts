import { describe, expect, it } from 'vitest';
import { evaluateJsonPath } from '../../../src/server/json-path.js';

const obj = {
  spec: { replicas: 3, 'dash-key': 'd', items: [{ name: 'a' }, { name: 'b' }] },
  status: {
    conditions: [
      { type: 'Scheduled', status: 'False' },
      { type: 'Ready', status: 'True', n: 2 },
    ],
  },
};

describe('evaluateJsonPath (the CRD printer column subset)', () => {
  it('reads fields, indexes, wildcards and equality filters; the first result', () => {
    expect(evaluateJsonPath(obj, '.spec.replicas')).toBe(3);
    expect(evaluateJsonPath(obj, '.spec.dash-key')).toBe('d');
    expect(evaluateJsonPath(obj, ".spec['dash-key']")).toBe('d');
    expect(evaluateJsonPath(obj, '.spec.items[1].name')).toBe('b');
    expect(evaluateJsonPath(obj, '.spec.items[*].name')).toBe('a');
    expect(evaluateJsonPath(obj, '.status.conditions[?(@.type=="Ready")].status')).toBe('True');
    expect(evaluateJsonPath(obj, '.status.conditions[?(@.n == 2)].type')).toBe('Ready');
    expect(evaluateJsonPath(obj, '{.spec.replicas}')).toBe(3);
    expect(evaluateJsonPath(obj, '.spec')).toBe(obj.spec);
  });
  it('is undefined for what is not there, and for paths outside the subset', () => {
    expect(evaluateJsonPath(obj, '.spec.missing')).toBeUndefined();
    expect(evaluateJsonPath(obj, '.spec.items[5].name')).toBeUndefined();
    expect(evaluateJsonPath(obj, '.spec.replicas.deeper')).toBeUndefined();
    expect(evaluateJsonPath(obj, '.status.conditions[?(@.type=="Gone")].status')).toBeUndefined();
    expect(evaluateJsonPath(obj, '..replicas')).toBeUndefined();
  });
});
