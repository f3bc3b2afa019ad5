import { randomUUID } from 'node:crypto';
import { writableMeta, type KubeObject, type ObjectList, type StatusCause, type WatchEvent } from '../model/types.js';
import type { ObjectStore, StoreWatchOptions } from '../store/types.js';
import type { Clock } from '../clock/types.js';
import { TugboatError } from '../model/errors.js';
import { apiVersionOf, storeResourceOf, type ResourceType } from '../model/resource-type.js';
import { deepFreeze } from '../model/freeze.js';
import type { AdmissionChain } from './admission.js';
import type { DeleteOptions, ListOptions, PatchType, PodBinding, WatchOptions, WriteOptions } from '../client/types.js';
import { toStoreListOptions } from './list-options.js';
import { applyPatch } from './patch.js';
import { clearSystemFields, keepSystemFields, pendingFinalizers, prepareForCreate } from './object-meta.js';
import { checkDeleteOptions, planDeletion } from './deletion.js';
import { rfc3339 } from '../clock/time-format.js';
import { cloneJson } from '../model/clone.js';
import { isCRDKind } from './crd-registrar.js';
import { checkFields } from './field-validation.js';
import { stampCreate, stampUpdate } from './system-fields.js';
import { recordManagedFields } from './managed-fields-update.js';
import { isJsonObject, MAX_OBJECT_BYTES, toJsonValue } from '../model/json-value.js';
import { isBufferedIterator, type BufferedIterator } from '../model/async-queue.js';
import { fromStorage, intoStorage, listFromStorage, storageOf, watchFromStorage } from './version-conversion.js';

/** Receives the warnings of a write (unknown fields, deprecated settings). */
export type WarningHandler = (warning: string, object: KubeObject) => void;

/**
 * The kinds an API layer serves from CustomResourceDefinitions, kept in step with the store
 * (the CRD registrar). The object API asks it whether a kind is still served before each request,
 * and has it catch up with the store after each CRD write.
 */
export interface ServedKinds {
  /** The kind as served now (it follows its CRD's updates), or undefined; does not read the store. */
  current(type: ResourceType): ResourceType | undefined;
  /** As `current`, catching up with the store first when the kind is not served. */
  resolve(type: ResourceType): Promise<ResourceType | undefined>;
  /** True when the kind's CRD is being deleted (its objects may not be created). */
  terminating(type: ResourceType): boolean;
  /** Catches up with the CRDs in the store. */
  sync(): Promise<unknown>;
}

/** What the object API needs. */
export interface ObjectApiOptions {
  store: ObjectStore;
  admission: AdmissionChain;
  clock: Clock;
  onWarning?: WarningHandler;
  /** The kinds served from CRDs; without it every kind handed in is served. */
  kinds?: ServedKinds;
  /** Makes metadata.uid for new objects. @default crypto.randomUUID */
  uid?: () => string;
}

const PATCH_RETRIES = 8;

/** Write options, plus what apply's dry run needs. */
export interface InternalWriteOptions extends WriteOptions {
  /** Skip the namespace check: the dry run of a manifest that creates that namespace itself. */
  assumeNamespace?: boolean;
  /** Report no warnings to the cluster's handler (a check before the real write, or a component's write). */
  quiet?: boolean;
  /** Fields the manifest's text gave twice (apply): handled per `fieldValidation`, as unknown fields are. */
  duplicateFields?: string[];
  /**
   * For a dry-run update: the object to update instead of the stored one (apply's check of a
   * manifest whose earlier document already wrote this object in the same dry run).
   */
  dryRunOld?: KubeObject;
  /** The subresource a write's managedFields entry names when it is not the write's own (`scale`: a patch of spec.replicas). */
  fieldsSubresource?: 'scale';
}

/**
 * ObjectApi is tugboat's API server core: every read and write of every client passes here.
 * A write goes decode -> default -> mutating admission -> validate -> validating admission ->
 * store, and a rejected write changes nothing. A version served beside its kind's storage version
 * (a {@link ResourceType.conversion}) is decoded and field-checked as itself, then converted:
 * defaulted, admitted, validated and stored as the storage version, and converted back for its
 * client (reads, lists and watches too).
 */
