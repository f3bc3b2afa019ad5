/**
 * Label selectors with Kubernetes' semantics (k8s.io/apimachinery/pkg/labels): the Selector
 * contract, selectors built from the string syntax (`app=web,tier in (a,b),!canary`, parsed in
 * selector-parser.ts) or from `matchLabels`/`matchExpressions` objects, and fast matching over
 * many objects (requirements compiled in label-requirement.ts).
 */
import type { LabelSelector, Labels } from './types.js';
import { TugboatError, fieldError } from './errors.js';
import { labelValueErrors, qualifiedNameErrors } from './names.js';
import {
  LabelRequirement,
  RequirementError,
  compareStrings,
  equalityRequirements,
  joinPath,
  newRequirement,
  unsupportedOperator,
  type RequirementCause,
} from './label-requirement.js';
import { SelectorParseError, parseRequirements } from './selector-parser.js';

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

// ---- selectors ----

const EMPTY_LABELS: Labels = Object.freeze({});

/** The selector for a list of requirements: all must match. */
class RequirementsSelector implements Selector {
  readonly requirements: readonly LabelRequirement[];
  readonly matches: (labels: Labels | undefined | null) => boolean;
  #text: string | undefined;

  constructor(requirements: LabelRequirement[]) {
    // Stable sort by key, as Kubernetes sorts requirements (ByKey) after parsing.
    this.requirements = Object.freeze(requirements.slice().sort((a, b) => compareStrings(a.key, b.key)));
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

function selectorOf(reqs: LabelRequirement[]): Selector {
  return reqs.length === 0 ? EVERYTHING : new RequirementsSelector(reqs);
}

function invalidSelector(what: string, causes: RequirementCause[]): TugboatError {
  const list = causes.map((c) => `${c.field}: ${c.message}`).join(', ');
  return new TugboatError('Invalid', `invalid label selector${what ? ` ${what}` : ''}: ${list}`, {
    causes: causes.map((c) => fieldError(c.field, c.message)),
  });
}

function parseSelectorText(text: string, fieldPath: string): Selector {
  if (typeof text !== 'string') throw invalidSelector('', [{ field: fieldPath, message: 'must be a string' }]);
  try {
    return selectorOf(parseRequirements(text));
  } catch (err) {
    if (err instanceof SelectorParseError) {
      throw invalidSelector(JSON.stringify(text), [{ field: fieldPath, message: `unable to parse requirement: ${err.message}` }]);
    }
    throw err;
  }
}

function fromLabelSelector(ls: LabelSelector, fieldPath: string): Selector {
  if (typeof ls !== 'object' || ls === null || Array.isArray(ls)) {
    throw invalidSelector('', [{ field: fieldPath || 'labelSelector', message: 'must be a label selector object' }]);
  }
  const causes: RequirementCause[] = [];
  const reqs: LabelRequirement[] = [];
  const matchLabels = ls.matchLabels ?? {};
  const labelsPath = joinPath(fieldPath, 'matchLabels');
  if (typeof matchLabels !== 'object' || Array.isArray(matchLabels)) {
    causes.push({ field: labelsPath, message: 'must be a map of label keys to values' });
  } else {
    reqs.push(...equalityRequirements(matchLabels, labelsPath, causes));
  }
  const exprs = ls.matchExpressions ?? [];
  if (!Array.isArray(exprs)) causes.push({ field: joinPath(fieldPath, 'matchExpressions'), message: 'must be a list' });
  else {
    exprs.forEach((e, i) => {
      const at = joinPath(fieldPath, `matchExpressions[${i}]`);
      if (typeof e !== 'object' || e === null) {
        causes.push({ field: at, message: 'must be a label selector requirement' });
        return;
      }
      const op = e.operator as SelectorOperator;
      const values = e.values ?? [];
      if (!Array.isArray(values)) {
        causes.push({ field: joinPath(at, 'values'), message: 'must be a list of strings' });
        return;
      }
      if (op !== 'In' && op !== 'NotIn' && op !== 'Exists' && op !== 'DoesNotExist') {
        // The object form knows only the four set operators.
        causes.push({ field: joinPath(at, 'operator'), message: unsupportedOperator(op) });
        return;
      }
      try {
        reqs.push(newRequirement(e.key, op, values, at));
      } catch (err) {
        if (!(err instanceof RequirementError)) throw err;
        causes.push(...err.causes);
      }
    });
  }
  if (causes.length > 0) throw invalidSelector('', causes);
  return selectorOf(reqs);
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
  const causes: RequirementCause[] = [];
  const reqs = equalityRequirements(labels, fieldPath, causes);
  if (causes.length > 0) throw invalidSelector('', causes);
  return selectorOf(reqs);
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
