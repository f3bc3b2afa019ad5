/**
 * Field selectors (`metadata.name=web,status.phase!=Running`). CONTRACT ONLY: implemented in a later commit.
 */
import type { KubeObject } from './types.js';

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
  isEmpty(): boolean;
  toString(): string;
}

/** Parses a field selector string; throws TugboatError (Invalid) on bad syntax. */
export declare function parseFieldSelector(text: string): FieldSelector;
