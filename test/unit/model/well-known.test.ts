import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as wellKnown from '../../../src/model/well-known.js';
import * as tugboat from '../../../src/index.js';

const SRC = join(import.meta.dirname, '../../../src');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return path.endsWith('.ts') && !path.endsWith('.generated.ts') ? [path] : [];
  });
}

describe('well-known names', () => {
  it('are written out once, in model/well-known.ts, and used by name everywhere else', () => {
    // Values too generic to look for as text ('orphan', 'kubernetes') are left out.
    const values = Object.values(wellKnown).filter((v) => v.includes('/') || v.includes('-'));
    const offenders: string[] = [];
    for (const file of sources(SRC)) {
      const rel = relative(SRC, file);
      if (rel === join('model', 'well-known.ts')) continue;
      const code = readFileSync(file, 'utf8');
      for (const v of values) if (code.includes(`'${v}'`) || code.includes(`"${v}"`)) offenders.push(`${rel}: ${v}`);
    }
    expect(offenders).toEqual([]);
  });

  it('are exported from tugboat with Kubernetes values', () => {
    expect(tugboat.LAST_APPLIED).toBe('kubectl.kubernetes.io/last-applied-configuration');
    expect(tugboat.REVISION_ANNOTATION).toBe('deployment.kubernetes.io/revision');
    expect(tugboat.RESTARTED_AT_ANNOTATION).toBe('kubectl.kubernetes.io/restartedAt');
    expect(tugboat.POD_TEMPLATE_HASH_LABEL).toBe('pod-template-hash');
    expect(tugboat.LABEL_HOSTNAME).toBe('kubernetes.io/hostname');
  });
});