export class ObjectApi {
  constructor(private readonly options: ObjectApiOptions) {}

  /** The store behind this API. */
  get store(): ObjectStore {
    return this.options.store;
  }

  /** The object, or NotFound. */
  async get(type: ResourceType, namespace: string | undefined, name: string): Promise<KubeObject> {
    const obj = await this.find(type, namespace, name);
    if (!obj) throw notFound(type, name);
    return obj;
  }

  /** The object, or undefined. */
  async find(type: ResourceType, namespace: string | undefined, name: string): Promise<KubeObject | undefined> {
    type = this.options.kinds?.current(type) ?? (await this.served(type));
    const stored = await this.options.store.get({ resource: storeResourceOf(storageOf(type)), namespace: scopeNs(type, namespace), name });
    return stored && fromStorage(type, stored);
  }

  /** The stored object (at the storage version), or NotFound. */
  private async getStored(type: ResourceType, namespace: string | undefined, name: string): Promise<KubeObject> {
    const obj = await this.options.store.get({ resource: storeResourceOf(storageOf(type)), namespace: scopeNs(type, namespace), name });
    if (!obj) throw notFound(type, name);
    return obj;
  }

  /** The objects of a kind (in one namespace, or all when undefined) that match the selectors. */
  async list(type: ResourceType, namespace: string | undefined, options?: ListOptions): Promise<ObjectList> {
    type = this.options.kinds?.current(type) ?? (await this.served(type));
    const list = await this.options.store.list(
      { resource: storeResourceOf(storageOf(type)), namespace: scopeNs(type, namespace) },
      { ...toStoreListOptions(options, type), limit: options?.limit, continue: options?.continue },
    );
    return listFromStorage(type, list);
  }

  /**
   * Follows changes to a kind (in one namespace, or all when undefined). A resourceVersion the
   * store has not reached fails Timeout (`Too large resource version`), as the API server's
   * watch cache answers; this API does not wait the 3 s the cache waits for it to appear.
   */
  watch(type: ResourceType, namespace: string | undefined, options?: WatchOptions): AsyncIterable<WatchEvent> {
    const scope = { resource: storeResourceOf(storageOf(type)), namespace: scopeNs(type, namespace) };
    const storeOptions = { ...toStoreListOptions(options, type), resourceVersion: options?.resourceVersion, signal: options?.signal };
    const watchStore = (): AsyncIterable<WatchEvent> => watchFromStorage(type, this.watchFrom(scope, storeOptions));
    if (!this.options.kinds || this.options.kinds.current(type)) return watchStore();
    const served = (): Promise<ResourceType> => this.served(type);
    return (async function* () {
      await served();
      yield* watchStore();
    })();
  }

  /** Catches up with the kinds the store's CRDs define (apply does before looking kinds up). */
  async syncKinds(): Promise<void> {
    await this.options.kinds?.sync();
  }

  /** The store's watch, failing Timeout first when it starts past the store's current version. */
  private watchFrom(scope: { resource: string; namespace?: string }, storeOptions: StoreWatchOptions): AsyncIterable<WatchEvent> {
    const rv = storeOptions.resourceVersion;
    if (rv === undefined || rv === '' || rv === '0' || !/^[0-9]+$/.test(rv)) return this.options.store.watch(scope, storeOptions);
    const store = this.options.store;
    return {
      [Symbol.asyncIterator]: (): AsyncIterableIterator<WatchEvent> & BufferedIterator<WatchEvent> => {
        const inner = store.watch(scope, storeOptions)[Symbol.asyncIterator]();
        const done = async (): Promise<IteratorResult<WatchEvent>> => (await inner.return?.()) ?? { done: true, value: undefined };
        // Every next() waits for the one check, so concurrent next() calls reach the store's
        // stream in the order they were made (none skips ahead while the first is checking).
        // After it, next() is the store's own (no added delay per event).
        let check: Promise<void> | undefined;
        let checked = false;
        const checkOnce = async (): Promise<void> => {
          const current = await store.currentResourceVersion();
          if (BigInt(rv) > BigInt(current)) {
            await done();
            throw tooLargeResourceVersion(rv, current);
          }
          checked = true;
        };
        return {
          next(): Promise<IteratorResult<WatchEvent>> {
            if (checked) return inner.next();
            check ??= checkOnce();
            return check.then(() => inner.next());
          },
          // The store's buffered events, once checked (a reader drains a burst in one turn).
          takeBuffered: (max?: number): WatchEvent[] => (checked && isBufferedIterator(inner) ? inner.takeBuffered(max) : []),
          return: done,
          [Symbol.asyncIterator]() {
            return this;
          },
        };
      },
    };
  }

