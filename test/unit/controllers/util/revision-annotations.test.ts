import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { maxRevision, revisionAnnotations, revisionOf } from '../../../../src/controllers/util/revision-annotations.js';
import type { ReplicaSet } from '../../../../src/model/types.js';

const rs = (revision?: string, history?: string): ReplicaSet => ({
  apiVersion: 'apps/v1',
  kind: 'ReplicaSet',
  metadata: {
    name: 'web',
    annotations: {
      other: 'kept',
      ...(revision !== undefined ? { 'deployment.kubernetes.io/revision': revision } : {}),
      ...(history !== undefined ? { 'deployment.kubernetes.io/revision-history': history } : {}),
    },
  },
});

describe('revision annotations', () => {
  it('reads revisions, 0 when absent or unparsable', () => {
    expect(revisionOf(rs('7'))).toBe(7);
    expect(revisionOf(rs())).toBe(0);
    expect(revisionOf(rs('x'))).toBe(0);
    expect(revisionOf(undefined)).toBe(0);
    expect(maxRevision([rs('2'), rs('9'), rs()])).toBe(9);
    expect(maxRevision([])).toBe(0);
  });

  it('moves a ReplicaSet to a later revision only, keeping its earlier ones in revision-history', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 20 }), fc.integer({ min: 1, max: 20 }), (current, next) => {
        const before = rs(current ? String(current) : undefined, current > 1 ? '1' : undefined);
        const out = revisionAnnotations(before, next);
        if (current >= next) {
          expect(out).toBeUndefined();
          return;
        }
        expect(out!['deployment.kubernetes.io/revision']).toBe(String(next));
        expect(out!.other).toBe('kept');
        if (current === 0) expect(out!['deployment.kubernetes.io/revision-history']).toBeUndefined();
        else expect(out!['deployment.kubernetes.io/revision-history']).toBe(current > 1 ? `1,${current}` : String(current));
      }),
    );
  });
});
