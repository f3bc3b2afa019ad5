/**
 * The JSONPath subset CRD printer columns use (`.spec.replicas`, `.status.conditions[0].type`,
 * `.items[*].name`, `.status.conditions[?(@.type=="Ready")].status`), evaluated as client-go's
 * jsonpath does for a column: the first result, or undefined when there is none.
 */

type Step = { field: string } | { index: number } | { all: true } | { filter: string[]; equals: string | number | boolean };

const STEP =
  /^(?:\.([A-Za-z0-9_$-]+)|\.?\[(\d+)\]|\.?\[\*\]|\.?\['([^']*)'\]|\.?\[\?\(@((?:\.[A-Za-z0-9_$-]+)+)\s*==\s*("[^"]*"|'[^']*'|-?\d+(?:\.\d+)?|true|false)\)\])/;

/** The steps of a path; undefined when it is not in the subset. */
function parse(path: string): Step[] | undefined {
  let rest = path
    .trim()
    .replace(/^\{(.*)\}$/, '$1')
    .replace(/^\$/, '');
  const steps: Step[] = [];
  while (rest) {
    const m = STEP.exec(rest);
    if (!m) return undefined;
    if (m[1] !== undefined) steps.push({ field: m[1] });
    else if (m[2] !== undefined) steps.push({ index: Number(m[2]) });
    else if (m[3] !== undefined) steps.push({ field: m[3] });
    else if (m[4] !== undefined) {
      const lit = m[5];
      const equals = /^["']/.test(lit) ? lit.slice(1, -1) : lit === 'true' ? true : lit === 'false' ? false : Number(lit);
      steps.push({ filter: m[4].slice(1).split('.'), equals });
    } else steps.push({ all: true });
    rest = rest.slice(m[0].length);
  }
  return steps;
}

function field(v: unknown, name: string): unknown {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>)[name] : undefined;
}

/** The first value a path finds in an object; undefined when none (or the path is outside the subset). */
export function evaluateJsonPath(obj: unknown, path: string): unknown {
  const steps = parse(path);
  if (!steps) return undefined;
  let values: unknown[] = [obj];
  for (const step of steps) {
    const next: unknown[] = [];
    for (const v of values) {
      if ('field' in step) {
        const f = field(v, step.field);
        if (f !== undefined) next.push(f);
      } else if (!Array.isArray(v)) continue;
      else if ('index' in step) {
        if (step.index < v.length) next.push(v[step.index]);
      } else if ('all' in step) next.push(...v);
      else next.push(...v.filter((item) => step.filter.reduce<unknown>((cur, f) => field(cur, f), item) === step.equals));
    }
    values = next;
  }
  return values[0];
}
