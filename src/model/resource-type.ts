import type { KubeObject, StatusCause } from './types.js';

/** How names of a kind are checked: a DNS-1123 label (63 chars) or subdomain (253 chars). */
export type NameFormat = 'dns1123-label' | 'dns1123-subdomain' | 'path-segment';

/** Options of {@link ResourceType.validate}. */
export interface ValidateOptions {
  /**
   * The object went through {@link ResourceType.pruneUnknownFields} (the API's fieldValidation
   * handled the fields it removed): validate does not look for unknown fields again.
   * @default false
   */
  pruned?: boolean;
}

/** The outcome of validating an object: errors reject it, warnings are returned to the caller. */
export interface ValidationResult {
  causes: StatusCause[];
  warnings: string[];
}

/**
 * Describes one kind the API serves: where it is stored, how it is named, defaulted and
 * validated. Built-in kinds are in `builtin-kinds.ts`; a CustomResourceDefinition adds one.
 */
export interface ResourceType<T extends KubeObject = KubeObject> {
  /** API group; '' for the core group. */
  group: string;
  version: string;
  kind: string;
  /** Lower-case plural, e.g. 'deployments'. */
  plural: string;
  singular: string;
  shortNames?: string[];
  namespaced: boolean;
  nameFormat: NameFormat;
  /** True when the kind has a status subresource (status is written by updateStatus only). */
  hasStatus: boolean;
  /**
   * The decoder's type check, run on the input before defaulting: the fields whose JSON type is
   * not the schema's (a string where an int32 belongs). May replace `null` list items by their
   * zero value in place, as Go's decoder does.
   */
  checkTypes?(obj: unknown): StatusCause[];
  /**
   * Fills defaults in place on a draft, as Kubernetes' defaulting does; on update `old` is the
   * stored object (for what Kubernetes' strategies derive from it, such as a DaemonSet's
   * template generation).
   */
  applyDefaults?(draft: T, old?: T): void;
  /**
   * Removes the fields the kind's schema does not have from a draft, in place (as decoding into
   * Kubernetes' types, or a CRD's structural pruning, drops them); returns their paths
   * (`spec.replicaz`). The API warns about them, rejects them or ignores them, per the write's
   * fieldValidation.
   */
  pruneUnknownFields?(draft: T): string[];
  /**
   * Checks a (defaulted) object; `old` is set on update, for immutability checks. Its warnings
   * name the fields the kind's schema lacks, unless `options.pruned` says the caller already
   * removed them.
   */
  validate?(obj: T, old?: T, options?: ValidateOptions): ValidationResult;
  /** Checks a write of the status subresource (counts that must not be negative). */
  validateStatus?(obj: T, old: T): ValidationResult;
  /**
   * The kind's scale subresource, for kinds that have one and are not built in (a CRD's
   * `subresources.scale`): where the replica counts and the selector live. The built-in
   * scalable kinds (Deployment, ReplicaSet, StatefulSet, ReplicationController) need none.
   */
  scale?: ScaleSubresource;
  /**
   * Set on a version served beside the kind's storage version (autoscaling/v1
   * HorizontalPodAutoscaler beside autoscaling/v2): its objects are stored, defaulted, validated
   * and admitted as `conversion.storage`, and its clients read, list, watch and write them
   * converted. The same object is readable through every served version.
   */
  conversion?: VersionConversion;
  /**
   * Set on a kind a CustomResourceDefinition defines: its served version's structural schema
   * (published in the OpenAPI documents, so `kubectl explain` reads it) and printer columns (the
   * columns of its Tables, so `kubectl get` shows them).
   */
  custom?: CustomResourceVersion;
}

/** What a CRD's served version says about how its objects are described and printed. */
export interface CustomResourceVersion {
  /** The version's `schema.openAPIV3Schema`. */
  schema: Readonly<Record<string, unknown>>;
  /** The version's `additionalPrinterColumns` (empty when it has none). */
  printerColumns: readonly PrinterColumn[];
}

/** One of a CRD version's `additionalPrinterColumns`. */
export interface PrinterColumn {
  name: string;
  /** `integer`, `number`, `string`, `boolean` or `date`. */
  type: string;
  /** A JSONPath into the object (`.spec.replicas`). */
  jsonPath: string;
  format?: string;
  /** 0 shows by default; above 0 only in `-o wide`. */
  priority?: number;
  description?: string;
}

/**
 * How a served version of a kind converts to and from the version its objects are stored as
 * (Kubernetes' conversion functions of a built-in kind; a CRD's conversion strategy).
 */
export interface VersionConversion {
  /** The kind at its storage version. */
  storage: ResourceType;
  /** An object of this version (decoded, fields checked) in the storage version; BadRequest when it cannot be. */
  toStorage(obj: KubeObject): KubeObject;
  /** A stored object in this version. */
  fromStorage(obj: KubeObject): KubeObject;
}

/**
 * Where a kind keeps what its scale subresource shows (a CRD's `subresources.scale`): JSON paths
 * (`.spec.replicas`) of the desired and observed replica counts and of the selector string.
 */
export interface ScaleSubresource {
  specReplicasPath: string;
  statusReplicasPath: string;
  labelSelectorPath?: string;
}

/** `group/version`, or `version` for the core group. */
export function apiVersionOf(rt: Pick<ResourceType, 'group' | 'version'>): string {
  return rt.group ? `${rt.group}/${rt.version}` : rt.version;
}

/** The store's collection name for a kind: `<group or core>/<plural>`. */
export function storeResourceOf(rt: Pick<ResourceType, 'group' | 'plural'>): string {
  return `${rt.group || 'core'}/${rt.plural}`;
}
