import { describe, expect, it } from 'vitest';
import { resourceTypeFromCRD, validateCRD } from '../../../src/model/crd.js';
import { CustomResourceDefinitionType } from '../../../src/model/kinds/index.js';
import { TugboatError } from '../../../src/model/errors.js';
import type { CustomResourceDefinition } from '../../../src/model/types.js';

const crd = (): CustomResourceDefinition =>
  ({
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: 'widgets.example.com' },
    spec: {
      group: 'example.com',
      scope: 'Namespaced',
      names: { plural: 'widgets', singular: 'widget', kind: 'Widget', shortNames: ['wg'] },
      versions: [
        { name: 'v1alpha1', served: true, storage: false, schema: { openAPIV3Schema: { type: 'object' } } },
        {
          name: 'v1',
          served: true,
          storage: true,
          subresources: { status: {} },
          schema: {
            openAPIV3Schema: {
              type: 'object',
              properties: {
                spec: {
                  type: 'object',
                  required: ['size'],
                  properties: {
                    size: { type: 'string', enum: ['small', 'large'] },
                    replicas: { type: 'integer', minimum: 0, default: 1 },
                    port: { 'x-kubernetes-int-or-string': true },
                    items: { type: 'array', items: { type: 'object', properties: { name: { type: 'string', pattern: '^[a-z]+$' } } } },
                    extra: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
                    labels: { type: 'object', additionalProperties: { type: 'string' } },
                  },
                },
                status: { type: 'object', properties: { ready: { type: 'boolean' } } },
              },
            },
          },
        },
      ],
    },
  }) as unknown as CustomResourceDefinition;

const widget = (spec: Record<string, unknown>) => ({
  apiVersion: 'example.com/v1',
  kind: 'Widget',
  metadata: { name: 'w', namespace: 'default' },
  spec,
});

function edit<T>(obj: T, change: (o: any) => void): T {
  const copy = structuredClone(obj);
  change(copy);
  return copy;
}

describe('validateCRD', () => {
  it('accepts a valid CRD', () => expect(validateCRD(crd())).toEqual([]));
  it.each<[string, (c: any) => void, string[]]>([
    ['name not plural.group', (c) => (c.metadata.name = 'widget.example.com'), ['metadata.name']],
    ['upper-case plural', (c) => (c.spec.names.plural = 'Widgets'), ['spec.names.plural', 'metadata.name']],
    [
      'group without dot',
      (c) => Object.assign(c, { metadata: { name: 'widgets.example' }, spec: { ...c.spec, group: 'example' } }),
      ['spec.group'],
    ],
    ['no kind', (c) => delete c.spec.names.kind, ['spec.names.kind']],
    ['bad scope', (c) => (c.spec.scope = 'Global'), ['spec.scope']],
    ['no storage version', (c) => (c.spec.versions[1].storage = false), ['spec.versions']],
    ['two storage versions', (c) => (c.spec.versions[0].storage = true), ['spec.versions']],
    ['no versions', (c) => (c.spec.versions = []), ['spec.versions']],
    ['duplicate versions', (c) => (c.spec.versions[0].name = 'v1'), ['spec.versions[1].name']],
    ['missing schema', (c) => delete c.spec.versions[0].schema, ['spec.versions[0].schema.openAPIV3Schema']],
    [
      'root not object',
      (c) => (c.spec.versions[0].schema.openAPIV3Schema.type = 'string'),
      ['spec.versions[0].schema.openAPIV3Schema.type'],
    ],
    ['namespace on CRD', (c) => (c.metadata.namespace = 'default'), ['metadata.namespace']],
  ])('%s', (_n, change, expected) => expect(validateCRD(edit(crd(), change)).map((c) => c.field)).toEqual(expected));

  it('is the CRD kind validation, with update rules', () => {
    const old = crd();
    expect(CustomResourceDefinitionType.validate!(old)).toEqual({ causes: [], warnings: [] });
    expect(CustomResourceDefinitionType.validate!(edit(old, (c) => (c.spec.scopes = 'x'))).warnings).toEqual([
      'unknown field "spec.scopes"',
    ]);
    const changed = edit(old, (c) => (c.spec.scope = 'Cluster'));
    expect(CustomResourceDefinitionType.validate!(changed, old).causes.map((c) => c.field)).toEqual(['spec.scope']);
  });

  it('defaults listKind and singular', () => {
    const c = edit(crd(), (x) => delete x.spec.names.singular);
    CustomResourceDefinitionType.applyDefaults!(c);
    expect(c.spec.names.singular).toBe('widget');
    expect(c.spec.names.listKind).toBe('WidgetList');
  });
});

