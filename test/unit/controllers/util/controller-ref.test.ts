import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { controllerOf, controllerRef } from '../../../../src/controllers/util/controller-ref.js';
import type { ReplicaSet } from '../../../../src/model/types.js';

describe('controllerRef', () => {
  it('makes the owner the blocking controller, and controllerOf reads it back', () => {
    const rs: ReplicaSet = { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'web', namespace: 'a', uid: 'u1' } };
    const ref = controllerRef(rs);
    expect(ref).toEqual({ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web', uid: 'u1', controller: true, blockOwnerDeletion: true });
    const other = { apiVersion: 'v1', kind: 'ConfigMap', name: 'c', uid: 'u2' };
    expect(controllerOf({ metadata: { ownerReferences: [other, ref] } })).toBe(ref);
    expect(controllerOf({ metadata: { ownerReferences: [other] } })).toBeUndefined();
    expect(controllerOf({ metadata: {} })).toBeUndefined();
  });
});

describe('one controllerRef', () => {
  it('is the only place in src that writes a controller ownerReference', () => {
    const src = join(import.meta.dirname, '../../../../src');
    const files = (dir: string): string[] =>
      readdirSync(dir).flatMap((n) =>
        statSync(join(dir, n)).isDirectory() ? files(join(dir, n)) : n.endsWith('.ts') ? [join(dir, n)] : [],
      );
    const offenders = files(src)
      .filter((f) => relative(src, f) !== join('controllers', 'util', 'controller-ref.ts'))
      .filter((f) => /controller: true/.test(readFileSync(f, 'utf8')))
      .map((f) => relative(src, f));
    expect(offenders).toEqual([]);
  });
});
