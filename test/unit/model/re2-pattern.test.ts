import { describe, expect, it } from 'vitest';
import { resourceTypeFromCRD, validateCRD } from '../../../src/model/crd.js';
import { re2Pattern } from '../../../src/model/schema/re2-pattern.js';
import type { CustomResourceDefinition } from '../../../src/model/types.js';

const crdWithPattern = (pattern: string): CustomResourceDefinition =>
  ({
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: 'rules.example.com' },
    spec: {
      group: 'example.com',
      scope: 'Namespaced',
      names: { plural: 'rules', singular: 'rule', kind: 'Rule' },
      versions: [
        {
          name: 'v1',
          served: true,
          storage: true,
          schema: {
            openAPIV3Schema: {
              type: 'object',
              properties: { spec: { type: 'object', properties: { action: { type: 'string', pattern } } } },
            },
          },
        },
      ],
    },
  }) as unknown as CustomResourceDefinition;

const rule = (action: string) => ({
  apiVersion: 'example.com/v1',
  kind: 'Rule',
  metadata: { name: 'r', namespace: 'default' },
  spec: { action },
});

describe('CRD schema patterns are RE2 (Go regexp)', () => {
  it('compiles Go flag groups such as (?i), which JavaScript rejects, and matches as Go does', () => {
    expect(() => new RegExp('^(?i)(abort|warn)?$')).toThrow();
    const crd = crdWithPattern('^(?i)(abort|warn)?$');
    expect(validateCRD(crd)).toEqual([]);
    const type = resourceTypeFromCRD(crd);
    expect(type.validate!(rule('WARN') as never).causes).toEqual([]);
    expect(type.validate!(rule('') as never).causes).toEqual([]);
    expect(type.validate!(rule('explode') as never).causes.map((c) => c.field)).toEqual(['spec.action']);
  });

  it('rejects a CRD whose pattern is not RE2 (look-behind, back-reference), naming the schema', () => {
    for (const pattern of ['(?<=a)b', '(a)\\1']) {
      const causes = validateCRD(crdWithPattern(pattern));
      expect(causes.map((c) => c.field)).toEqual(['spec.versions[0].schema.openAPIV3Schema']);
    }
  });

  it('searches unanchored, as regexp.MatchString', () => {
    expect(re2Pattern('b+').test('abbbc')).toBe(true);
    expect(re2Pattern('^b+$').test('abbbc')).toBe(false);
  });
});
