/**
 * Label selectors with Kubernetes' semantics (k8s.io/apimachinery/pkg/labels): the string
 * syntax (`app=web,tier in (a,b),!canary`), `matchLabels`/`matchExpressions` objects, label key
 * and value validation, and fast matching over many objects.
 */
import type { LabelSelector, Labels } from './types.js';
import { TugboatError, fieldError } from './errors.js';
import { labelValueErrors, qualifiedNameErrors } from './names.js';

/** A selector operator, as in Kubernetes' labels package (`Gt`/`Lt` only from the string syntax `a>1`, `a<1`). */
export type SelectorOperator = 'In' | 'NotIn' | 'Exists' | 'DoesNotExist' | '=' | '==' | '!=' | 'Gt' | 'Lt';

/** One requirement of a selector: key, operator and values. */
export interface Requirement {
  readonly key: string;
  readonly operator: SelectorOperator;
  readonly values: readonly string[];
}

/** A parsed label selector. */
export interface Selector {
  readonly requirements: readonly Requirement[];
  /** True when the labels satisfy every requirement. */
  matches(labels: Labels | undefined | null): boolean;
  /** True for the selector that selects everything. */
  isEmpty(): boolean;
  /** Kubernetes' canonical string form. */
  toString(): string;
}

// ---- label key and value validation: the rules live in names.ts ----

/**
 * Problems with a label key (an optional DNS-1123 subdomain prefix and '/', then a name of at most
 * 63 characters); empty when valid. Use it to validate `metadata.labels` and selector keys.
 * The same rule as {@link qualifiedNameErrors}.
 */
export function validateLabelKey(key: string): string[] {
  return qualifiedNameErrors(key);
}

/**
 * Problems with a label value (empty, or at most 63 characters of `[A-Za-z0-9._-]` starting and
 * ending alphanumeric); empty when valid. The same rule as {@link labelValueErrors}.
 */
export function validateLabelValue(value: string): string[] {
  return labelValueErrors(value);
}

// ---- requirements and selectors ----

type Matcher = (labels: Labels) => boolean;
const EMPTY_LABELS: Labels = Object.freeze({});

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

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A validated requirement with a precompiled matcher. */
class LabelRequirement implements Requirement {
  readonly values: readonly string[];
  readonly test: Matcher;

