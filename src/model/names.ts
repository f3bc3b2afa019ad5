/**
 * Name, label and annotation rules of Kubernetes (apimachinery's validation package), each
 * returning the causes it finds with Kubernetes field paths such as `metadata.labels[app]`.
 */
import type { ObjectMeta, StatusCause } from './types.js';
import type { NameFormat } from './resource-type.js';
import { forbidden, invalid, required, tooLong } from './validation/field-errors.js';

const LABEL_RE = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const SUBDOMAIN_RE = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const QUALIFIED_PART_RE = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const LABEL_MSG =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
const SUBDOMAIN_MSG =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const QUALIFIED_MSG =
  "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
const LABEL_VALUE_MSG =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";

/** Kubernetes' limit on the total size of an object's annotations (256 KiB). */
export const TOTAL_ANNOTATION_SIZE_LIMIT = 256 * 1024;

/** True for an RFC 1123 label: lower-case alphanumerics and '-', at most 63 characters. */
export function isDns1123Label(value: string): boolean {
  return value.length <= 63 && LABEL_RE.test(value);
}

/** True for an RFC 1123 subdomain: dot-separated labels, at most 253 characters. */
export function isDns1123Subdomain(value: string): boolean {
  return value.length <= 253 && SUBDOMAIN_RE.test(value);
}

/** Problems of a DNS-1123 label, as messages (empty when valid). */
export function dns1123LabelErrors(value: string): string[] {
  const errs: string[] = [];
  if (value.length > 63) errs.push('must be no more than 63 characters');
  if (!LABEL_RE.test(value)) errs.push(LABEL_MSG);
  return errs;
}

/** Problems of a DNS-1123 subdomain, as messages (empty when valid). */
export function dns1123SubdomainErrors(value: string): string[] {
  const errs: string[] = [];
  if (value.length > 253) errs.push('must be no more than 253 characters');
  if (!SUBDOMAIN_RE.test(value)) errs.push(SUBDOMAIN_MSG);
  return errs;
}

function pathSegmentErrors(value: string): string[] {
  if (value === '.' || value === '..') return [`may not be '${value}'`];
  const errs: string[] = [];
  for (const bad of ['/', '%']) if (value.includes(bad)) errs.push(`may not contain '${bad}'`);
  return errs;
}

function nameErrors(name: string, format: NameFormat): string[] {
  if (format === 'dns1123-label') return dns1123LabelErrors(name);
  if (format === 'dns1123-subdomain') return dns1123SubdomainErrors(name);
  return pathSegmentErrors(name);
}

/**
 * Checks an object name against a kind's name format. With `prefix` (for generateName) a
 * trailing '-' is allowed, as Kubernetes does.
 */
export function validateName(name: string, format: NameFormat, field: string, prefix = false): StatusCause[] {
  const checked = prefix && name.endsWith('-') && format !== 'path-segment' ? name.slice(0, -1) : name;
  if (prefix && checked === '') return [];
  return nameErrors(checked, format).map((m) => invalid(field, name, m));
}

/** Problems of a qualified name (a label or annotation key: `[prefix/]name`), as messages. */
export function qualifiedNameErrors(value: string): string[] {
  const parts = value.split('/');
  let name = value;
  const errs: string[] = [];
  if (parts.length === 2) {
    const [prefix, rest] = parts;
    name = rest;
    if (prefix.length === 0) errs.push('prefix part must be non-empty');
    else errs.push(...dns1123SubdomainErrors(prefix).map((m) => `prefix part ${m}`));
  } else if (parts.length > 2) {
    return [
      "a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')",
    ];
  }
  if (name.length === 0) errs.push('name part must be non-empty');
  else {
    if (name.length > 63) errs.push('name part must be no more than 63 characters');
    if (!QUALIFIED_PART_RE.test(name)) errs.push(QUALIFIED_MSG);
  }
  return errs;
}

/** True for a valid label key (qualified name). */
export function isQualifiedName(value: string): boolean {
  return qualifiedNameErrors(value).length === 0;
}

/**
 * Problems of a label value (empty, or at most 63 alphanumerics, '-', '_' or '.', starting and
 * ending alphanumeric), as messages; a value that is not a string gets 'must be a string'.
 */
export function labelValueErrors(value: unknown): string[] {
  if (typeof value !== 'string') return ['must be a string'];
  const errs: string[] = [];
  if (value.length > 63) errs.push('must be no more than 63 characters');
  if (value !== '' && !QUALIFIED_PART_RE.test(value)) errs.push(LABEL_VALUE_MSG);
  return errs;
}

