/**
 * The label selector string syntax (`app=web,tier in (a,b),!canary`): a lexer and a parser that
 * follow Kubernetes' labels.Parse, producing validated requirements.
 */
import type { SelectorOperator } from './selector.js';
import { LabelRequirement, RequirementError, newRequirement } from './label-requirement.js';
import { qualifiedNameErrors } from './names.js';

type Tok = 'id' | 'in' | 'notin' | '(' | ')' | ',' | '!' | '=' | '==' | '!=' | '>' | '<' | 'end';
interface Item {
  readonly tok: Tok;
  readonly lit: string;
}

const isSpecial = (c: string): boolean => c === '=' || c === '!' || c === '(' || c === ')' || c === ',' || c === '>' || c === '<';
const isSpace = (c: string): boolean => c === ' ' || c === '\t' || c === '\r' || c === '\n';

function lex(s: string): Item[] {
  const items: Item[] = [];
  const n = s.length;
  let i = 0;
  for (;;) {
    while (i < n && isSpace(s[i])) i++;
    // As in Kubernetes' lexer, a NUL character ends the input.
    if (i >= n || s[i] === '\0') {
      items.push({ tok: 'end', lit: '' });
      return items;
    }
    const c = s[i];
    if (isSpecial(c)) {
      const two = s.slice(i, i + 2);
      if (two === '!=' || two === '==') {
        items.push({ tok: two, lit: two });
        i += 2;
      } else {
        items.push({ tok: c as Tok, lit: c });
        i++;
      }
      continue;
    }
    let j = i;
    while (j < n && s[j] !== '\0' && !isSpecial(s[j]) && !isSpace(s[j])) j++;
    const lit = s.slice(i, j);
    items.push({ tok: lit === 'in' ? 'in' : lit === 'notin' ? 'notin' : 'id', lit });
    i = j;
  }
}

/** A syntax or requirement error in selector text; its message is Kubernetes' parse message. */
export class SelectorParseError extends Error {}

class Parser {
  private pos = 0;
  constructor(private readonly items: Item[]) {}

  /** The next token; in a values context the keywords `in`/`notin` are plain identifiers. */
  private peek(values = true): Item {
    const it = this.items[this.pos];
    return values && (it.tok === 'in' || it.tok === 'notin') ? { tok: 'id', lit: it.lit } : it;
  }

  private next(values = true): Item {
    const it = this.peek(values);
    if (this.pos < this.items.length - 1) this.pos++;
    return it;
  }

  parse(): LabelRequirement[] {
    const reqs: LabelRequirement[] = [];
    for (;;) {
      const { tok, lit } = this.peek();
      if (tok === 'end') return reqs;
      if (tok !== 'id' && tok !== '!') throw new SelectorParseError(`found '${lit}', expected: !, identifier, or 'end of string'`);
      reqs.push(this.requirement());
      const after = this.next();
      if (after.tok === 'end') return reqs;
      if (after.tok !== ',') throw new SelectorParseError(`found '${after.lit}', expected: ',' or 'end of string'`);
      const t2 = this.peek();
      if (t2.tok !== 'id' && t2.tok !== '!') throw new SelectorParseError(`found '${t2.lit}', expected: identifier after ','`);
    }
  }

  private requirement(): LabelRequirement {
    let op: SelectorOperator | undefined;
    let t = this.next();
    if (t.tok === '!') {
      op = 'DoesNotExist';
      t = this.next();
    }
    if (t.tok !== 'id') throw new SelectorParseError(`found '${t.lit}', expected: identifier`);
    const key = t.lit;
    const keyErrs = qualifiedNameErrors(key);
    if (keyErrs.length > 0) throw new SelectorParseError(`invalid label key "${key}": ${keyErrs.join('; ')}`);
    const la = this.peek().tok;
    if (op === 'DoesNotExist' || la === 'end' || la === ',') return this.build(key, op ?? 'Exists', []);

    const o = this.next(false);
    const ops: Partial<Record<Tok, SelectorOperator>> = {
      in: 'In',
      notin: 'NotIn',
      '=': '=',
      '==': '==',
      '!=': '!=',
      '>': 'Gt',
      '<': 'Lt',
    };
    op = ops[o.tok];
    if (op === undefined) throw new SelectorParseError(`found '${o.lit}', expected: in, notin, =, ==, !=, gt, lt`);
    return this.build(key, op, op === 'In' || op === 'NotIn' ? this.valueSet() : this.exactValue());
  }

  private build(key: string, op: SelectorOperator, values: string[]): LabelRequirement {
    try {
      return newRequirement(key, op, values, '');
    } catch (err) {
      if (err instanceof RequirementError) throw new SelectorParseError(err.causes.map((c) => c.message).join('; '));
      throw err;
    }
  }

  private exactValue(): string[] {
    const la = this.peek();
    if (la.tok === 'end' || la.tok === ',') return [''];
    const t = this.next();
    if (t.tok === 'id') return [t.lit];
    throw new SelectorParseError(`found '${t.lit}', expected: identifier`);
  }

  private valueSet(): string[] {
    const open = this.next();
    if (open.tok !== '(') throw new SelectorParseError(`found '${open.lit}' expected: '('`);
    const la = this.peek();
    if (la.tok === ')') {
      this.next();
      return [''];
    }
    if (la.tok !== 'id' && la.tok !== ',') throw new SelectorParseError(`found '${la.lit}', expected: ',', ')' or identifier`);
    const values = this.identifiers();
    const close = this.next();
    if (close.tok !== ')') throw new SelectorParseError(`found '${close.lit}', expected: ')'`);
    return values;
  }

  /** `x,y`, where an empty item (`(,x)`, `(x,)`, `(x,,y)`) is the empty value, as in Kubernetes. */
  private identifiers(): string[] {
    const out = new Set<string>();
    for (;;) {
      const t = this.next();
      if (t.tok === 'id') {
        out.add(t.lit);
        const la = this.peek();
        if (la.tok === ',') continue;
        if (la.tok === ')') return [...out];
        throw new SelectorParseError(`found '${la.lit}', expected: ',' or ')'`);
      }
      if (t.tok === ',') {
        if (out.size === 0) out.add('');
        const la = this.peek();
        if (la.tok === ')') {
          out.add('');
          return [...out];
        }
        if (la.tok === ',') {
          this.next();
          out.add('');
        }
        continue;
      }
      throw new SelectorParseError(`found '${t.lit}', expected: ',', or identifier`);
    }
  }
}

/**
 * Parses selector text into its requirements (none for `""`), as Kubernetes' labels.Parse;
 * throws SelectorParseError with Kubernetes' message on bad syntax or a bad requirement.
 */
export function parseRequirements(text: string): LabelRequirement[] {
  return new Parser(lex(text)).parse();
}
