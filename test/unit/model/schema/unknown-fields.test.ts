import { describe, expect, it } from 'vitest';
import { findUnknownFields, pruneUnknownFields } from '../../../../src/model/schema/unknown-fields.js';

// The walk keeps its path as a stack and builds text only for an unknown field: these pin the text.
describe('findUnknownFields paths', () => {
  const crd = {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: 'widgets.example.com', labelz: 'x' },
    spec: {
      group: 'example.com',
      versions: [
        { name: 'v1', served: true, storage: true },
        {
          name: 'v2',
          schema: { openAPIV3Schema: { type: 'object', properties: { size: { type: 'integer', minimun: 1 } }, tpye: 'x' } },
        },
      ],
    },
  };

  it('names fields, array indexes and map keys as Kubernetes prints them', () => {
    expect(findUnknownFields('CustomResourceDefinition', crd)).toEqual([
      'unknown field "metadata.labelz"',
      'unknown field "spec.versions[1].schema.openAPIV3Schema.properties[size].minimun"',
      'unknown field "spec.versions[1].schema.openAPIV3Schema.tpye"',
    ]);
  });

  it('names a top-level unknown field by itself and leaves a valid object alone', () => {
    expect(findUnknownFields('ConfigMap', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a' }, dta: {} })).toEqual([
      'unknown field "dta"',
    ]);
    expect(findUnknownFields('ConfigMap', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a' }, data: { k: 'v' } })).toEqual([]);
  });

  it('prunes what it reports, in place', () => {
    const obj = structuredClone(crd);
    expect(pruneUnknownFields('CustomResourceDefinition', obj)).toEqual([
      'metadata.labelz',
      'spec.versions[1].schema.openAPIV3Schema.properties[size].minimun',
      'spec.versions[1].schema.openAPIV3Schema.tpye',
    ]);
    expect(obj.metadata).toEqual({ name: 'widgets.example.com' });
    expect(obj.spec.versions[1].schema).toEqual({ openAPIV3Schema: { type: 'object', properties: { size: { type: 'integer' } } } });
  });
});