  /** Creates an object; `namespace` is the client's (undefined for cluster-scoped kinds). */
  async create(type: ResourceType, namespace: string | undefined, input: unknown, options: InternalWriteOptions = {}): Promise<KubeObject> {
    type = this.options.kinds?.current(type) ?? (await this.served(type));
    if (this.options.kinds?.terminating(type)) {
      throw new TugboatError('MethodNotAllowed', 'create not allowed while custom resource definition is terminating', {
        group: type.group,
        kind: type.plural,
      });
    }
    const served = type;
    const decoded = this.decode(served, namespace, input);
    const warnings = checkFields(served, decoded, options.fieldValidation, options.duplicateFields);
    type = storageOf(served);
    const obj = intoStorage(served, decoded);
    clearSystemFields(obj);
    prepareForCreate(type, obj);
    if (!(options.dryRun && options.assumeNamespace)) await this.checkNamespace(type, obj);
    type.applyDefaults?.(obj);
    warnings.push(...(await this.admit('CREATE', type, obj, undefined, options)));
    recordManagedFields(type, undefined, obj, options.fieldManager, undefined, this.options.clock.now());
    stampCreate(obj, (this.options.uid ?? randomUUID)(), this.options.clock.now());
    // obj is this write's own (decoded into a private copy), handed over: the store keeps it rather than copy it.
    const stored = options.dryRun ? deepFreeze(obj) : await this.options.store.create(storeResourceOf(type), obj, { owned: true });
    if (!options.dryRun) await this.afterWrite(type);
    const out = fromStorage(served, stored);
    this.report(warnings, out, options);
    return out;
  }

  /** Replaces spec and metadata (status is kept for kinds with a status subresource). */
  async update(type: ResourceType, namespace: string | undefined, input: unknown, options: InternalWriteOptions = {}): Promise<KubeObject> {
    type = this.options.kinds?.current(type) ?? (await this.served(type));
    const obj = this.decode(type, namespace, input);
    const name = requireName(type, obj);
    const old =
      options.dryRun && options.dryRunOld ? intoStorage(type, options.dryRunOld) : await this.getStored(type, obj.metadata.namespace, name);
    return this.replace(type, obj, old, undefined, options);
  }

  /** Replaces status only. */
  async updateStatus(type: ResourceType, namespace: string | undefined, input: unknown, options: WriteOptions = {}): Promise<KubeObject> {
    // Only the envelope, metadata and status of the input matter to a status write: decode (copy) nothing else.
    type = this.options.kinds?.current(type) ?? (await this.served(type));
    const obj = this.decode(type, namespace, statusPart(input));
    const old = await this.getStored(type, obj.metadata.namespace, requireName(type, obj));
    return this.replace(type, obj, old, 'status', options);
  }

