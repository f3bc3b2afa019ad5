/**
 * CustomResourceDefinitions: checking a CRD (`validateCRD`) and turning one into the
 * ResourceType of its custom resource (`resourceTypeFromCRD`), validated by its schema.
 */
import type { ValidateFunction } from 'ajv';
import type { CustomResourceDefinition, KubeObject, StatusCause, apiext } from './types.js';
import type { ResourceType, ValidateOptions, ValidationResult } from './resource-type.js';
import { TugboatError } from './errors.js';
import { dns1123LabelErrors, dns1123SubdomainErrors, validateObjectMeta } from './names.js';
import { duplicate, immutable, invalid, notSupported, required } from './validation/field-errors.js';
import {
  ajvErrorsToCauses,
  applySchemaDefaults,
  compileSchema,
  unknownCustomFields,
  unknownCustomPaths,
  type SchemaNode,
} from './schema/crd-schema.js';

const KIND_RE = /^[A-Za-z][A-Za-z0-9]*$/;

function labelCauses(value: string | undefined, field: string, isRequired: boolean): StatusCause[] {
  if (!value) return isRequired ? [required(field)] : [];
  return dns1123LabelErrors(value).map((m) => invalid(field, value, m));
}

/** Checks names of a CRD: plural/singular/shortNames lower-case DNS labels, kind and listKind identifiers. */
function validateNames(names: apiext.CustomResourceDefinitionNames | undefined, field: string): StatusCause[] {
  if (!names) return [required(field)];
  const causes = [...labelCauses(names.plural, `${field}.plural`, true), ...labelCauses(names.singular, `${field}.singular`, false)];
  (names.shortNames ?? []).forEach((s, i) => causes.push(...labelCauses(s, `${field}.shortNames[${i}]`, true)));
  if (!names.kind) causes.push(required(`${field}.kind`));
  else if (!KIND_RE.test(names.kind))
    causes.push(invalid(`${field}.kind`, names.kind, 'may have mixed case, but should otherwise match: [a-z]([-a-z0-9]*[a-z0-9])?'));
  if (names.listKind !== undefined && !KIND_RE.test(names.listKind))
    causes.push(
      invalid(`${field}.listKind`, names.listKind, 'may have mixed case, but should otherwise match: [a-z]([-a-z0-9]*[a-z0-9])?'),
    );
  if (names.listKind && names.listKind === names.kind)
    causes.push(invalid(`${field}.listKind`, names.listKind, 'kind and listKind may not be the same'));
  return causes;
}

function validateVersions(versions: apiext.CustomResourceDefinitionVersion[] | undefined): StatusCause[] {
  if (!Array.isArray(versions) || versions.length === 0)
    return [required('spec.versions', 'must have exactly one version marked as storage version')];
  const causes: StatusCause[] = [];
  const names = new Set<string>();
  versions.forEach((v, i) => {
    const at = `spec.versions[${i}]`;
    causes.push(...labelCauses(v.name, `${at}.name`, true));
    if (v.name && names.has(v.name)) causes.push(duplicate(`${at}.name`, v.name));
    names.add(v.name);
    const schema = v.schema?.openAPIV3Schema as SchemaNode | undefined;
    if (!schema) return void causes.push(required(`${at}.schema.openAPIV3Schema`, 'schemas are required'));
    if (schema.type !== 'object') causes.push(required(`${at}.schema.openAPIV3Schema.type`, 'must be object at the root'));
    try {
      compileSchema(schema);
    } catch (err) {
      causes.push(invalid(`${at}.schema.openAPIV3Schema`, '', err instanceof Error ? err.message : String(err)));
    }
  });
  const storage = versions.filter((v) => v.storage === true).length;
  if (storage !== 1)
    causes.push(
      invalid(
        'spec.versions',
        versions.map((v) => v.name),
        'must have exactly one version marked as storage version',
      ),
    );
  if (!versions.some((v) => v.served))
    causes.push(
      invalid(
        'spec.versions',
        versions.map((v) => v.name),
        'must have at least one version marked as served',
      ),
    );
  return causes;
}

/**
 * Checks a CustomResourceDefinition as the apiextensions API does: metadata.name is
 * `<plural>.<group>`, group with a dot, names, scope, exactly one storage version, schemas.
 */
