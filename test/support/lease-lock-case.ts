/**
 * One LeaseLock case shared by the in-process and the HTTP leader-election tests: two locks on one
 * Lease read it, the first writes, and the second's write (carrying the resourceVersion it read)
 * fails Conflict, as client-go's LeaseLock relies on.
 */
import { expect } from 'vitest';
import type { ApiContext } from '../../src/client/types.js';
import { LeaseLock } from '../../src/client/leader-election/lease-lock.js';
import { TugboatError } from '../../src/model/errors.js';

/** The record both locks start from. */
export const LEASE_RECORD = { holderIdentity: 'x', leaseDurationSeconds: 15, acquireTime: 0, renewTime: 0, leaseTransitions: 0 };

/** Creates Lease `kube-system/NAME` through `a`, and shows a stale write through `b` is a Conflict. Returns the second lock. */
export async function expectStaleLeaseWriteConflicts(a: ApiContext, b: ApiContext, name: string): Promise<LeaseLock> {
  const one = new LeaseLock(a, 'kube-system', name);
  const two = new LeaseLock(b, 'kube-system', name);
  await one.create(LEASE_RECORD);
  await one.get();
  await two.get();
  await one.update({ ...LEASE_RECORD, holderIdentity: 'one' });
  await expect(two.update({ ...LEASE_RECORD, holderIdentity: 'two' })).rejects.toSatisfy((e) => TugboatError.is(e, 'Conflict'));
  return two;
}