  /**
   * Patches an object (or its status). A patch that pins no resourceVersion is retried on every
   * conflict with a concurrent write until it applies (Kubernetes' GuaranteedUpdate), so only a
   * caller who sent a resourceVersion ever sees Conflict.
   */
  async patch(
    type: ResourceType,
    namespace: string | undefined,
    name: string,
    patch: unknown,
    patchType: PatchType = 'merge',
    options: WriteOptions = {},
    subresource?: 'status',
  ): Promise<KubeObject> {
    type = this.options.kinds?.current(type) ?? (await this.served(type));
    // A copy of the caller's patch: own JSON properties only, bounded in depth and size.
    const body = toJsonValue(patch, 'patch');
    let failedAt: string | undefined;
    let failure: unknown;
    for (;;) {
      const old = await this.getStored(type, namespace, name);
      // The patch applies to the object in the client's version (Kubernetes patches in the request's version).
      const patched = applyPatch(cloneJson(fromStorage(type, old)), body, patchType) as KubeObject;
      if (typeof patched !== 'object' || patched === null || Array.isArray(patched)) {
        throw TugboatError.badRequest('the patch did not produce an object');
      }
      const pinned = patched.metadata?.resourceVersion !== old.metadata.resourceVersion;
      if (!pinned) patched.metadata = { ...patched.metadata, resourceVersion: old.metadata.resourceVersion };
      const obj = this.decode(type, namespace, patched);
      // A conflict on the version this attempt read again is not a concurrent write: give up.
      if (!pinned && failedAt === old.metadata.resourceVersion) throw failure;
      try {
        return await this.replace(type, obj, old, subresource, options);
      } catch (err) {
        if (pinned || !TugboatError.is(err, 'Conflict')) throw err;
        failedAt = old.metadata.resourceVersion;
        failure = err;
      }
    }
  }

  /**
   * Binds a pod to a node (the pods/binding subresource): spec.nodeName, which a normal update
   * may not change, and the PodScheduled condition.
   */
  async bindPod(type: ResourceType, binding: PodBinding): Promise<KubeObject> {
    const { namespace, name, nodeName, uid } = binding;
    for (let attempt = 0; ; attempt++) {
      const pod = await this.getStored(type, namespace, name);
      const spec = (pod.spec ?? {}) as { nodeName?: string };
      if (uid && pod.metadata.uid !== uid) throw TugboatError.conflict(subject(type), name, `the pod's UID is not ${uid}`);
      if (pod.metadata.deletionTimestamp) throw TugboatError.conflict(subject(type), name, 'the pod is being deleted');
      if (spec.nodeName) throw TugboatError.conflict(subject(type), name, `pod ${name} is already assigned to node "${spec.nodeName}"`);
      // The store copies what changed (spec, status) and shares the rest with the stored pod.
      const status = (pod.status ?? {}) as { conditions?: { type: string }[] };
      const now = rfc3339(this.options.clock.now());
      const conditions = (status.conditions ?? []).filter((c) => c.type !== 'PodScheduled');
      conditions.push({ type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: now } as { type: string });
      const next = { ...pod, spec: { ...spec, nodeName }, status: { ...status, conditions } } as KubeObject;
      next.metadata = { ...pod.metadata };
      stampUpdate(pod, next);
      try {
        return await this.options.store.update(storeResourceOf(type), next);
      } catch (err) {
        if (!TugboatError.is(err, 'Conflict') || attempt >= PATCH_RETRIES) throw err;
      }
    }
  }

  /** Deletes as Kubernetes does: finalizers and graceful pod deletion first set deletionTimestamp. */
  async delete(type: ResourceType, namespace: string | undefined, name: string, options: DeleteOptions = {}): Promise<KubeObject> {
    type = this.options.kinds?.current(type) ?? (await this.served(type));
    checkDeleteOptions(options);
    const served = type;
    type = storageOf(served);
    const old = await this.getStored(type, namespace, name);
    const pre = options.preconditions;
    if (pre?.uid && pre.uid !== old.metadata.uid) {
      throw TugboatError.conflict(
        subject(type),
        name,
        `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${old.metadata.uid}`,
      );
    }
    if (pre?.resourceVersion && pre.resourceVersion !== old.metadata.resourceVersion) {
      throw TugboatError.conflict(
        subject(type),
        name,
        `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${old.metadata.resourceVersion}`,
      );
    }
    if (!this.options.admission.empty) {
      await this.options.admission.validate({ operation: 'DELETE', type, object: old, oldObject: old, dryRun: false });
    }
    const plan = planDeletion(type, old, options, this.options.clock.now());
    if (plan.action === 'remove') {
      const removed = await this.options.store.delete(keyOf(type, old), { uid: old.metadata.uid });
      await this.afterWrite(type);
      return fromStorage(served, removed);
    }
    if (plan.action === 'none') return fromStorage(served, old);
    const marked = cloneJson(old) as KubeObject;
    plan.mark(marked);
    stampUpdate(old, marked);
    const stored = await this.options.store.update(storeResourceOf(type), marked);
    await this.afterWrite(type);
    return fromStorage(served, stored);
  }

