import { writableMeta, type CustomResourceDefinition, type KubeObject } from '../model/types.js';
import { TugboatError } from '../model/errors.js';
import { KindRegistry } from './kind-registry.js';
import type { ResourceType } from '../model/resource-type.js';
import { crdKindRef, resourceTypeFromCRD } from '../model/crd.js';
import type { ObjectApi } from './object-api.js';
import { applyOrder, decodeManifestsYielding, type ManifestInput } from './manifest.js';
import { MERGE_KEYS, strategicMergePatch } from './patch.js';
import { checkFields } from './field-validation.js';
import type { FieldValidation } from '../client/types.js';
import { LAST_APPLIED } from '../model/well-known.js';
import { getOwn, hasOwn, isJsonObject as isObject, setOwn } from '../model/json-value.js';
import { storedOnlyWarning } from './stored-only.js';

/** Options of `cluster.apply`. */
export interface ApplyOptions {
  /** Namespace for namespaced objects that name none. @default 'default' */
  namespace?: string;
  dryRun?: boolean;
  /** Collects the warnings of the writes. */
  warnings?: string[];
  /**
   * Fields the kinds lack, or given twice in the text: `Warn` drops each with one warning,
   * `Strict` rejects the manifest before anything is written, `Ignore` drops them. @default 'Warn'
   */
  fieldValidation?: FieldValidation;
  /** The field manager of the writes (their managedFields `Update` entries). @default `tugboat` for `cluster.apply` */
  fieldManager?: string;
  /** @internal the dry run of a manifest that creates the object's namespace itself. */
  assumeNamespace?: boolean;
  /** @internal report no warnings to the cluster (the check before the writes). */
  quiet?: boolean;
}

/** What apply did with one document's object, as kubectl prints it (`deployment.apps/web created`). */
export interface ApplyOutcome {
  /** `kind.group/name` (`deployment.apps/web`, `configmap/app`), as kubectl names it. */
  object: string;
  namespace?: string;
  /** `created`, `configured` (changed), or `unchanged`. */
  action: 'created' | 'configured' | 'unchanged';
  /** The document's place in the manifest (0-based, as decoded: a `kind: List`'s items count one each). */
  index: number;
  /** The document's kind and name, as written. */
  kind: string;
  name: string;
  /** The warnings this object's write raised. */
  warnings: string[];
}

/**
 * The objects apply wrote, in the order written, with the warnings the writes raised and what
 * happened to each (`outcomes`, in the same order).
 */
export type ApplyResult = KubeObject[] & { warnings: string[]; outcomes: ApplyOutcome[] };

/** kubectl's name of an object: `kind.group/name`, lower-case kind. */
function objectRef(type: ResourceType, obj: KubeObject): string {
  return `${type.kind.toLowerCase()}${type.group ? `.${type.group}` : ''}/${obj.metadata.name ?? ''}`;
}

/**
 * The error of a document of a manifest with several, naming it:
 * `document 3 (Deployment web): Deployment.apps "web" is invalid: ...`, with the reason, code and
 * details of the error it wraps. A single-object apply's errors are left as they are.
 */
function namingDocument(err: unknown, index: number | undefined, obj: KubeObject): unknown {
  if (index === undefined || !TugboatError.is(err)) return err;
  const named = new TugboatError(
    err.reason,
    `document ${index} (${obj.kind} ${obj.metadata?.name ?? obj.metadata?.generateName ?? ''}): ${err.message}`,
    err.status.details,
  );
  return named;
}

/** Where an object is, for the dry run's record of what earlier documents wrote. */
function keyOf(type: ResourceType, namespace: string | undefined, name: string): string {
  return `${type.group}/${type.kind}/${namespace ?? ''}/${name}`;
}

/** Reads the live object: the dry run's earlier result for it, else the store's. */
type Lookup = (type: ResourceType, namespace: string | undefined, name: string) => Promise<KubeObject | undefined>;

/**
 * Marks every field that the last applied configuration had and the new one lacks for removal
 * (`null` in a merge patch), so apply removes what the user removed and keeps what others set.
 */
function removals(last: unknown, next: unknown, field = ''): unknown {
  const key = hasOwn(MERGE_KEYS, field) ? MERGE_KEYS[field] : undefined;
  if (key && Array.isArray(last) && Array.isArray(next) && [...last, ...next].every(isObject)) {
    const kept = next.map((n) => {
      const before = last.find((l) => getOwn(l, key) === getOwn(n, key));
      return before ? removals(before, n) : n;
    });
    const gone = last
      .filter((l) => !next.some((n) => getOwn(n, key) === getOwn(l, key)))
      .map((l) => {
        const out: Record<string, unknown> = { $patch: 'delete' };
        setOwn(out, key, getOwn(l, key));
        return out;
      });
    return [...kept, ...gone];
  }
  if (!isObject(last) || !isObject(next)) return next;
  const out: Record<string, unknown> = { ...next };
  for (const [k, v] of Object.entries(last)) {
    setOwn(out, k, hasOwn(next, k) ? removals(v, next[k], k) : null);
  }
  return out;
}

