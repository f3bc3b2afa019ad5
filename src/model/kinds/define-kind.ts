/**
 * Builds a built-in ResourceType from its names and its checks: metadata validation,
 * kind-specific validation, update checks, unknown-field and not-implemented warnings.
 */
import type { KubeObject, StatusCause } from '../types.js';
import type { ResourceType, ValidateOptions, ValidationResult } from '../resource-type.js';
import { validateObjectMeta } from '../names.js';
import { immutable } from '../validation/field-errors.js';
import { findUnknownFields, pruneUnknownFields, schemaKeyOf } from '../schema/unknown-fields.js';
import { notImplementedFields } from '../schema/not-implemented.js';
import { checkFieldTypes } from '../schema/field-types.js';
import { validateNonNegative } from '../validation/common.js';

/** The checks of one kind. */
export interface KindRules<T extends KubeObject> {
  /** Fills defaults in place; `old` is the stored object on update. */
  defaults?: (draft: T, old?: T) => void;
  /** Checks a new or updated object. */
  validate?: (obj: T) => StatusCause[];
  /** Checks an update against the old object (immutable fields). */
  validateUpdate?: (obj: T, old: T) => StatusCause[];
  /** The integer status fields that may not be negative, checked on status writes. */
  statusCounts?: readonly string[];
}

/** A status write's checks: metadata and the kind's counts (`status.readyReplicas: ... >= 0`). */
function validateStatusWrite(rules: KindRules<KubeObject>, obj: KubeObject): ValidationResult {
  const status = obj.status;
  const causes: StatusCause[] = [];
  if (status !== null && typeof status === 'object' && !Array.isArray(status)) {
    for (const field of rules.statusCounts ?? []) {
      causes.push(...validateNonNegative((status as Record<string, unknown>)[field], `status.${field}`));
    }
  }
  return { causes, warnings: [] };
}

/** Names and flags of a kind, as in a ResourceType. */
export type KindNames = Omit<ResourceType, 'applyDefaults' | 'validate' | 'pruneUnknownFields'>;

/**
 * Validates a built-in object of `names.kind` with the generic metadata checks and `rules`; warns
 * about unknown fields unless `options.pruned`.
 */
export function validateBuiltin<T extends KubeObject>(
  names: KindNames,
  rules: KindRules<T>,
  obj: T,
  old?: T,
  options?: ValidateOptions,
): ValidationResult {
  const causes = validateObjectMeta(obj.metadata, { namespaced: names.namespaced, nameFormat: names.nameFormat });
  if (rules.validate) causes.push(...rules.validate(obj));
  if (old) {
    if (old.metadata?.name !== obj.metadata?.name) causes.push(immutable('metadata.name', obj.metadata?.name));
    if ((old.metadata?.namespace ?? '') !== (obj.metadata?.namespace ?? ''))
      causes.push(immutable('metadata.namespace', obj.metadata?.namespace));
    if (rules.validateUpdate) causes.push(...rules.validateUpdate(obj, old));
  }
  const unknown = options?.pruned ? [] : findUnknownFields(schemaKeyOf(names), obj);
  const warnings = [...unknown, ...notImplementedFields(names.kind, obj)];
  return { causes, warnings };
}

/** Makes the ResourceType of a built-in kind. */
export function defineKind<T extends KubeObject>(names: KindNames, rules: KindRules<T> = {}): ResourceType<T> {
  // `Kind@group/version` for a second served version (autoscaling/v1 HorizontalPodAutoscaler).
  const schema = schemaKeyOf(names);
  const rt: ResourceType<T> = {
    ...names,
    checkTypes: (obj) => checkFieldTypes(schema, obj),
    validate: (obj, old, options) => validateBuiltin(names, rules, obj, old, options),
    pruneUnknownFields: (draft) => pruneUnknownFields(schema, draft),
  };
  if (rules.defaults) rt.applyDefaults = rules.defaults;
  if (rules.statusCounts) rt.validateStatus = (obj) => validateStatusWrite(rules as KindRules<KubeObject>, obj);
  return rt;
}