  /**
   * The kind as this API layer serves it now (a CRD's kind follows its CRD's updates); NotFound
   * when it is not served, as Kubernetes answers for a resource it does not know.
   */
  private async served(type: ResourceType): Promise<ResourceType> {
    const kinds = this.options.kinds;
    if (!kinds) return type;
    const now = kinds.current(type) ?? (await kinds.resolve(type));
    if (!now) {
      throw new TugboatError('NotFound', 'the server could not find the requested resource', { group: type.group, kind: type.plural });
    }
    return now;
  }

  /** After a CRD write, serve what the store's CRDs define now (so the write's kind is served when it returns). */
  private async afterWrite(type: ResourceType): Promise<void> {
    if (isCRDKind(type)) await this.options.kinds?.sync();
  }

  /**
   * Parses the caller's object into a plain, mutable copy (own JSON properties only, bounded in
   * depth and size) with the envelope and the schema's field types checked, as the API server's
   * decoder does before defaulting.
   */
  private decode(type: ResourceType, namespace: string | undefined, input: unknown): KubeObject {
    if (!isJsonObject(input)) {
      throw TugboatError.badRequest(`${type.kind}: expected an object`);
    }
    const measure = { bytes: 0 };
    const obj = toJsonValue(input, type.kind, measure) as KubeObject;
    if (measure.bytes > MAX_OBJECT_BYTES) {
      throw TugboatError.tooLarge(
        `${type.kind} is too large: ${measure.bytes} bytes, the limit is ${MAX_OBJECT_BYTES} (etcd's request limit)`,
      );
    }
    const apiVersion = apiVersionOf(type);
    if (obj.apiVersion !== undefined && obj.apiVersion !== apiVersion) {
      throw TugboatError.badRequest(`apiVersion: "${String(obj.apiVersion)}" does not match the client's "${apiVersion}"`);
    }
    if (obj.kind !== undefined && obj.kind !== type.kind) {
      throw TugboatError.badRequest(`kind: "${String(obj.kind)}" does not match the client's "${type.kind}"`);
    }
    obj.apiVersion = apiVersion;
    obj.kind = type.kind;
    const typeErrors = type.checkTypes?.(obj) ?? [];
    if (typeErrors.length > 0) throw undecodable(type, obj, typeErrors);
    if (typeof obj.metadata !== 'object' || obj.metadata === null || Array.isArray(obj.metadata)) {
      if (obj.metadata !== undefined) throw TugboatError.badRequest('metadata: expected an object');
      obj.metadata = {};
    }
    if (type.namespaced) {
      const own = obj.metadata.namespace;
      if (own && namespace && own !== namespace) {
        throw TugboatError.badRequest(
          `metadata.namespace: the namespace of the provided object ("${own}") does not match the namespace sent on the request ("${namespace}")`,
        );
      }
      const ns = own || namespace;
      if (!ns) throw TugboatError.badRequest('metadata.namespace: Required value: a namespace is required for a namespaced kind');
      obj.metadata.namespace = ns;
    } else {
      delete obj.metadata.namespace;
    }
    return obj;
  }

