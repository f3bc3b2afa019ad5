/** Validation of a workload's selector against its pod template's labels. */
import type { LabelSelector, StatusCause } from '../types.js';
import { parseSelector } from '../selector.js';
import { validateLabels } from '../names.js';
import { forbidden, invalid, required } from './field-errors.js';
import { isObject } from './common.js';

/**
 * Checks `spec.selector` is present (when `mustExist`), non-empty, well-formed, and selects
 * the template's labels (`spec.template.metadata.labels`).
 */
export function validateSelectorMatchesTemplate(
  selector: LabelSelector | undefined,
  templateLabels: Record<string, string> | undefined,
  paths: { selector: string; templateLabels: string },
  mustExist = true,
): StatusCause[] {
  if (selector === undefined || selector === null) return mustExist ? [required(paths.selector)] : [];
  if (!isObject(selector)) return [invalid(paths.selector, selector, 'must be a label selector')];
  const causes = validateLabels(selector.matchLabels, `${paths.selector}.matchLabels`);
  (selector.matchExpressions ?? []).forEach((e, i) => {
    const at = `${paths.selector}.matchExpressions[${i}]`;
    if (!['In', 'NotIn', 'Exists', 'DoesNotExist'].includes(e.operator)) {
      causes.push(invalid(`${at}.operator`, e.operator, 'not a valid selector operator'));
    } else if ((e.operator === 'In' || e.operator === 'NotIn') && !e.values?.length) {
      causes.push(required(`${at}.values`, "must be specified when `operator` is 'In' or 'NotIn'"));
    } else if ((e.operator === 'Exists' || e.operator === 'DoesNotExist') && e.values?.length) {
      causes.push(forbidden(`${at}.values`, "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
    }
  });
  if (causes.length > 0) return causes;
  let parsed;
  try {
    parsed = parseSelector(selector);
  } catch (err) {
    return [invalid(paths.selector, selector, err instanceof Error ? err.message : String(err))];
  }
  if (parsed.isEmpty()) return [invalid(paths.selector, selector, 'empty selector is invalid for deployment')];
  if (!parsed.matches(templateLabels ?? {})) {
    return [invalid(paths.templateLabels, templateLabels ?? {}, '`selector` does not match template `labels`')];
  }
  return [];
}
