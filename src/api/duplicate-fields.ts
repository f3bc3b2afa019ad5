/**
 * Fields a YAML or JSON text gives twice in one mapping (`replicas: 2` then `replicas: 3`): the
 * last one wins, and the write reports them per its fieldValidation, as Kubernetes' strict
 * decoding does.
 */
import { isMap, isScalar, isSeq } from 'yaml';

/** The paths (`spec.replicas`, `spec.containers[0].name`) of keys repeated within one mapping of a parsed YAML node. */
export function duplicateFieldPaths(node: unknown, path = ''): string[] {
  const out: string[] = [];
  if (isMap(node)) {
    const seen = new Set<string>();
    for (const pair of node.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
      const at = path ? `${path}.${key}` : key;
      if (seen.has(key)) out.push(at);
      seen.add(key);
      out.push(...duplicateFieldPaths(pair.value, at));
    }
  } else if (isSeq(node)) {
    node.items.forEach((item, i) => out.push(...duplicateFieldPaths(item, `${path}[${i}]`)));
  }
  return [...new Set(out)];
}

/** The duplicates under `prefix` (an item of a List: `items[2]`), relative to it. */
export function duplicatesUnder(paths: readonly string[], prefix: string): string[] {
  return paths.filter((p) => p.startsWith(`${prefix}.`)).map((p) => p.slice(prefix.length + 1));
}