export function validateCRD(crd: CustomResourceDefinition): StatusCause[] {
  const causes = validateObjectMeta(crd.metadata, { namespaced: false, nameFormat: 'dns1123-subdomain' });
  const spec = crd.spec;
  if (!spec) return [...causes, required('spec')];
  if (!spec.group) causes.push(required('spec.group'));
  else {
    causes.push(...dns1123SubdomainErrors(spec.group).map((m) => invalid('spec.group', spec.group, m)));
    if (!spec.group.includes('.')) causes.push(invalid('spec.group', spec.group, 'should be a domain with at least one dot'));
  }
  causes.push(...validateNames(spec.names, 'spec.names'));
  if (crd.metadata?.name && spec.names?.plural && spec.group && crd.metadata.name !== `${spec.names.plural}.${spec.group}`) {
    causes.push(invalid('metadata.name', crd.metadata.name, 'must be spec.names.plural+"."+spec.group'));
  }
  if (!spec.scope) causes.push(required('spec.scope'));
  else if (spec.scope !== 'Namespaced' && spec.scope !== 'Cluster')
    causes.push(notSupported('spec.scope', spec.scope, ['Cluster', 'Namespaced']));
  causes.push(...validateVersions(spec.versions));
  return causes;
}

/** CRD update rules: scope and group may not change; plural-based name is fixed by metadata.name. */
export function validateCRDUpdate(crd: CustomResourceDefinition, old: CustomResourceDefinition): StatusCause[] {
  const causes: StatusCause[] = [];
  if (crd.spec?.scope !== old.spec?.scope) causes.push(immutable('spec.scope', crd.spec?.scope));
  if (crd.spec?.group !== old.spec?.group) causes.push(immutable('spec.group', crd.spec?.group));
  return causes;
}

/** The version a CRD's resources are served and stored at: the storage version if served, else the first served. */
export function crdServedVersion(crd: CustomResourceDefinition): apiext.CustomResourceDefinitionVersion | undefined {
  const versions = crd.spec?.versions ?? [];
  return versions.find((v) => v.storage && v.served) ?? versions.find((v) => v.served);
}

/**
 * The ResourceType of a CRD's custom resource: group, names, scope, status subresource; its
 * validate() checks metadata and the version's openAPIV3Schema, and warns about unknown fields.
 * Throws TugboatError (Invalid) when the CRD itself is invalid.
 */
export function resourceTypeFromCRD(crd: CustomResourceDefinition): ResourceType {
  const causes = validateCRD(crd);
  if (causes.length > 0)
    throw TugboatError.invalid({ kind: 'CustomResourceDefinition', group: 'apiextensions.k8s.io' }, crd.metadata?.name ?? '', causes);
  const version = crdServedVersion(crd) as apiext.CustomResourceDefinitionVersion;
  const { names, group, scope } = crd.spec;
  const schema = version.schema?.openAPIV3Schema as SchemaNode;
  let compiled: ValidateFunction | undefined;
  const namespaced = scope === 'Namespaced';
  const rt: ResourceType = {
    group,
    version: version.name,
    kind: names.kind,
    plural: names.plural,
    singular: names.singular || names.kind.toLowerCase(),
    ...(names.shortNames?.length ? { shortNames: [...names.shortNames] } : {}),
    namespaced,
    nameFormat: 'dns1123-subdomain',
    hasStatus: version.subresources?.status !== undefined && version.subresources.status !== null,
    ...(version.subresources?.scale ? { scale: { ...version.subresources.scale } } : {}),
    custom: {
      schema: schema as Record<string, unknown>,
      printerColumns: (version.additionalPrinterColumns ?? []).map((c) => ({ ...c })),
    },
    applyDefaults(draft: KubeObject) {
      applySchemaDefaults(schema, draft);
    },
    pruneUnknownFields(draft: KubeObject) {
      return unknownCustomPaths(schema, draft as Record<string, unknown>, true);
    },
    validate(obj: KubeObject, _old?: KubeObject, options?: ValidateOptions): ValidationResult {
      const result = validateObjectMeta(obj.metadata, { namespaced, nameFormat: 'dns1123-subdomain' });
      compiled ??= compileSchema(schema);
      const { metadata: _m, ...body } = obj;
      if (!compiled(body)) result.push(...ajvErrorsToCauses(compiled.errors, body));
      return { causes: result, warnings: options?.pruned ? [] : unknownCustomFields(schema, obj as Record<string, unknown>) };
    },
  };
  return rt;
}

/**
 * The finalizer that holds a CustomResourceDefinition being deleted until every object of its
 * kind is gone (Kubernetes' CustomResourceCleanup). Deleting a CRD adds it.
 */
export const CRD_CLEANUP_FINALIZER = 'customresourcecleanup.apiextensions.k8s.io';

/** A condition of a CustomResourceDefinition's status (`Terminating`, `Established`, ...). */
export type CRDCondition = apiext.CustomResourceDefinitionCondition;

/** The kind a CRD defines, as a client names it: the served version's apiVersion and the kind. */
export function crdKindRef(crd: CustomResourceDefinition): { apiVersion: string; kind: string; namespaced: boolean } | undefined {
  const version = crdServedVersion(crd);
  const { group, names, scope } = crd.spec ?? {};
  if (!version || !group || !names?.kind) return undefined;
  return { apiVersion: `${group}/${version.name}`, kind: names.kind, namespaced: scope === 'Namespaced' };
}
