/**
 * Kubernetes' fieldValidation for one write: the fields a kind's schema lacks are dropped from
 * the object; with them and the fields a manifest's text gave twice, `Warn` returns a warning
 * each, `Strict` rejects the write, `Ignore` says nothing.
 */
import type { KubeObject, StatusCause } from '../model/types.js';
import type { ResourceType } from '../model/resource-type.js';
import { TugboatError } from '../model/errors.js';
import type { FieldValidation } from '../client/types.js';

/**
 * Removes the fields `type`'s schema lacks from `obj` in place (all but status when
 * `skipStatus`), then applies `mode` to them and to `duplicates`: returns their warnings
 * (`Warn`, the default), nothing (`Ignore`), or throws BadRequest naming them (`Strict`).
 */
export function checkFields(
  type: ResourceType,
  obj: KubeObject,
  mode: FieldValidation = 'Warn',
  duplicates: readonly string[] = [],
  skipStatus = false,
): string[] {
  if (mode !== 'Warn' && mode !== 'Strict' && mode !== 'Ignore') {
    throw TugboatError.badRequest(`fieldValidation: Unsupported value: "${String(mode)}": supported values: "Ignore", "Strict", "Warn"`);
  }
  let unknown: string[] = [];
  if (type.pruneUnknownFields) {
    const status = obj.status;
    if (skipStatus) delete obj.status;
    unknown = type.pruneUnknownFields(obj);
    if (skipStatus && status !== undefined) obj.status = status;
  }
  return fieldProblems(type, obj, mode, unknown, duplicates);
}

/**
 * Applies `mode` to the fields a decoder found and did not keep (a protobuf body's undeclared
 * field numbers): their `unknown field` warnings (`Warn`, the default), nothing (`Ignore`), or
 * BadRequest naming them (`Strict`), as {@link checkFields} does for JSON's unknown fields.
 */
export function checkDecodedFields(
  type: ResourceType,
  obj: KubeObject,
  unknown: readonly string[],
  mode: FieldValidation = 'Warn',
): string[] {
  return fieldProblems(type, obj, mode, unknown, []);
}

function fieldProblems(
  type: ResourceType,
  obj: KubeObject,
  mode: FieldValidation,
  unknown: readonly string[],
  duplicates: readonly string[],
): string[] {
  if (mode === 'Ignore' || unknown.length + duplicates.length === 0) return [];
  const problems = [...unknown.map((f) => `unknown field "${f}"`), ...duplicates.map((f) => `duplicate field "${f}"`)];
  if (mode === 'Warn') return problems;
  const causes: StatusCause[] = [
    ...unknown.map((field) => ({ field, message: 'unknown field', reason: 'FieldValueInvalid' })),
    ...duplicates.map((field) => ({ field, message: 'duplicate field', reason: 'FieldValueDuplicate' })),
  ];
  throw new TugboatError(
    'BadRequest',
    `${type.kind} in version "${type.version}" cannot be handled as a ${type.kind}: strict decoding error: ${problems.join(', ')}`,
    { group: type.group, kind: type.plural, name: obj.metadata?.name ?? obj.metadata?.generateName ?? '', causes },
  );
}
