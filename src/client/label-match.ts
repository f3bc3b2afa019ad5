/**
 * Matching labels against a LabelSelector object (matchLabels + matchExpressions), as the
 * caches and controllers need it.
 */
import type { LabelSelector, Labels } from '../model/types.js';
import { isSelector, type Selector } from '../model/selector.js';

/**
 * True when `labels` satisfy `selector`. An absent selector matches nothing (as for
 * ReplicaSets' claims); an empty `{}` selector matches everything.
 */
export function labelsMatch(selector: LabelSelector | Selector | undefined | null, labels: Labels | undefined | null): boolean {
  if (!selector) return false;
  if (isSelector(selector)) return selector.matches(labels);
  const l = labels ?? {};
  for (const [k, v] of Object.entries(selector.matchLabels ?? {})) {
    if (l[k] !== v) return false;
  }
  for (const e of selector.matchExpressions ?? []) {
    const has = Object.prototype.hasOwnProperty.call(l, e.key);
    const values = e.values ?? [];
    switch (e.operator) {
      case 'In':
        if (!has || !values.includes(l[e.key])) return false;
        break;
      case 'NotIn':
        if (has && values.includes(l[e.key])) return false;
        break;
      case 'Exists':
        if (!has) return false;
        break;
      case 'DoesNotExist':
        if (has) return false;
        break;
      default:
        return false;
    }
  }
  return true;
}