describe('resourceTypeFromCRD', () => {
  const rt = resourceTypeFromCRD(crd());

  it('takes names, scope, storage version and status subresource from the CRD', () => {
    expect(rt).toMatchObject({
      group: 'example.com',
      version: 'v1',
      kind: 'Widget',
      plural: 'widgets',
      singular: 'widget',
      shortNames: ['wg'],
      namespaced: true,
      nameFormat: 'dns1123-subdomain',
      hasStatus: true,
    });
    const cluster = resourceTypeFromCRD(
      edit(crd(), (c) => {
        c.spec.scope = 'Cluster';
        delete c.spec.versions[1].subresources;
      }),
    );
    expect(cluster.namespaced).toBe(false);
    expect(cluster.hasStatus).toBe(false);
  });

  it('throws Invalid for an invalid CRD', () => {
    const bad = edit(crd(), (c) => (c.spec.versions[1].storage = false));
    expect(() => resourceTypeFromCRD(bad)).toThrow(TugboatError);
    try {
      resourceTypeFromCRD(bad);
    } catch (e) {
      expect((e as TugboatError).reason).toBe('Invalid');
      expect((e as TugboatError).causes.map((c) => c.field)).toEqual(['spec.versions']);
    }
  });

  it('accepts a valid resource', () => {
    expect(
      rt.validate!(widget({ size: 'small', port: 'http', items: [{ name: 'a' }], extra: { any: { thing: 1 } }, labels: { a: 'b' } })),
    ).toEqual({
      causes: [],
      warnings: [],
    });
    expect(rt.validate!(widget({ size: 'large', port: 8080 })).causes).toEqual([]);
  });

  it.each<[string, Record<string, unknown>, string[]]>([
    ['required missing', {}, ['spec.size']],
    ['enum', { size: 'medium' }, ['spec.size']],
    ['type', { size: 'small', replicas: 'two' }, ['spec.replicas']],
    ['minimum', { size: 'small', replicas: -1 }, ['spec.replicas']],
    ['pattern in array item', { size: 'small', items: [{ name: 'ok' }, { name: 'Bad' }] }, ['spec.items[1].name']],
    ['int-or-string', { size: 'small', port: true }, ['spec.port']],
    ['additionalProperties type', { size: 'small', labels: { a: 1 } }, ['spec.labels.a']],
  ])('maps ajv errors to field paths: %s', (_n, spec, expected) => {
    expect(rt.validate!(widget(spec)).causes.map((c) => c.field)).toEqual(expected);
  });

  it('uses Kubernetes-like messages', () => {
    const [c] = rt.validate!(widget({ size: 'medium' })).causes;
    expect(c).toEqual({
      field: 'spec.size',
      message: 'Unsupported value: "medium": supported values: "small", "large"',
      reason: 'FieldValueNotSupported',
    });
    const [r] = rt.validate!(widget({})).causes;
    expect(r).toEqual({ field: 'spec.size', message: 'Required value', reason: 'FieldValueRequired' });
  });

  it('checks metadata', () => {
    const noNs = { ...widget({ size: 'small' }), metadata: { name: 'W' } };
    expect(rt.validate!(noNs).causes.map((c) => c.field)).toEqual(['metadata.name', 'metadata.namespace']);
  });

  it('warns about unknown fields, except where unknown fields are preserved', () => {
    const obj = widget({ size: 'small', colour: 'red', items: [{ name: 'a', nam: 'b' }], extra: { free: true } });
    (obj as Record<string, unknown>).extraTop = 1;
    expect(rt.validate!(obj).warnings).toEqual([
      'unknown field "spec.colour"',
      'unknown field "spec.items[0].nam"',
      'unknown field "extraTop"',
    ]);
  });

  it('applies schema defaults', () => {
    const obj = widget({ size: 'small' });
    rt.applyDefaults!(obj);
    expect(obj.spec).toEqual({ size: 'small', replicas: 1 });
  });
});
