import { describe, expect, it } from 'vitest';
import {
  isDns1123Label,
  isDns1123Subdomain,
  isQualifiedName,
  isValidLabelValue,
  validateAnnotations,
  validateLabels,
  validateName,
  validateObjectMeta,
} from '../../../src/model/names.js';

describe('DNS-1123 names', () => {
  it.each([
    ['web', true, true],
    ['web-1', true, true],
    ['a', true, true],
    ['1abc', true, true],
    ['Web', false, false],
    ['-web', false, false],
    ['web-', false, false],
    ['web.example.com', false, true],
    ['web..x', false, false],
    ['web_x', false, false],
    ['', false, false],
    ['a'.repeat(63), true, true],
    ['a'.repeat(64), false, true],
  ])('%s: label %s, subdomain %s', (name, label, subdomain) => {
    expect(isDns1123Label(name)).toBe(label);
    expect(isDns1123Subdomain(name)).toBe(subdomain);
  });

  it('limits subdomains to 253 characters', () => {
    const ok = Array(4).fill('a'.repeat(62)).join('.') + '.b'; // 253
    expect(ok.length).toBe(253);
    expect(isDns1123Subdomain(ok)).toBe(true);
    expect(isDns1123Subdomain(ok + 'b')).toBe(false);
  });

  it('validateName reports the field, and allows a trailing dash for prefixes', () => {
    expect(validateName('Bad', 'dns1123-label', 'metadata.name')).toEqual([
      expect.objectContaining({ field: 'metadata.name', reason: 'FieldValueInvalid' }),
    ]);
    expect(validateName('web-', 'dns1123-subdomain', 'metadata.generateName', true)).toEqual([]);
    expect(validateName('web-', 'dns1123-subdomain', 'metadata.name')).toHaveLength(1);
    expect(validateName('a/b', 'path-segment', 'metadata.name')[0].message).toContain("may not contain '/'");
    expect(validateName('..', 'path-segment', 'metadata.name')).toHaveLength(1);
    expect(validateName('x'.repeat(64), 'dns1123-label', 'metadata.name')[0].message).toContain('must be no more than 63 characters');
  });
});

describe('label keys and values', () => {
  it.each([
    ['app', true],
    ['app.kubernetes.io/name', true],
    ['example.com/My_Key.1', true],
    ['/app', false],
    ['Example.com/app', false],
    ['a/b/c', false],
    ['-app', false],
    ['', false],
    ['x'.repeat(63), true],
    ['x'.repeat(64), false],
  ])('key %s valid=%s', (key, ok) => expect(isQualifiedName(key)).toBe(ok));

  it.each([
    ['', true],
    ['v1', true],
    ['My_Value.2', true],
    ['-v', false],
    ['a b', false],
    ['x'.repeat(64), false],
  ])('value %j valid=%s', (v, ok) => expect(isValidLabelValue(v)).toBe(ok));

  it('validateLabels puts key errors on the map and value errors on the key', () => {
    const causes = validateLabels({ app: 'bad value', 'Bad/x': 'ok' }, 'metadata.labels');
    expect(causes.map((c) => c.field).sort()).toEqual(['metadata.labels', 'metadata.labels[app]']);
    expect(validateLabels({ app: 'web', tier: '' }, 'metadata.labels')).toEqual([]);
    expect(validateLabels({ n: 1 as unknown as string }, 'spec.selector')[0].field).toBe('spec.selector[n]');
  });
});

describe('annotations', () => {
  it('accepts up to 256 KiB in total and rejects more', () => {
    const big = 'x'.repeat(256 * 1024 - 1);
    expect(validateAnnotations({ a: big }, 'metadata.annotations')).toEqual([]);
    const causes = validateAnnotations({ a: big, b: 'yy' }, 'metadata.annotations');
    expect(causes).toEqual([expect.objectContaining({ field: 'metadata.annotations', reason: 'FieldValueTooLong' })]);
  });
  it('checks keys as qualified names', () => {
    expect(validateAnnotations({ 'bad key': 'v' }, 'metadata.annotations')[0].field).toBe('metadata.annotations');
    expect(validateAnnotations({ 'kubectl.kubernetes.io/last-applied-configuration': '{}' }, 'metadata.annotations')).toEqual([]);
  });
});

describe('validateObjectMeta', () => {
  const ns = { namespaced: true, nameFormat: 'dns1123-subdomain' } as const;
  const cluster = { namespaced: false, nameFormat: 'dns1123-label' } as const;
  it.each([
    ['valid namespaced', { name: 'web', namespace: 'default' }, ns, []],
    ['generateName only', { generateName: 'web-', namespace: 'default' }, ns, []],
    ['no name', { namespace: 'default' }, ns, ['metadata.name']],
    ['no namespace', { name: 'web' }, ns, ['metadata.namespace']],
    ['bad namespace', { name: 'web', namespace: 'Default' }, ns, ['metadata.namespace']],
    ['namespace on cluster kind', { name: 'web', namespace: 'x' }, cluster, ['metadata.namespace']],
    ['label format for cluster kind', { name: 'a.b' }, cluster, ['metadata.name']],
    ['bad generateName', { generateName: 'Web-', namespace: 'd' }, ns, ['metadata.generateName']],
    ['bad label value', { name: 'w', namespace: 'd', labels: { app: '-x' } }, ns, ['metadata.labels[app]']],
    ['bad finalizer', { name: 'w', namespace: 'd', finalizers: ['a/b/c'] }, ns, ['metadata.finalizers[0]']],
    [
      'owner reference without uid',
      { name: 'w', namespace: 'd', ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'rs', uid: '' }] },
      ns,
      ['metadata.ownerReferences[0].uid'],
    ],
    [
      'two controllers',
      {
        name: 'w',
        namespace: 'd',
        ownerReferences: [
          { apiVersion: 'v1', kind: 'A', name: 'a', uid: '1', controller: true },
          { apiVersion: 'v1', kind: 'B', name: 'b', uid: '2', controller: true },
        ],
      },
      ns,
      ['metadata.ownerReferences'],
    ],
  ])('%s', (_name, meta, rules, fields) => {
    expect(validateObjectMeta(meta, rules).map((c) => c.field)).toEqual(fields);
  });

  it('says name or generateName is required', () => {
    const [c] = validateObjectMeta({ namespace: 'd' }, ns);
    expect(c).toEqual({
      field: 'metadata.name',
      message: 'Required value: name or generateName is required',
      reason: 'FieldValueRequired',
    });
  });
  it('uses the given field prefix', () => {
    expect(validateObjectMeta({}, ns, 'spec.template.metadata').map((c) => c.field)).toEqual([
      'spec.template.metadata.name',
      'spec.template.metadata.namespace',
    ]);
  });
});