/** True for a valid label value: empty, or at most 63 alphanumerics, '-', '_' or '.'. */
export function isValidLabelValue(value: string): boolean {
  return labelValueErrors(value).length === 0;
}

/** Checks a label map: a bad key is reported at `<field>`, a bad value at `<field>[key]`. */
export function validateLabels(labels: Record<string, unknown> | undefined | null, field: string): StatusCause[] {
  const causes: StatusCause[] = [];
  if (!labels) return causes;
  for (const [key, value] of Object.entries(labels)) {
    for (const m of qualifiedNameErrors(key)) causes.push(invalid(field, key, m));
    for (const m of labelValueErrors(value)) causes.push(invalid(`${field}[${key}]`, value, m));
  }
  return causes;
}

/** Checks an annotation map: keys are qualified names, total size at most 256 KiB. */
export function validateAnnotations(annotations: Record<string, unknown> | undefined | null, field: string): StatusCause[] {
  const causes: StatusCause[] = [];
  if (!annotations) return causes;
  let total = 0;
  for (const [key, value] of Object.entries(annotations)) {
    for (const m of qualifiedNameErrors(key.toLowerCase())) causes.push(invalid(field, key, m));
    if (typeof value !== 'string') causes.push(invalid(`${field}[${key}]`, value, 'must be a string'));
    total += Buffer.byteLength(key) + Buffer.byteLength(typeof value === 'string' ? value : String(value));
  }
  if (total > TOTAL_ANNOTATION_SIZE_LIMIT) causes.push(tooLong(field, TOTAL_ANNOTATION_SIZE_LIMIT));
  return causes;
}

/** How a kind's metadata is checked. */
export interface ObjectMetaRules {
  namespaced: boolean;
  nameFormat: NameFormat;
}

/**
 * Checks an object's metadata as Kubernetes does on create and update: name (or generateName)
 * in the kind's format, namespace present exactly when the kind is namespaced, labels,
 * annotations, owner references and finalizers.
 */
export function validateObjectMeta(meta: ObjectMeta | undefined, rules: ObjectMetaRules, field = 'metadata'): StatusCause[] {
  const causes: StatusCause[] = [];
  if (!meta || typeof meta !== 'object') return [required(field)];
  if (meta.generateName) causes.push(...validateName(meta.generateName, rules.nameFormat, `${field}.generateName`, true));
  if (!meta.name) {
    if (!meta.generateName) causes.push(required(`${field}.name`, 'name or generateName is required'));
  } else {
    causes.push(...validateName(meta.name, rules.nameFormat, `${field}.name`));
  }
  if (rules.namespaced) {
    if (!meta.namespace) causes.push(required(`${field}.namespace`));
    else causes.push(...dns1123LabelErrors(meta.namespace).map((m) => invalid(`${field}.namespace`, meta.namespace, m)));
  } else if (meta.namespace) {
    causes.push(forbidden(`${field}.namespace`, 'not allowed on this type'));
  }
  causes.push(...validateLabels(meta.labels, `${field}.labels`));
  causes.push(...validateAnnotations(meta.annotations, `${field}.annotations`));
  (meta.ownerReferences ?? []).forEach((ref, i) => {
    const at = `${field}.ownerReferences[${i}]`;
    if (!ref.apiVersion) causes.push(invalid(`${at}.apiVersion`, ref.apiVersion ?? '', 'version must not be empty'));
    if (!ref.kind) causes.push(invalid(`${at}.kind`, ref.kind ?? '', 'kind must not be empty'));
    if (!ref.name) causes.push(invalid(`${at}.name`, ref.name ?? '', 'name must not be empty'));
    if (!ref.uid) causes.push(invalid(`${at}.uid`, ref.uid ?? '', 'uid must not be empty'));
  });
  const controllers = (meta.ownerReferences ?? []).filter((r) => r.controller === true);
  if (controllers.length > 1) {
    causes.push(
      invalid(
        `${field}.ownerReferences`,
        controllers.map((r) => r.name),
        'Only one reference can have Controller set to true',
      ),
    );
  }
  (meta.finalizers ?? []).forEach((f, i) => {
    for (const m of qualifiedNameErrors(f)) causes.push(invalid(`${field}.finalizers[${i}]`, f, m));
  });
  return causes;
}
