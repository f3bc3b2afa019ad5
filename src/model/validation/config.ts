/** Validation of ConfigMaps and Secrets: key names, no key in two maps, total size. */
import type { StatusCause } from '../types.js';
import { duplicate, invalid, notSupported, required, tooLong } from './field-errors.js';
import { isObject } from './common.js';

const KEY_RE = /^[-._a-zA-Z0-9]+$/;
/** The largest ConfigMap or Secret payload Kubernetes accepts (1 MiB). */
export const MAX_CONFIG_SIZE = 1024 * 1024;

/** Problems of a ConfigMap/Secret key, as messages. */
export function configKeyErrors(key: string): string[] {
  const errs: string[] = [];
  if (key.length > 253) errs.push('must be no more than 253 characters');
  if (!KEY_RE.test(key))
    errs.push(
      "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')",
    );
  if (key === '.' || key === '..') errs.push(`must not be '${key}'`);
  else if (key.startsWith('..')) errs.push("must not start with '..'");
  return errs;
}

function checkMaps(obj: Record<string, unknown>, fields: string[]): { causes: StatusCause[]; size: number } {
  const causes: StatusCause[] = [];
  const seen = new Set<string>();
  let size = 0;
  for (const f of fields) {
    const map = obj[f];
    if (map === undefined || map === null) continue;
    if (!isObject(map)) {
      causes.push(invalid(f, map, 'must be a map of strings'));
      continue;
    }
    for (const [k, v] of Object.entries(map)) {
      for (const m of configKeyErrors(k)) causes.push(invalid(`${f}[${k}]`, k, m));
      if (typeof v !== 'string') causes.push(invalid(`${f}[${k}]`, v, 'must be a string'));
      if (seen.has(k)) causes.push(duplicate(`${f}[${k}]`, k));
      seen.add(k);
      size += typeof v === 'string' ? Buffer.byteLength(v) : 0;
    }
  }
  return { causes, size };
}

/** Checks a ConfigMap: keys of data and binaryData valid and distinct, at most 1 MiB. */
export function validateConfigMap(cm: Record<string, unknown>): StatusCause[] {
  const { causes, size } = checkMaps(cm, ['data', 'binaryData']);
  if (size > MAX_CONFIG_SIZE) causes.push(tooLong('', MAX_CONFIG_SIZE));
  return causes;
}

const TLS_KEYS = ['tls.crt', 'tls.key'];

/** Checks a Secret: keys of data and stringData valid, data base64, size, and the keys its type requires. */
export function validateSecret(secret: Record<string, unknown>): StatusCause[] {
  const causes: StatusCause[] = [];
  const data = isObject(secret.data) ? secret.data : {};
  const { causes: keyCauses, size } = checkMaps({ data: secret.data }, ['data']);
  causes.push(...keyCauses);
  const string = checkMaps({ stringData: secret.stringData }, ['stringData']);
  causes.push(...string.causes.filter((c) => c.reason !== 'FieldValueDuplicate'));
  for (const [k, v] of Object.entries(data)) {
    if (typeof v === 'string' && !/^[A-Za-z0-9+/]*={0,2}$/.test(v))
      causes.push(invalid(`data[${k}]`, '<value omitted>', 'must be base64 encoded'));
  }
  if (size > MAX_CONFIG_SIZE) causes.push(tooLong('data', MAX_CONFIG_SIZE));
  const keys = new Set([...Object.keys(data), ...Object.keys(isObject(secret.stringData) ? secret.stringData : {})]);
  const type = secret.type;
  if (type !== undefined && typeof type !== 'string') causes.push(notSupported('type', type, ['Opaque']));
  if (type === 'kubernetes.io/tls') for (const k of TLS_KEYS) if (!keys.has(k)) causes.push(required(`data[${k}]`));
  if (type === 'kubernetes.io/dockerconfigjson' && !keys.has('.dockerconfigjson')) causes.push(required('data[.dockerconfigjson]'));
  if (type === 'kubernetes.io/basic-auth' && !keys.has('username') && !keys.has('password')) {
    causes.push(required('data[username]', 'either username or password is required'));
  }
  return causes;
}
