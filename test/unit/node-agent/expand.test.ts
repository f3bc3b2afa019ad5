import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { expandVars } from '../../../src/node-agent/expand.js';

const vars: Record<string, string> = { A: 'x', B: 'y$(A)' };
const look = (n: string): string | undefined => vars[n];

describe('$(VAR) expansion', () => {
  it('expands defined references and keeps others verbatim', () => {
    expect(expandVars('$(A)-$(B)', look)).toBe('x-y$(A)');
    expect(expandVars('$(C)', look)).toBe('$(C)');
    expect(expandVars('$$(A)', look)).toBe('$(A)');
    expect(expandVars('$$$(A)', look)).toBe('$x');
    expect(expandVars('$(A', look)).toBe('$(A');
    expect(expandVars('cost: $5', look)).toBe('cost: $5');
    expect(expandVars('end$', look)).toBe('end$');
  });

  it('leaves strings without $ unchanged and never fails', () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        const out = expandVars(s, look);
        if (!s.includes('$')) expect(out).toBe(s);
        expect(typeof out).toBe('string');
      }),
    );
  });

  it('is the identity when nothing is defined and there is no $$', () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        fc.pre(!s.includes('$$'));
        expect(expandVars(s, () => undefined)).toBe(s);
      }),
    );
  });
});