  /**
   * The shared path of update, updateStatus and patch: `obj` is the decoded object in the served
   * version `served`, `old` the stored one; returns the written object in the served version.
   */
  private async replace(
    served: ResourceType,
    obj: KubeObject,
    old: KubeObject,
    subresource: 'status' | undefined,
    options: InternalWriteOptions,
  ): Promise<KubeObject> {
    const type = storageOf(served);
    if (obj.metadata.uid && obj.metadata.uid !== old.metadata.uid) {
      throw TugboatError.conflict(subject(type), old.metadata.name ?? '', 'the UID in the object does not match the stored object');
    }
    let next: KubeObject;
    const warnings: string[] = [];
    if (subresource === 'status') {
      if (!type.hasStatus) throw TugboatError.badRequest(`${type.plural} have no status subresource`);
      // Only metadata and status of a status write change: the rest stays the stored object's
      // own (frozen, shared with it; keepAllButStatus puts it back after admission in any case).
      // The metadata is a shallow copy: its fields (labels, managedFields, ...) are the stored
      // object's frozen ones, which a status write keeps (as ResetObjectMetaForStatus) and the
      // steps below replace instead of changing in place.
      const { status: _replaced, ...rest } = old;
      next = { ...rest, metadata: { ...old.metadata }, status: intoStorage(served, obj).status } as KubeObject;
      writableMeta(next).resourceVersion = obj.metadata.resourceVersion ?? old.metadata.resourceVersion;
      if (next.status === undefined) delete next.status;
    } else {
      // A spec write's status is the stored one for kinds with a status subresource: not checked.
      warnings.push(...checkFields(served, obj, options.fieldValidation, options.duplicateFields, type.hasStatus));
      next = intoStorage(served, obj);
      keepSystemFields(next, old);
      if (type.hasStatus) {
        if (old.status === undefined) delete next.status;
        else next.status = cloneJson(old.status);
      }
      type.applyDefaults?.(next, old);
    }
    warnings.push(...(await this.admit('UPDATE', type, next, old, options, subresource)));
    if (subresource === 'status') keepAllButStatus(next, old);
    recordManagedFields(type, old, next, options.fieldManager, subresource ?? options.fieldsSubresource, this.options.clock.now());
    stampUpdate(old, next);
    if (options.dryRun) {
      const dry = fromStorage(served, deepFreeze(next));
      this.report(warnings, dry, options);
      return dry;
    }
    let stored = await this.options.store.update(storeResourceOf(type), next);
    if (stored.metadata.deletionTimestamp && pendingFinalizers(stored).length === 0) {
      stored = await this.options.store.delete(keyOf(type, stored), { uid: stored.metadata.uid });
    }
    await this.afterWrite(type);
    const out = fromStorage(served, stored);
    this.report(warnings, out, options);
    return out;
  }

  /** Admission and validation of a write, in Kubernetes' order. */
  private async admit(
    operation: 'CREATE' | 'UPDATE',
    type: ResourceType,
    obj: KubeObject,
    old: KubeObject | undefined,
    options: InternalWriteOptions,
    subresource?: 'status',
  ): Promise<string[]> {
    const admission = this.options.admission;
    let warnings: string[] = [];
    const request = { operation, type, object: obj, oldObject: old, subresource, dryRun: Boolean(options.dryRun) };
    if (!admission.empty) await admission.mutate(request);
    const validate = subresource === 'status' ? old && type.validateStatus?.bind(type) : type.validate?.bind(type);
    if (validate) {
      // checkFields pruned the unknown fields of every write that validates (and reported them).
      const result = validate(obj, old as KubeObject, { pruned: true });
      if (result.causes.length > 0) {
        throw TugboatError.invalid(
          { kind: type.group ? `${type.kind}.${type.group}` : type.kind },
          obj.metadata.name ?? obj.metadata.generateName ?? '',
          result.causes,
        );
      }
      warnings = result.warnings;
    }
    if (!admission.empty) await admission.validate(request);
    return warnings;
  }

  /**
   * Hands a write's warnings to the caller (`options.warnings`) and, unless quiet, to the API's
   * handler, naming the stored object (apply reports its own warnings about written objects here).
   */
  report(warnings: string[], obj: KubeObject, options: InternalWriteOptions): void {
    if (warnings.length === 0) return;
    options.warnings?.push(...warnings);
    if (options.quiet) return;
    for (const w of warnings) this.options.onWarning?.(w, obj);
  }

