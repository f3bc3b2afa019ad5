/**
 * One validated label-selector requirement (`key op values`) with a precompiled matcher, built
 * and checked as Kubernetes' labels.NewRequirement does. The building block of selectors.
 */
import type { Labels } from './types.js';
import type { Requirement, SelectorOperator } from './selector.js';
import { labelValueErrors, qualifiedNameErrors } from './names.js';

/** A precompiled test of one requirement against a label map. */
export type Matcher = (labels: Labels) => boolean;

/** A problem found while building requirements: the field path and the message. */
export interface RequirementCause {
  field: string;
  message: string;
}

/** The value of a label, or undefined when the object has no such own label. */
function labelOf(labels: Labels, key: string): string | undefined {
  const v = (labels as Record<string, unknown>)[key];
  if (typeof v === 'string') return v;
  if (v === undefined || v === null || !Object.prototype.hasOwnProperty.call(labels, key)) return undefined;
  return typeof v === 'number' || typeof v === 'boolean' ? String(v) : undefined;
}

/** Go's strconv.ParseInt(s, 10, 64), or undefined; done without a regex since it runs per match. */
function parseInt64(s: string): bigint | undefined {
  let i = s[0] === '+' || s[0] === '-' ? 1 : 0;
  if (i === s.length) return undefined;
  for (; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return undefined;
  }
  const n = BigInt(s);
  return n > 9223372036854775807n || n < -9223372036854775808n ? undefined : n;
}

function compileRequirement(key: string, op: SelectorOperator, values: readonly string[]): Matcher {
  switch (op) {
    case 'Exists':
      return (l) => labelOf(l, key) !== undefined;
    case 'DoesNotExist':
      return (l) => labelOf(l, key) === undefined;
    case '=':
    case '==':
    case 'In':
    case '!=':
    case 'NotIn': {
      const negate = op === '!=' || op === 'NotIn';
      if (values.length === 1) {
        const want = values[0];
        return negate
          ? (l) => {
              const v = labelOf(l, key);
              return v === undefined || v !== want;
            }
          : (l) => labelOf(l, key) === want;
      }
      const set = new Set(values);
      return negate
        ? (l) => {
            const v = labelOf(l, key);
            return v === undefined || !set.has(v);
          }
        : (l) => {
            const v = labelOf(l, key);
            return v !== undefined && set.has(v);
          };
    }
    case 'Gt':
    case 'Lt': {
      const bound = values.length === 1 ? parseInt64(values[0]) : undefined;
      return (l) => {
        const v = labelOf(l, key);
        if (v === undefined || bound === undefined) return false;
        const n = parseInt64(v);
        if (n === undefined) return false;
        return op === 'Gt' ? n > bound : n < bound;
      };
    }
  }
}

/** Code-unit string order, as Go's sort of strings. */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A validated requirement with a precompiled matcher; build it with {@link newRequirement}. */
export class LabelRequirement implements Requirement {
  readonly values: readonly string[];
  readonly test: Matcher;

  constructor(
    readonly key: string,
    readonly operator: SelectorOperator,
    values: readonly string[],
  ) {
    this.values = Object.freeze([...new Set(values)].sort(compareStrings));
    this.test = compileRequirement(key, operator, this.values);
    Object.freeze(this);
  }

  toString(): string {
    const k = this.key;
    switch (this.operator) {
      case 'Exists':
        return k;
      case 'DoesNotExist':
        return `!${k}`;
      case 'In':
        return `${k} in (${this.values.join(',')})`;
      case 'NotIn':
        return `${k} notin (${this.values.join(',')})`;
      case 'Gt':
        return `${k}>${this.values[0]}`;
      case 'Lt':
        return `${k}<${this.values[0]}`;
      default:
        return `${k}${this.operator}${this.values[0]}`;
    }
  }
}

/** Thrown for a bad requirement; collects causes before the public error is built. */
export class RequirementError extends Error {
  constructor(readonly causes: RequirementCause[]) {
    super(causes.map((c) => `${c.field}: ${c.message}`).join('; '));
  }
}

/** `path.child`, or `path[i]` for an index child, or `child` at the root. */
export function joinPath(path: string, child: string): string {
  return path === '' ? child : child.startsWith('[') ? `${path}${child}` : `${path}.${child}`;
}

/** The message Kubernetes gives for an operator outside the set operators. */
export function unsupportedOperator(op: unknown): string {
  return `Unsupported value: ${JSON.stringify(op)}: supported values: "In", "NotIn", "Exists", "DoesNotExist"`;
}

/**
 * Builds a validated requirement as Kubernetes' NewRequirement does; problems are reported under
 * `path` (`path.key`, `path.values[i]`, `path.operator`) by throwing a RequirementError.
 */
export function newRequirement(key: string, op: SelectorOperator, values: readonly string[], path: string): LabelRequirement {
  const causes: RequirementCause[] = [];
  const valuesPath = joinPath(path, 'values');
  if (typeof key !== 'string') causes.push({ field: joinPath(path, 'key'), message: 'must be a string' });
  else for (const m of qualifiedNameErrors(key)) causes.push({ field: joinPath(path, 'key'), message: `${JSON.stringify(key)}: ${m}` });
  switch (op) {
    case 'In':
    case 'NotIn':
      if (values.length === 0) causes.push({ field: valuesPath, message: "for 'in', 'notin' operators, values set can't be empty" });
      break;
    case '=':
    case '==':
    case '!=':
      if (values.length !== 1) causes.push({ field: valuesPath, message: 'exact-match compatibility requires one single value' });
      break;
    case 'Exists':
    case 'DoesNotExist':
      if (values.length !== 0) causes.push({ field: valuesPath, message: 'values set must be empty for exists and does not exist' });
      break;
    case 'Gt':
    case 'Lt':
      if (values.length !== 1) causes.push({ field: valuesPath, message: "for 'Gt', 'Lt' operators, exactly one value is required" });
      values.forEach((v, i) => {
        if (typeof v !== 'string' || parseInt64(v) === undefined) {
          causes.push({ field: `${valuesPath}[${i}]`, message: "for 'Gt', 'Lt' operators, the value must be an integer" });
        }
      });
      break;
    default:
      causes.push({ field: joinPath(path, 'operator'), message: unsupportedOperator(op) });
  }
  values.forEach((v, i) => {
    for (const m of labelValueErrors(v)) causes.push({ field: `${valuesPath}[${i}]`, message: `${JSON.stringify(v)}: ${m}` });
  });
  if (causes.length > 0) throw new RequirementError(causes);
  return new LabelRequirement(key, op, values);
}

/**
 * One `key=value` requirement per entry of a label set (matchLabels, a Service selector); a bad
 * key or value becomes one cause at `field` naming the key, added to `causes`.
 */
export function equalityRequirements(labels: Record<string, string>, field: string, causes: RequirementCause[]): LabelRequirement[] {
  const reqs: LabelRequirement[] = [];
  for (const [k, v] of Object.entries(labels)) {
    const errs = [...qualifiedNameErrors(k), ...labelValueErrors(v).map((m) => `value ${JSON.stringify(v)}: ${m}`)];
    if (errs.length > 0) causes.push({ field, message: `${JSON.stringify(k)}: ${errs.join('; ')}` });
    else reqs.push(new LabelRequirement(k, '=', [v]));
  }
  return reqs;
}
