/**
 * YAML as kubectl reads it: sigs.k8s.io/yaml converts YAML to JSON with go-yaml v2, a YAML 1.1
 * parser. So `0755` is the integer 493, `yes`/`no`/`on`/`off`/`y`/`n` are booleans (keys too:
 * `on:` is the key "true"), `<<` merges, and `\'` inside a double-quoted string is a quote. Unlike
 * the YAML 1.1 specification, go-yaml v2 leaves sexagesimal numbers (`22:22`) and timestamps
 * (`2020-01-01`) as strings when decoding into untyped values, as kubectl does, and a key
 * repeated in one mapping keeps its last value. The `yaml` package does the parsing with its
 * YAML 1.1 schema, less those tags.
 */
import { CST, type Composer, type DocumentOptions, type ParseOptions, type ScalarTag, type SchemaOptions, type Tags } from 'yaml';

/** Go's `0o` octal (strconv.ParseInt with base 0, which go-yaml v2 uses for plain integers): `0o755` is 493. */
const goOctal: ScalarTag = {
  identify: (value) => typeof value === 'number' && Number.isInteger(value),
  default: true,
  tag: 'tag:yaml.org,2002:int',
  format: 'OCT',
  test: /^[-+]?0o[0-7][0-7_]*$/,
  resolve: (str) => {
    const n = Number.parseInt(str.replace(/_/g, '').replace('0o', ''), 8);
    return str.startsWith('-') ? -Math.abs(n) : Math.abs(n);
  },
};

/**
 * The `yaml` package's YAML 1.1 schema as go-yaml v2 resolves untyped values: no sexagesimal
 * numbers or timestamps (strings there), and Go's `0o` octal besides YAML 1.1's `0755`.
 */
function goYamlV2Tags(tags: Tags): Tags {
  const kept = tags.filter((t) => {
    const tag = typeof t === 'string' ? t : t.tag;
    const format = typeof t === 'string' ? undefined : (t as { format?: string }).format;
    return tag !== 'tag:yaml.org,2002:timestamp' && format !== 'TIME';
  });
  return [goOctal, ...kept];
}

/** Composer options that read YAML as kubectl does (see the file comment). */
export const KUBECTL_YAML_OPTIONS: DocumentOptions & SchemaOptions & ParseOptions = {
  version: '1.1',
  uniqueKeys: false,
  merge: true,
  customTags: goYamlV2Tags,
};

/** An escape sequence's first two characters in a double-quoted scalar's source, read left to right. */
const ESCAPE = /\\([\s\S])/g;

/**
 * Rewrites the CST of a document so go-yaml's extra double-quoted escape, `\'` (a single quote),
 * reads as it does there; the `yaml` package knows only YAML 1.2's escapes.
 */
export function acceptGoYamlEscapes(token: CST.Token): void {
  if (token.type !== 'document') return;
  const fix = (t: CST.Token | null | undefined): void => {
    if (t?.type === 'double-quoted-scalar' && t.source.includes("\\'")) {
      t.source = t.source.replace(ESCAPE, (escape: string, char: string) => (char === "'" ? "'" : escape));
    }
  };
  fix(token.value);
  if (token.value) {
    CST.visit(token, (item) => {
      fix(item.key);
      fix(item.value);
    });
  }
}

/** The documents of a text's CST, with go-yaml's escapes accepted, for a {@link Composer}. */
export function* kubectlTokens(tokens: Iterable<CST.Token>): Generator<CST.Token> {
  for (const token of tokens) {
    acceptGoYamlEscapes(token);
    yield token;
  }
}
