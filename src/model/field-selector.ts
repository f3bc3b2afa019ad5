/**
 * Field selectors (`metadata.name=web,status.phase!=Running`) with the syntax of Kubernetes'
 * fields package: comma-separated terms, `=`/`==`/`!=`, backslash escapes in values.
 */
import type { KubeObject } from './types.js';
import { TugboatError, fieldError } from './errors.js';
import { compareStrings } from './label-requirement.js';

/** One field requirement: `field=value`, `field==value` or `field!=value`. */
export interface FieldRequirement {
  readonly field: string;
  readonly operator: '=' | '==' | '!=';
  readonly value: string;
}

/** A parsed field selector. */
export interface FieldSelector {
  readonly requirements: readonly FieldRequirement[];
  /** True when the object's fields satisfy every requirement. */
  matches(obj: KubeObject): boolean;
  /** True for the selector that selects everything. */
  isEmpty(): boolean;
  /** Kubernetes' canonical string form. */
  toString(): string;
}

/** Marks a field whose value is an object or array: equal to no value, unequal to all. */
const NOT_SCALAR = Symbol('not-scalar');

/** Reads a dotted path; a missing field reads as '' (as Kubernetes' field sets do). */
function fieldReader(field: string): (obj: unknown) => string | typeof NOT_SCALAR {
  const path = field.split('.');
  return (obj) => {
    let cur: unknown = obj;
    for (let i = 0; i < path.length; i++) {
      if (cur === null || typeof cur !== 'object') return '';
      const seg = path[i];
      if (!Object.prototype.hasOwnProperty.call(cur, seg)) return '';
      cur = (cur as Record<string, unknown>)[seg];
    }
    if (typeof cur === 'string') return cur;
    if (cur === undefined || cur === null) return '';
    if (typeof cur === 'number' || typeof cur === 'boolean' || typeof cur === 'bigint') return String(cur);
    return NOT_SCALAR;
  };
}

/** Escapes `\`, `,` and `=` in a field selector value, as Kubernetes' fields.EscapeValue. */
export function escapeFieldValue(value: string): string {
  return value.replace(/[\\,=]/g, (c) => `\\${c}`);
}

/**
 * Undoes escapeFieldValue; `\!` is also accepted (for `!`). An unescaped `,` or `=`, or an unknown
 * escape, is an error message (returned as `{ error }`).
 */
function unescapeValue(s: string): string | { error: string } {
  if (!/[\\,=]/.test(s)) return s;
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '\\') {
      const n = s[i + 1];
      if (n === undefined) return { error: 'invalid escape sequence: \\' };
      if (n !== '\\' && n !== ',' && n !== '=' && n !== '!') return { error: `invalid escape sequence: \\${n}` };
      out += n;
      i++;
    } else if (c === ',' || c === '=') {
      return { error: `unescaped character '${c}'` };
    } else {
      out += c;
    }
  }
  return out;
}

/** Splits on commas not escaped by a backslash; escapes stay in the terms. */
function splitTerms(text: string): string[] {
  const terms: string[] = [];
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === ',') {
      terms.push(text.slice(start, i));
      start = i + 1;
    }
  }
  terms.push(text.slice(start));
  return terms;
}

/** Splits a term at its first operator, `!=` and `==` tried before `=`. */
function splitTerm(term: string): [string, FieldRequirement['operator'], string] | undefined {
  for (let i = 0; i < term.length; i++) {
    for (const op of ['!=', '==', '='] as const) {
      if (term.startsWith(op, i)) return [term.slice(0, i), op, term.slice(i + op.length)];
    }
  }
  return undefined;
}

class ParsedFieldSelector implements FieldSelector {
  readonly requirements: readonly FieldRequirement[];
  readonly matches: (obj: KubeObject) => boolean;

  constructor(requirements: FieldRequirement[]) {
    this.requirements = Object.freeze(requirements.map((r) => Object.freeze({ ...r })));
    const tests = this.requirements.map(({ field, operator, value }) => {
      const read = fieldReader(field);
      return operator === '!=' ? (o: unknown) => read(o) !== value : (o: unknown) => read(o) === value;
    });
    const n = tests.length;
    this.matches = (obj) => {
      for (let i = 0; i < n; i++) if (!tests[i](obj)) return false;
      return true;
    };
  }

  isEmpty(): boolean {
    return this.requirements.length === 0;
  }

  /** Kubernetes' form: `field=value` (also for `==`) and `field!=value`, values escaped. */
  toString(): string {
    return this.requirements.map((r) => `${r.field}${r.operator === '!=' ? '!=' : '='}${escapeFieldValue(r.value)}`).join(',');
  }
}

function invalid(text: string, message: string, fieldPath: string): TugboatError {
  return new TugboatError('Invalid', `invalid field selector ${JSON.stringify(text)}: ${message}`, {
    causes: [fieldError(fieldPath, message)],
  });
}

/**
 * Parses a field selector string (`""` selects everything); throws TugboatError `Invalid` naming
 * `fieldPath` (default `fieldSelector`) on bad syntax. Terms are ordered as Kubernetes orders
 * them (sorted by their text).
 */
export function parseFieldSelector(text: string, fieldPath = 'fieldSelector'): FieldSelector {
  if (typeof text !== 'string') throw invalid(String(text), 'must be a string', fieldPath);
  const reqs: FieldRequirement[] = [];
  for (const term of splitTerms(text).sort(compareStrings)) {
    if (term === '') continue;
    const parts = splitTerm(term);
    if (parts === undefined) throw invalid(text, `can't understand '${term}'`, fieldPath);
    const [field, operator, raw] = parts;
    if (field === '') throw invalid(text, `'${term}' names no field`, fieldPath);
    const value = unescapeValue(raw);
    if (typeof value !== 'string') throw invalid(text, value.error, fieldPath);
    reqs.push({ field, operator, value });
  }
  return new ParsedFieldSelector(reqs);
}

/** A field selector requiring every `field=value` pair of the record, sorted by field. */
export function fieldSelectorFromSet(fields: Record<string, string> | undefined | null): FieldSelector {
  const entries = Object.entries(fields ?? {}).sort(([a], [b]) => compareStrings(a, b));
  return new ParsedFieldSelector(entries.map(([field, value]) => ({ field, operator: '=', value: String(value) })));
}

/** The value a field selector demands for `field` (`field=v` or `field==v`), or undefined; for narrowing through an index. */
export function fieldRequiresExactMatch(selector: FieldSelector, field: string): string | undefined {
  const r = selector.requirements.find((q) => q.field === field);
  return r !== undefined && r.operator !== '!=' ? r.value : undefined;
}

/** True when `x` is a parsed FieldSelector. */
export function isFieldSelector(x: unknown): x is FieldSelector {
  if (x instanceof ParsedFieldSelector) return true;
  if (typeof x !== 'object' || x === null) return false;
  const s = x as Partial<FieldSelector>;
  return Array.isArray(s.requirements) && typeof s.matches === 'function' && typeof s.isEmpty === 'function';
}
