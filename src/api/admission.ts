import type { KubeObject, StatusCause } from '../model/types.js';
import type { ResourceType } from '../model/resource-type.js';
import { TugboatError } from '../model/errors.js';

/** What an admission plugin sees of a write. */
export interface AdmissionRequest {
  operation: 'CREATE' | 'UPDATE' | 'DELETE';
  type: ResourceType;
  /**
   * The object as it would be stored (a draft for `mutate`, frozen for `validate`). On a status
   * write only `status` and metadata's own fields may be set: the rest (spec, and the values of
   * metadata's fields such as labels) is the stored object's, frozen, which a status write keeps.
   */
  object: KubeObject;
  /** The stored object, on UPDATE and DELETE. */
  oldObject?: KubeObject;
  /** 'status' for status writes. */
  subresource?: 'status';
  dryRun: boolean;
}

/**
 * A validation verdict: `true`/`undefined` admits; a string or causes reject the write
 * (Forbidden with the message, or Invalid naming the fields).
 */
export type AdmissionVerdict = void | boolean | string | { causes: StatusCause[] };

/**
 * An admission plugin, as Kubernetes' mutating and validating admission: `mutate` may change
 * the draft in place; `validate` may reject. Both may be async.
 */
export interface AdmissionPlugin {
  /** Shown in rejection messages. */
  name?: string;
  /** Changes the draft in place before validation (mutating admission). */
  mutate?(request: AdmissionRequest): void | Promise<void>;
  /** Admits or rejects the write (validating admission). */
  validate?(request: AdmissionRequest): AdmissionVerdict | Promise<AdmissionVerdict>;
}

/**
 * The admission chain every write passes after defaulting and validation and before the store:
 * all mutating plugins in order, then all validating ones. Add plugins with `use`.
 */
export class AdmissionChain {
  private readonly plugins: AdmissionPlugin[] = [];

  /** Adds a plugin at the end of the chain; returns a function that removes it. */
  use(plugin: AdmissionPlugin): () => void {
    this.plugins.push(plugin);
    return () => {
      const i = this.plugins.indexOf(plugin);
      if (i >= 0) this.plugins.splice(i, 1);
    };
  }

  /** True when no plugin is installed (the fast path). */
  get empty(): boolean {
    return this.plugins.length === 0;
  }

  /**
   * Runs the mutating plugins on a draft. On a status write, a plugin that changes in place what
   * the write keeps of the stored object (frozen) fails the write with an InternalError naming
   * the plugin, as a failing webhook does in Kubernetes; the store is left as it was.
   */
  async mutate(request: AdmissionRequest): Promise<void> {
    for (const p of this.plugins) {
      if (!p.mutate) continue;
      try {
        await p.mutate(request);
      } catch (err) {
        if (request.subresource !== 'status' || !(err instanceof TypeError)) throw err;
        const who = p.name ? `admission plugin "${p.name}"` : 'an admission plugin';
        throw new TugboatError(
          'InternalError',
          `${who} changed in place what a status write keeps from the stored object (only status and metadata's own fields may be set): ${err.message}`,
        );
      }
    }
  }

  /** Runs the validating plugins; throws Forbidden or Invalid on the first rejection. */
  async validate(request: AdmissionRequest): Promise<void> {
    for (const p of this.plugins) {
      if (!p.validate) continue;
      const verdict = await p.validate(request);
      if (verdict === undefined || verdict === true) continue;
      const who = p.name ? `admission webhook "${p.name}"` : 'admission';
      const name = request.object.metadata?.name ?? '';
      if (typeof verdict === 'object') {
        throw TugboatError.invalid({ kind: request.type.kind, group: request.type.group }, name, verdict.causes);
      }
      const why = typeof verdict === 'string' ? verdict : 'denied the request';
      throw TugboatError.forbidden(`${who} denied the request: ${why}`, {
        kind: request.type.plural,
        group: request.type.group,
        name,
      });
    }
  }
}
