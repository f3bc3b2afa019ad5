import { parseSelector, isSelector, type Selector } from '../model/selector.js';
import { parseFieldSelector, type FieldSelector } from '../model/field-selector.js';
import type { StoreListOptions } from '../store/types.js';
import type { ListOptions } from '../client/types.js';
import type { ResourceType } from '../model/resource-type.js';
import { checkSelectableFields } from '../model/selectable-fields.js';

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

/**
 * Turns a client's list options (strings or parsed selectors) into the store's parsed form.
 * With `type`, a field selector naming a field the kind does not support fails BadRequest.
 */
export function toStoreListOptions(options: ListOptions | undefined, type?: Pick<ResourceType, 'group' | 'kind'>): StoreListOptions {
  const fieldSelector = toFieldSelector(options?.fieldSelector);
  if (type) checkSelectableFields(type.group, type.kind, fieldSelector);
  return {
    labelSelector: toLabelSelector(options?.labelSelector),
    fieldSelector,
  };
}
