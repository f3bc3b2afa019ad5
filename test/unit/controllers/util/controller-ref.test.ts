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
