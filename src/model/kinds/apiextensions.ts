/** The CustomResourceDefinition kind (apiextensions.k8s.io/v1). */
import type { CustomResourceDefinition } from '../types.js';
import type { ResourceType } from '../resource-type.js';
import type { KindNames } from './define-kind.js';
import { findUnknownFields, pruneUnknownFields } from '../schema/unknown-fields.js';
import { checkFieldTypes } from '../schema/field-types.js';
import { validateCRD, validateCRDUpdate } from '../crd.js';
import { immutable } from '../validation/field-errors.js';

const names: KindNames = {
  group: 'apiextensions.k8s.io',
  version: 'v1',
  kind: 'CustomResourceDefinition',
  plural: 'customresourcedefinitions',
  singular: 'customresourcedefinition',
  shortNames: ['crd', 'crds'],
  namespaced: false,
  nameFormat: 'dns1123-subdomain',
  hasStatus: true,
};

/** CustomResourceDefinition: validated with validateCRD; singular and listKind defaulted from kind. */
export const CustomResourceDefinitionType: ResourceType<CustomResourceDefinition> = {
  ...names,
  checkTypes: (obj) => checkFieldTypes(names.kind, obj),
  applyDefaults(crd) {
    const n = crd.spec?.names;
    if (n?.kind) {
      n.singular ||= n.kind.toLowerCase();
      n.listKind ||= `${n.kind}List`;
    }
    if (crd.spec) crd.spec.conversion ??= { strategy: 'None' };
  },
  pruneUnknownFields: (draft) => pruneUnknownFields(names.kind, draft),
  validate(crd, old, options) {
    const causes = validateCRD(crd);
    if (old) {
      if (old.metadata?.name !== crd.metadata?.name) causes.push(immutable('metadata.name', crd.metadata?.name));
      causes.push(...validateCRDUpdate(crd, old));
    }
    return { causes, warnings: options?.pruned ? [] : findUnknownFields(names.kind, crd) };
  },
};