/** `apiVersion|kind` of the kind a CRD of a manifest defines (its served version). */
function crdKey(obj: KubeObject): string {
  const ref = crdKindRef(obj as CustomResourceDefinition);
  return ref ? `${ref.apiVersion}|${ref.kind}` : '';
}

/**
 * Creates or updates each object of the manifests, as `kubectl apply` does: a three-way merge of
 * the last applied configuration, the new one and the live object, so fields set by others
 * (a status, an allocated clusterIP, replicas when the manifest has none) are kept.
 */
export async function applyManifests(
  api: ObjectApi,
  registry: KindRegistry,
  input: ManifestInput,
  options: ApplyOptions,
): Promise<ApplyResult> {
  const repeated: string[][] = [];
  const decoded = await decodeManifestsYielding(input, repeated);
  const duplicates = new Map(decoded.map((obj, i) => [obj, repeated[i] ?? []]));
  // Documents are named in errors only when there are several.
  const indexes = new Map(decoded.map((obj, i) => [obj, i]));
  const indexOf = (obj: KubeObject): number | undefined => (decoded.length > 1 ? indexes.get(obj) : undefined);
  const objects = decoded
    .map((obj, index) => ({ obj, index }))
    .sort((a, b) => applyOrder(a.obj) - applyOrder(b.obj) || a.index - b.index)
    .map((e) => e.obj);
  // A kind this layer does not serve yet may come from a CRD written through another API layer.
  const defined = new Set(objects.filter((o) => o.kind === 'CustomResourceDefinition').map((o) => crdKey(o)));
  if (objects.some((o) => !registry.find(o.apiVersion, o.kind) && !defined.has(`${o.apiVersion}|${o.kind}`))) await api.syncKinds();
  if (!options.dryRun) await checkAll(api, registry, objects, duplicates, options, indexOf);
  const warnings: string[] = [];
  const applied: KubeObject[] = [];
  const outcomes: ApplyOutcome[] = [];
  for (const obj of objects) {
    try {
      await applyDocument(obj);
    } catch (err) {
      throw namingDocument(err, indexOf(obj), obj);
    }
  }
  options.warnings?.push(...warnings);
  return Object.assign(applied, { warnings, outcomes });

  async function applyDocument(obj: KubeObject): Promise<void> {
    const type = registry.forObject(obj);
    const before = warnings.length;
    const liveVersion = obj.metadata.name
      ? (await api.find(type, type.namespaced ? obj.metadata.namespace || options.namespace || 'default' : undefined, obj.metadata.name))
          ?.metadata.resourceVersion
      : undefined;
    const record = (written: KubeObject): void => {
      const storedOnly = storedOnlyWarning(written);
      if (storedOnly) {
        warnings.push(storedOnly);
        api.report([storedOnly], written, { quiet: options.quiet });
      }
      const action = liveVersion === undefined ? 'created' : liveVersion === written.metadata.resourceVersion ? 'unchanged' : 'configured';
      outcomes.push({
        object: objectRef(type, written),
        namespace: written.metadata.namespace,
        action,
        warnings: warnings.slice(before),
        index: indexes.get(obj) ?? 0,
        kind: obj.kind,
        name: written.metadata.name ?? '',
      });
      applied.push(written);
    };
    const namespace = type.namespaced ? obj.metadata.namespace || options.namespace || 'default' : undefined;
    const name = obj.metadata.name;
    const config = structuredClone(obj);
    if (config.metadata.annotations) delete config.metadata.annotations[LAST_APPLIED];
    const annotated = (o: KubeObject): KubeObject => ({
      ...o,
      metadata: { ...o.metadata, annotations: { ...o.metadata.annotations, [LAST_APPLIED]: JSON.stringify(config) } },
    });
    const duplicateFields = duplicates.get(obj);
    if (!name) {
      record(
        await api.create(type, namespace, annotated(obj), {
          dryRun: options.dryRun,
          warnings,
          fieldManager: options.fieldManager,
          fieldValidation: options.fieldValidation,
          duplicateFields,
        }),
      );
      return;
    }
    record(await applyOne(api, type, namespace, name, config, annotated, { ...options, warnings }, duplicateFields));
  }
}

/**
 * A dry run of every object before any is written, so a manifest with one bad document changes
 * nothing. Each document is checked against the store as the documents before it leave it (two
 * documents naming one object: the second is checked as an update of the first's result).
 * Objects that depend on a Namespace or CRD of the same manifest are checked when written, since
 * their namespace or kind does not exist yet.
 */