  constructor(readonly key: string, readonly operator: SelectorOperator, values: readonly string[]) {
    this.values = Object.freeze([...new Set(values)].sort(compare));
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

/** The selector for a list of requirements: all must match. */
class RequirementsSelector implements Selector {
  readonly requirements: readonly LabelRequirement[];
  readonly matches: (labels: Labels | undefined | null) => boolean;
  #text: string | undefined;

  constructor(requirements: LabelRequirement[]) {
    // Stable sort by key, as Kubernetes sorts requirements (ByKey) after parsing.
    this.requirements = Object.freeze(requirements.slice().sort((a, b) => compare(a.key, b.key)));
    const tests = this.requirements.map((r) => r.test);
    const n = tests.length;
    if (n === 0) this.matches = () => true;
    else if (n === 1) {
      const t0 = tests[0];
      this.matches = (labels) => t0(labels ?? EMPTY_LABELS);
    } else {
      this.matches = (labels) => {
        const l = labels ?? EMPTY_LABELS;
        for (let i = 0; i < n; i++) if (!tests[i](l)) return false;
        return true;
      };
    }
  }

  isEmpty(): boolean {
    return this.requirements.length === 0;
  }

  toString(): string {
    return (this.#text ??= this.requirements.map((r) => r.toString()).join(','));
  }
}

/** The selector that matches nothing (Kubernetes' labels.Nothing()). */
class NothingSelector implements Selector {
  readonly requirements: readonly Requirement[] = Object.freeze([]);
  readonly matches = (_labels: Labels | undefined | null): boolean => false;
  isEmpty(): boolean {
    return false;
  }
  toString(): string {
    return '';
  }
}

const EVERYTHING = new RequirementsSelector([]);
const NOTHING = new NothingSelector();

/** Thrown for a bad requirement; collects causes before the public error is built. */
class RequirementError extends Error {
  constructor(readonly causes: { field: string; message: string }[]) {
    super(causes.map((c) => `${c.field}: ${c.message}`).join('; '));
  }
}

function join(path: string, child: string): string {
  return path === '' ? child : child.startsWith('[') ? `${path}${child}` : `${path}.${child}`;
}

/**
 * Builds a validated requirement as Kubernetes' NewRequirement does; problems are reported under
 * `path` (`path.key`, `path.values[i]`, `path.operator`).
 */
function newRequirement(key: string, op: SelectorOperator, values: readonly string[], path: string): LabelRequirement {
  const causes: { field: string; message: string }[] = [];
  const valuesPath = join(path, 'values');
  if (typeof key !== 'string') causes.push({ field: join(path, 'key'), message: 'must be a string' });
  else for (const m of validateLabelKey(key)) causes.push({ field: join(path, 'key'), message: `${JSON.stringify(key)}: ${m}` });
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
      causes.push({
        field: join(path, 'operator'),
        message: `Unsupported value: ${JSON.stringify(op)}: supported values: "In", "NotIn", "Exists", "DoesNotExist"`,
      });
  }
  values.forEach((v, i) => {
    for (const m of validateLabelValue(v)) causes.push({ field: `${valuesPath}[${i}]`, message: `${JSON.stringify(v)}: ${m}` });
  });
  if (causes.length > 0) throw new RequirementError(causes);
  return new LabelRequirement(key, op, values);
}

function invalidSelector(what: string, causes: { field: string; message: string }[]): TugboatError {
  const list = causes.map((c) => `${c.field}: ${c.message}`).join(', ');
  return new TugboatError('Invalid', `invalid label selector${what ? ` ${what}` : ''}: ${list}`, {
    causes: causes.map((c) => fieldError(c.field, c.message)),
  });
}

// ---- the string syntax (lexer and parser follow Kubernetes' labels.Parse) ----

type Tok = 'id' | 'in' | 'notin' | '(' | ')' | ',' | '!' | '=' | '==' | '!=' | '>' | '<' | 'end';
interface Item {
  readonly tok: Tok;
  readonly lit: string;
}

const isSpecial = (c: string): boolean =>
  c === '=' || c === '!' || c === '(' || c === ')' || c === ',' || c === '>' || c === '<';
const isSpace = (c: string): boolean => c === ' ' || c === '\t' || c === '\r' || c === '\n';

function lex(s: string): Item[] {
  const items: Item[] = [];
  const n = s.length;
  let i = 0;
  for (;;) {
    while (i < n && isSpace(s[i])) i++;
    // As in Kubernetes' lexer, a NUL character ends the input.
    if (i >= n || s[i] === '\0') {
      items.push({ tok: 'end', lit: '' });
      return items;
    }
    const c = s[i];
    if (isSpecial(c)) {
      const two = s.slice(i, i + 2);
      if (two === '!=' || two === '==') {
        items.push({ tok: two, lit: two });
        i += 2;
      } else {
        items.push({ tok: c as Tok, lit: c });
        i++;
      }
      continue;
    }
    let j = i;
    while (j < n && s[j] !== '\0' && !isSpecial(s[j]) && !isSpace(s[j])) j++;
    const lit = s.slice(i, j);
    items.push({ tok: lit === 'in' ? 'in' : lit === 'notin' ? 'notin' : 'id', lit });
    i = j;
  }
}

class ParseError extends Error {}

class Parser {
  private pos = 0;
  constructor(private readonly items: Item[]) {}

  /** The next token; in a values context the keywords `in`/`notin` are plain identifiers. */
  private peek(values = true): Item {
    const it = this.items[this.pos];
    return values && (it.tok === 'in' || it.tok === 'notin') ? { tok: 'id', lit: it.lit } : it;
  }

  private next(values = true): Item {
    const it = this.peek(values);
    if (this.pos < this.items.length - 1) this.pos++;
    return it;
  }

  parse(): LabelRequirement[] {
    const reqs: LabelRequirement[] = [];
    for (;;) {
      const { tok, lit } = this.peek();
      if (tok === 'end') return reqs;
      if (tok !== 'id' && tok !== '!') throw new ParseError(`found '${lit}', expected: !, identifier, or 'end of string'`);
      reqs.push(this.requirement());
      const after = this.next();
      if (after.tok === 'end') return reqs;
      if (after.tok !== ',') throw new ParseError(`found '${after.lit}', expected: ',' or 'end of string'`);
      const t2 = this.peek();
      if (t2.tok !== 'id' && t2.tok !== '!') throw new ParseError(`found '${t2.lit}', expected: identifier after ','`);
    }
  }

  private requirement(): LabelRequirement {
    let op: SelectorOperator | undefined;
    let t = this.next();
    if (t.tok === '!') {
      op = 'DoesNotExist';
      t = this.next();
    }
    if (t.tok !== 'id') throw new ParseError(`found '${t.lit}', expected: identifier`);
    const key = t.lit;
    const keyErrs = validateLabelKey(key);
    if (keyErrs.length > 0) throw new ParseError(`invalid label key "${key}": ${keyErrs.join('; ')}`);
    const la = this.peek().tok;
    if (op === 'DoesNotExist' || la === 'end' || la === ',') return this.build(key, op ?? 'Exists', []);

    const o = this.next(false);
    const ops: Partial<Record<Tok, SelectorOperator>> = {
      in: 'In', notin: 'NotIn', '=': '=', '==': '==', '!=': '!=', '>': 'Gt', '<': 'Lt',
    };
    op = ops[o.tok];
    if (op === undefined) throw new ParseError(`found '${o.lit}', expected: in, notin, =, ==, !=, gt, lt`);
    return this.build(key, op, op === 'In' || op === 'NotIn' ? this.valueSet() : this.exactValue());
  }

  private build(key: string, op: SelectorOperator, values: string[]): LabelRequirement {
    try {
      return newRequirement(key, op, values, '');
    } catch (err) {
      if (err instanceof RequirementError) throw new ParseError(err.causes.map((c) => c.message).join('; '));
      throw err;
    }
  }

  private exactValue(): string[] {
    const la = this.peek();
    if (la.tok === 'end' || la.tok === ',') return [''];
    const t = this.next();
    if (t.tok === 'id') return [t.lit];
    throw new ParseError(`found '${t.lit}', expected: identifier`);
  }

  private valueSet(): string[] {
    const open = this.next();
    if (open.tok !== '(') throw new ParseError(`found '${open.lit}' expected: '('`);
    const la = this.peek();
    if (la.tok === ')') {
      this.next();
      return [''];
    }
    if (la.tok !== 'id' && la.tok !== ',') throw new ParseError(`found '${la.lit}', expected: ',', ')' or identifier`);
    const values = this.identifiers();
    const close = this.next();
    if (close.tok !== ')') throw new ParseError(`found '${close.lit}', expected: ')'`);
    return values;
  }

  /** `x,y`, where an empty item (`(,x)`, `(x,)`, `(x,,y)`) is the empty value, as in Kubernetes. */
  private identifiers(): string[] {
    const out = new Set<string>();
    for (;;) {
      const t = this.next();
      if (t.tok === 'id') {
        out.add(t.lit);
        const la = this.peek();
        if (la.tok === ',') continue;
        if (la.tok === ')') return [...out];
        throw new ParseError(`found '${la.lit}', expected: ',' or ')'`);
      }
      if (t.tok === ',') {
        if (out.size === 0) out.add('');
        const la = this.peek();
        if (la.tok === ')') {
          out.add('');
          return [...out];
        }
        if (la.tok === ',') {
          this.next();
          out.add('');
        }
        continue;
      }
      throw new ParseError(`found '${t.lit}', expected: ',', or identifier`);
    }
  }
}

function parseSelectorText(text: string, fieldPath: string): Selector {
  if (typeof text !== 'string') throw invalidSelector('', [{ field: fieldPath, message: 'must be a string' }]);
  const parser = new Parser(lex(text));
  try {
    const reqs = parser.parse();
    return reqs.length === 0 ? EVERYTHING : new RequirementsSelector(reqs);
  } catch (err) {
    if (err instanceof ParseError) {
      throw invalidSelector(JSON.stringify(text), [{ field: fieldPath, message: `unable to parse requirement: ${err.message}` }]);
    }
    throw err;
  }
}

function fromLabelSelector(ls: LabelSelector, fieldPath: string): Selector {
  if (typeof ls !== 'object' || ls === null || Array.isArray(ls)) {
    throw invalidSelector('', [{ field: fieldPath || 'labelSelector', message: 'must be a label selector object' }]);
  }
  const causes: { field: string; message: string }[] = [];
  const reqs: LabelRequirement[] = [];
  const add = (fn: () => LabelRequirement): void => {
    try {
      reqs.push(fn());
    } catch (err) {
      if (!(err instanceof RequirementError)) throw err;
      causes.push(...err.causes);
    }
  };
  const matchLabels = ls.matchLabels ?? {};
  const labelsPath = join(fieldPath, 'matchLabels');
  if (typeof matchLabels !== 'object' || Array.isArray(matchLabels)) {
    causes.push({ field: labelsPath, message: 'must be a map of label keys to values' });
  } else {
    for (const [k, v] of Object.entries(matchLabels)) {
      const errs = [...validateLabelKey(k), ...validateLabelValue(v).map((m) => `value ${JSON.stringify(v)}: ${m}`)];
      if (errs.length > 0) causes.push({ field: labelsPath, message: `${JSON.stringify(k)}: ${errs.join('; ')}` });
      else reqs.push(new LabelRequirement(k, '=', [v]));
    }
  }
  const exprs = ls.matchExpressions ?? [];
  if (!Array.isArray(exprs)) causes.push({ field: join(fieldPath, 'matchExpressions'), message: 'must be a list' });
  else {
    exprs.forEach((e, i) => {
      const at = join(fieldPath, `matchExpressions[${i}]`);
      if (typeof e !== 'object' || e === null) {
        causes.push({ field: at, message: 'must be a label selector requirement' });
        return;
      }
      const op = e.operator as SelectorOperator;
      const values = e.values ?? [];
      if (!Array.isArray(values)) {
        causes.push({ field: join(at, 'values'), message: 'must be a list of strings' });
        return;
      }
      if (op !== 'In' && op !== 'NotIn' && op !== 'Exists' && op !== 'DoesNotExist') {
        // The object form knows only the four set operators.
        causes.push({
          field: join(at, 'operator'),
          message: `Unsupported value: ${JSON.stringify(op)}: supported values: "In", "NotIn", "Exists", "DoesNotExist"`,
        });
        return;
      }
      add(() => newRequirement(e.key, op, values, at));
    });
  }
  if (causes.length > 0) throw invalidSelector('', causes);
  return reqs.length === 0 ? EVERYTHING : new RequirementsSelector(reqs);
}

// ---- public API ----

/**
 * Parses a label selector: Kubernetes' string syntax (`app=web,tier in (a,b),!canary`; `""` selects
 * everything) or a `matchLabels`/`matchExpressions` object (`{}` selects everything). Throws
 * TugboatError `Invalid` naming the field: `fieldPath` (default `labelSelector`) for text, and
 * `matchExpressions[i].values` etc. (under `fieldPath`, when given) for objects.
 */
export function parseSelector(input: string | LabelSelector | Selector, fieldPath?: string): Selector {
  if (typeof input === 'string') return parseSelectorText(input, fieldPath ?? 'labelSelector');
  if (isSelector(input)) return input;
  return fromLabelSelector(input as LabelSelector, fieldPath ?? '');
}

/**
 * Converts an object's `spec.selector` as Kubernetes' LabelSelectorAsSelector does: null or
 * undefined selects nothing, `{}` selects everything. Use it for workload selectors.
 */
export function labelSelectorAsSelector(ls: LabelSelector | undefined | null, fieldPath?: string): Selector {
  if (ls === undefined || ls === null) return NOTHING;
  return fromLabelSelector(ls, fieldPath ?? '');
}

/** A selector requiring every label of the set (`a=b,c=d`); an empty set selects everything. Use it for Service selectors. */
export function selectorFromSet(labels: Record<string, string> | undefined | null, fieldPath = 'selector'): Selector {
  if (labels === undefined || labels === null) return EVERYTHING;
  const causes: { field: string; message: string }[] = [];
  const reqs: LabelRequirement[] = [];
  for (const [k, v] of Object.entries(labels)) {
    const errs = [...validateLabelKey(k), ...validateLabelValue(v).map((m) => `value ${JSON.stringify(v)}: ${m}`)];
    if (errs.length > 0) causes.push({ field: fieldPath, message: `${JSON.stringify(k)}: ${errs.join('; ')}` });
    else reqs.push(new LabelRequirement(k, '=', [v]));
  }
  if (causes.length > 0) throw invalidSelector('', causes);
  return reqs.length === 0 ? EVERYTHING : new RequirementsSelector(reqs);
}

/** The selector that matches every object (Kubernetes' labels.Everything()). */
export function everything(): Selector {
  return EVERYTHING;
}

/** The selector that matches no object (Kubernetes' labels.Nothing(), used for a null LabelSelector). */
export function nothing(): Selector {
  return NOTHING;
}

/** True when `x` is a parsed Selector (from this module or shaped like one). */
export function isSelector(x: unknown): x is Selector {
  if (x instanceof RequirementsSelector || x instanceof NothingSelector) return true;
  if (typeof x !== 'object' || x === null) return false;
  const s = x as Partial<Selector>;
  return Array.isArray(s.requirements) && typeof s.matches === 'function' && typeof s.isEmpty === 'function';
}

/**
 * The value a selector demands for `key` (`key=v`, `key==v` or `key in (v)`), or undefined.
 * Use it to narrow a list through an index before matching, as Kubernetes' RequiresExactMatch.
 */
export function requiresExactMatch(selector: Selector, key: string): string | undefined {
  const r = selector.requirements.find((q) => q.key === key);
  if (r === undefined) return undefined;
  const exact = r.operator === '=' || r.operator === '==' || r.operator === 'In';
  return exact && r.values.length === 1 ? r.values[0] : undefined;
}
