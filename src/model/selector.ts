/**
 * Label selectors with Kubernetes' semantics. CONTRACT ONLY: implemented in a later commit.
 */
import type { LabelSelector, Labels } from './types.js';

/** A selector operator, as in Kubernetes' labels package. */
export type SelectorOperator = 'In' | 'NotIn' | 'Exists' | 'DoesNotExist' | '=' | '==' | '!=';

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

/** Parses Kubernetes' selector string syntax, or a matchLabels/matchExpressions object. */
export declare function parseSelector(input: string | LabelSelector): Selector;
