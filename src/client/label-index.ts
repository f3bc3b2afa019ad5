/**
 * An inverted index of labels (`key=value` -> object keys) for the informer cache, so a list by
 * selector reads the objects carrying one of the selector's equality labels instead of every
 * cached object. Callers still match the whole selector on the candidates.
 */
import type { LabelSelector, Labels } from '../model/types.js';
import { isSelector, type Selector } from '../model/selector.js';

function pair(key: string, value: string): string {
  return `${key}=${value}`;
}

/** The `key=value` pairs every object a selector matches must carry. */
export function requiredLabelPairs(selector: LabelSelector | Selector): string[] {
  const out: string[] = [];
  if (isSelector(selector)) {
    for (const r of selector.requirements) {
      if (r.operator === '=' || r.operator === '==' || (r.operator === 'In' && r.values.length === 1)) out.push(pair(r.key, r.values[0]));
    }
    return out;
  }
  const s = selector as LabelSelector;
  for (const [k, v] of Object.entries(s.matchLabels ?? {})) out.push(pair(k, v));
  for (const e of s.matchExpressions ?? []) {
    if (e.operator === 'In' && e.values?.length === 1) out.push(pair(e.key, e.values[0]));
  }
  return out;
}

/** Maps each `key=value` label pair to the keys of the objects carrying it. */
export class LabelIndex {
  private readonly byPair = new Map<string, Set<string>>();

  /** Indexes an object's labels under its key. */
  add(objectKey: string, labels: Labels | undefined | null): void {
    for (const [k, v] of Object.entries(labels ?? {})) {
      const p = pair(k, v);
      let keys = this.byPair.get(p);
      if (!keys) this.byPair.set(p, (keys = new Set()));
      keys.add(objectKey);
    }
  }

  /** Removes an object's labels (as indexed) from the index. */
  remove(objectKey: string, labels: Labels | undefined | null): void {
    for (const [k, v] of Object.entries(labels ?? {})) {
      const p = pair(k, v);
      const keys = this.byPair.get(p);
      keys?.delete(objectKey);
      if (keys?.size === 0) this.byPair.delete(p);
    }
  }

  /**
   * Keys of the objects that may match `selector`: those carrying its rarest equality label; or
   * undefined when the selector has no equality label (then every object is a candidate).
   */
  candidates(selector: LabelSelector | Selector): ReadonlySet<string> | undefined {
    let best: ReadonlySet<string> | undefined;
    for (const p of requiredLabelPairs(selector)) {
      const keys = this.byPair.get(p);
      if (!keys) return new Set();
      if (!best || keys.size < best.size) best = keys;
    }
    return best;
  }
}