  /** A namespaced object needs an existing, active namespace. */
  private async checkNamespace(type: ResourceType, obj: KubeObject): Promise<void> {
    if (!type.namespaced) return;
    const ns = obj.metadata.namespace as string;
    const found = await this.options.store.get({ resource: 'core/namespaces', name: ns });
    if (!found) throw TugboatError.notFound({ kind: 'namespaces' }, ns);
    if (found.metadata.deletionTimestamp) {
      throw TugboatError.forbidden(
        `${type.plural} "${obj.metadata.name ?? ''}" is forbidden: unable to create new content in namespace ${ns} because it is being terminated`,
        { kind: type.plural, group: type.group, name: obj.metadata.name },
      );
    }
  }
}

/**
 * A status write changes status only (as Kubernetes' status strategies reset the rest): every
 * other top-level field of `next` but metadata becomes `old`'s own (frozen, so the store shares
 * it instead of copying it again).
 */
function keepAllButStatus(next: KubeObject, old: KubeObject): void {
  const out = next as Record<string, unknown>;
  for (const k of Object.keys(out)) if (k !== 'status' && k !== 'metadata' && !(k in old)) delete out[k];
  for (const [k, v] of Object.entries(old)) if (k !== 'status' && k !== 'metadata') out[k] = v;
}

/**
 * apiVersion, kind, metadata and status of a plain object input; anything else as it is. The
 * metadata's managedFields are left out: a status write keeps the stored object's metadata (only
 * resourceVersion, uid, name and namespace of the input's are read), and managedFields are most of
 * its size (every status write of every pod passes here).
 */
function statusPart(input: unknown): unknown {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return input;
  const { apiVersion, kind, status } = input as Record<string, unknown>;
  let metadata = (input as Record<string, unknown>).metadata;
  if (isJsonObject(metadata) && metadata.managedFields !== undefined) {
    const { managedFields: _ignored, ...others } = metadata;
    metadata = others;
  }
  const out: Record<string, unknown> = { apiVersion, kind, metadata };
  if (status !== undefined) out.status = status;
  if (apiVersion === undefined) delete out.apiVersion;
  if (kind === undefined) delete out.kind;
  if (metadata === undefined) delete out.metadata;
  return out;
}

function scopeNs(type: ResourceType, namespace: string | undefined): string | undefined {
  return type.namespaced && namespace ? namespace : undefined;
}

function keyOf(type: ResourceType, obj: KubeObject): { resource: string; namespace?: string; name: string } {
  return { resource: storeResourceOf(type), namespace: scopeNs(type, obj.metadata.namespace), name: obj.metadata.name ?? '' };
}

function requireName(type: ResourceType, obj: KubeObject): string {
  const name = obj.metadata.name;
  if (!name) {
    throw TugboatError.invalid({ kind: type.kind }, '', [{ field: 'metadata.name', message: 'Required value: name is required' }]);
  }
  return name;
}

function subject(type: ResourceType): { kind: string; group: string } {
  return { kind: type.plural, group: type.group };
}

/** A watch from a resourceVersion the store has not reached: Timeout, cause ResourceVersionTooLarge. */
function tooLargeResourceVersion(rv: string, current: string): TugboatError {
  return new TugboatError('Timeout', `Too large resource version: ${rv}, current: ${current}`, {
    causes: [{ reason: 'ResourceVersionTooLarge', message: 'Too large resource version', field: '' }],
  });
}

/** The decoder's BadRequest for fields of the wrong type, naming each field in its causes. */
function undecodable(type: ResourceType, obj: KubeObject, causes: StatusCause[]): TugboatError {
  const meta = isJsonObject(obj.metadata) ? obj.metadata : {};
  const name = typeof meta.name === 'string' ? meta.name : '';
  const why = causes.map((c) => c.message).join('; ');
  return new TugboatError('BadRequest', `${type.kind} in version "${type.version}" cannot be handled as a ${type.kind}: ${why}`, {
    kind: type.plural,
    group: type.group,
    name,
    causes,
  });
}

/** A NotFound error naming the resource as Kubernetes does (`pods "web" not found`). */
export function notFound(type: ResourceType, name: string): TugboatError {
  return TugboatError.notFound(subject(type), name);
}