async function checkAll(
  api: ObjectApi,
  registry: KindRegistry,
  objects: KubeObject[],
  duplicates: ReadonlyMap<KubeObject, string[]>,
  options: ApplyOptions,
  indexOf: (obj: KubeObject) => number | undefined,
): Promise<void> {
  const written = new Map<string, KubeObject>();
  const lookup: Lookup = async (type, namespace, name) => written.get(keyOf(type, namespace, name)) ?? api.find(type, namespace, name);
  const namespaces = new Set(objects.filter((o) => o.kind === 'Namespace').map((o) => o.metadata.name));
  const pending = new KindRegistry(
    objects.filter((o) => o.kind === 'CustomResourceDefinition').map((o) => resourceTypeFromCRD(o as CustomResourceDefinition)),
  );
  for (const obj of objects) {
    try {
      await checkDocument(obj);
    } catch (err) {
      throw namingDocument(err, indexOf(obj), obj);
    }
  }

  async function checkDocument(obj: KubeObject): Promise<void> {
    const type = registry.find(obj.apiVersion, obj.kind) ?? pending.find(obj.apiVersion, obj.kind) ?? registry.forObject(obj);
    const namespace = type.namespaced ? obj.metadata.namespace || options.namespace || 'default' : undefined;
    const assumeNamespace = namespace !== undefined && namespaces.has(namespace);
    if (!registry.find(obj.apiVersion, obj.kind)) {
      checkAgainst(type, { ...obj, metadata: { ...obj.metadata, namespace } }, options.fieldValidation, duplicates.get(obj));
      return;
    }
    const result = await applyOne(
      api,
      type,
      namespace,
      obj.metadata.name ?? '',
      obj,
      (o) => o,
      { ...options, dryRun: true, warnings: undefined, assumeNamespace, quiet: true },
      duplicates.get(obj),
      lookup,
    );
    if (obj.metadata.name) written.set(keyOf(type, namespace, obj.metadata.name), result);
  }
}

/** Validates an object of a kind that is not served yet (its CRD is in the same manifest). */
function checkAgainst(
  type: ResourceType,
  obj: KubeObject,
  fieldValidation: FieldValidation | undefined,
  duplicates: string[] | undefined,
): void {
  const draft = structuredClone(obj);
  checkFields(type, draft, fieldValidation, duplicates);
  type.applyDefaults?.(draft);
  const causes = type.validate?.(draft, undefined, { pruned: true }).causes ?? [];
  if (causes.length > 0) {
    throw TugboatError.invalid({ kind: type.group ? `${type.kind}.${type.group}` : type.kind }, obj.metadata.name ?? '', causes);
  }
}

/**
 * Creates or three-way-merges one object. Like any write without a resourceVersion from the
 * caller, it is retried on every conflict with a concurrent writer (Kubernetes' GuaranteedUpdate):
 * it gives up only when a conflict repeats on a version it read again.
 */
async function applyOne(
  api: ObjectApi,
  type: ResourceType,
  namespace: string | undefined,
  name: string,
  config: KubeObject,
  annotated: (o: KubeObject) => KubeObject,
  options: ApplyOptions,
  duplicateFields: string[] | undefined,
  lookup: Lookup = (t, ns, n) => api.find(t, ns, n),
): Promise<KubeObject> {
  const { fieldValidation } = options;
  let failedAt: string | undefined;
  let failure: unknown;
  for (;;) {
    const live = name ? await lookup(type, namespace, name) : undefined;
    if (live && failedAt !== undefined && live.metadata.resourceVersion === failedAt) throw failure;
    if (!live) {
      try {
        return await api.create(type, namespace, annotated(config), {
          dryRun: options.dryRun,
          warnings: options.warnings,
          fieldManager: options.fieldManager,
          assumeNamespace: options.assumeNamespace,
          quiet: options.quiet,
          fieldValidation,
          duplicateFields,
        });
      } catch (err) {
        // Created meanwhile by another writer: merge into theirs.
        if (TugboatError.is(err, 'AlreadyExists') && name) continue;
        throw err;
      }
    }
    const lastText = live.metadata.annotations?.[LAST_APPLIED];
    let last: unknown = {};
    try {
      last = lastText ? JSON.parse(lastText) : {};
    } catch {
      last = {};
    }
    const { status: _status, ...desired } = config;
    const patch = removals(last, annotated(desired as KubeObject)) as Record<string, unknown>;
    const merged = strategicMergePatch(structuredClone(live), patch) as KubeObject;
    writableMeta(merged).resourceVersion = live.metadata.resourceVersion;
    try {
      return await api.update(type, namespace, merged, {
        dryRun: options.dryRun,
        warnings: options.warnings,
        fieldManager: options.fieldManager,
        quiet: options.quiet,
        dryRunOld: options.dryRun ? live : undefined,
        fieldValidation,
        duplicateFields,
      });
    } catch (err) {
      if (!TugboatError.is(err, 'Conflict') || options.dryRun) throw err;
      failedAt = live.metadata.resourceVersion;
      failure = err;
    }
  }
}
