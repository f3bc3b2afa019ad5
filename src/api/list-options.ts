import { parseSelector, isSelector, type Selector } from '../model/selector.js';
import { parseFieldSelector, type FieldSelector } from '../model/field-selector.js';
import type { StoreListOptions } from '../store/types.js';
import type { ListOptions } from '../client/types.js';

function toLabelSelector(input: ListOptions['labelSelector']): Selector | undefined {
  if (input === undefined || input === '') return undefined;
  if (isSelector(input)) return input;
  return parseSelector(input);
}

function toFieldSelector(input: ListOptions['fieldSelector']): FieldSelector | undefined {
  if (input === undefined || input === '') return undefined;
  if (typeof input === 'string') return parseFieldSelector(input);
  return input;
}

/** Turns a client's list options (strings or parsed selectors) into the store's parsed form. */
export function toStoreListOptions(options: ListOptions | undefined): StoreListOptions {
  return {
    labelSelector: toLabelSelector(options?.labelSelector),
    fieldSelector: toFieldSelector(options?.fieldSelector),
  };
}
