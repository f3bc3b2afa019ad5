/**
 * Kubernetes' `$(VAR)` expansion in command, args and env values: `$(NAME)` becomes the
 * variable's value when it is defined and stays as written otherwise; `$$` is a literal `$`.
 */

/** Expands `$(VAR)` references in `input` from `lookup`; unknown references are kept verbatim. */
export function expandVars(input: string, lookup: (name: string) => string | undefined): string {
  if (!input.includes('$')) return input;
  let out = '';
  let i = 0;
  while (i < input.length) {
    const c = input[i];
    if (c !== '$' || i + 1 >= input.length) {
      out += c;
      i++;
      continue;
    }
    const n = input[i + 1];
    if (n === '$') {
      out += '$';
      i += 2;
    } else if (n === '(') {
      const close = input.indexOf(')', i + 2);
      if (close < 0) {
        out += input.slice(i);
        break;
      }
      const name = input.slice(i + 2, close);
      const value = name === '' ? undefined : lookup(name);
      out += value ?? `$(${name})`;
      i = close + 1;
    } else {
      out += '$' + n;
      i += 2;
    }
  }
  return out;
}
