/**
 * CRD schema patterns are Go regular expressions (RE2 syntax: `(?i)` flags, no look-around, no
 * back-references), as kube-apiserver compiles them. This is the regular-expression engine ajv
 * runs them with: re2js, a JavaScript port of RE2, so a pattern means what it means in
 * Kubernetes and matches in linear time.
 */
import { RE2JS } from 're2js';

/** What ajv needs of a compiled pattern. */
interface RegExpLike {
  test(input: string): boolean;
}

function compile(pattern: string): RegExpLike {
  const re = RE2JS.compile(pattern);
  return {
    test: (input: string) => re.matcher(input).find(),
    toString: () => `/${pattern}/re2`,
  } as RegExpLike;
}

/**
 * Compiles a pattern as Go's regexp.MustCompile does (matched as an unanchored search); throws
 * with RE2's message when the pattern is not valid RE2. For ajv's `code.regExp` option (`code`
 * names it in ajv's standalone code, which tugboat does not generate).
 */
export const re2Pattern: ((pattern: string) => RegExpLike) & { code: string } = Object.assign(compile, { code: 're2Pattern' });
