/**
 * LeaseLock: a leader election record kept in a coordination.k8s.io/v1 Lease, as client-go's
 * resourcelock.LeaseLock. Writes carry the resourceVersion last read, so a concurrent writer makes
 * them fail Conflict (optimistic concurrency).
 */
import { microTime } from '../../clock/time-format.js';
import type { Lease } from '../../model/types.js';
import { kinds } from '../kinds.js';
import type { ApiContext, ResourceClient } from '../types.js';
import type { LeaderElectionRecord } from './types.js';

/** The record a Lease holds (client-go's LeaseSpecToLeaderElectionRecord); absent times read as 0. */
export function recordOfLease(lease: Lease): LeaderElectionRecord {
  const spec = lease.spec ?? {};
  const ms = (t: string | undefined) => (t ? Date.parse(t) || 0 : 0);
  return {
    holderIdentity: spec.holderIdentity ?? '',
    leaseDurationSeconds: spec.leaseDurationSeconds ?? 0,
    acquireTime: ms(spec.acquireTime),
    renewTime: ms(spec.renewTime),
    leaseTransitions: spec.leaseTransitions ?? 0,
  };
}

/** The Lease spec of a record (client-go's LeaderElectionRecordToLeaseSpec): times as MicroTime. */
export function leaseSpecOf(record: LeaderElectionRecord): NonNullable<Lease['spec']> {
  return {
    holderIdentity: record.holderIdentity,
    leaseDurationSeconds: record.leaseDurationSeconds,
    acquireTime: microTime(record.acquireTime),
    renewTime: microTime(record.renewTime),
    leaseTransitions: record.leaseTransitions,
  };
}

/** Reads and writes one Lease through an ApiContext (in-process or over HTTP alike). */
export class LeaseLock {
  private readonly leases: ResourceClient<Lease>;
  private lease: Lease | undefined;

  /**
   * @param context the API the lease is read and written through
   * @param namespace the Lease's namespace
   * @param name the Lease's name
   */
  constructor(
    context: ApiContext,
    readonly namespace: string,
    readonly name: string,
  ) {
    this.leases = context.client(kinds.Lease, namespace);
  }

  /** The record now stored, or undefined when the Lease does not exist (other failures throw). */
  async get(): Promise<LeaderElectionRecord | undefined> {
    this.lease = await this.leases.find(this.name);
    return this.lease ? recordOfLease(this.lease) : undefined;
  }

  /** Creates the Lease holding `record`; fails AlreadyExists when another candidate made it first. */
  async create(record: LeaderElectionRecord): Promise<void> {
    this.lease = await this.leases.create({ metadata: { name: this.name, namespace: this.namespace }, spec: leaseSpecOf(record) });
  }

  /** Replaces the record of the Lease last read; fails Conflict when it changed since. */
  async update(record: LeaderElectionRecord): Promise<void> {
    if (!this.lease) throw new Error(`lease ${this.namespace}/${this.name} not read yet`);
    this.lease = await this.leases.update({ ...this.lease, spec: leaseSpecOf(record) });
  }
}
