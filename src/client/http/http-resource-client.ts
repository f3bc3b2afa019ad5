import type { KubeObject, ObjectList, Scale, WatchEvent } from '../../model/types.js';
import type { ResourceType } from '../../model/resource-type.js';
import { apiVersionOf } from '../../model/resource-type.js';
import { parseSelector } from '../../model/selector.js';
import { deepFreeze } from '../../model/freeze.js';
import { TugboatError } from '../../model/errors.js';
import type { DeleteOptions, ListOptions, PatchType, ResourceClient, WatchOptions, WriteOptions } from '../types.js';
import type { HttpCall, HttpTransport } from './transport.js';
import { resourcePath } from './resource-path.js';
import { watchEvents } from './watch-stream.js';

/** Options of a server-side apply: the field manager it applies as (required, as kube-apiserver requires it). */
export interface ServerSideApplyOptions extends WriteOptions {
  fieldManager: string;
  /** Take the fields other managers own instead of failing with a Conflict (`--force-conflicts`). */
  force?: boolean;
}

const PATCH_TYPES: Record<PatchType, string> = {
  merge: 'application/merge-patch+json',
  strategic: 'application/strategic-merge-patch+json',
  json: 'application/json-patch+json',
};

/** The query parameters of a write's options. */
function writeQuery(options: WriteOptions | undefined): Record<string, string | undefined> {
  return {
    dryRun: options?.dryRun ? 'All' : undefined,
    fieldValidation: options?.fieldValidation,
    fieldManager: options?.fieldManager,
  };
}

/** The query parameters of list and watch selectors. */
function selectorQuery(options: ListOptions | undefined): Record<string, string | undefined> {
  const label = options?.labelSelector === undefined ? undefined : parseSelector(options.labelSelector).toString();
  const field = options?.fieldSelector === undefined ? undefined : String(options.fieldSelector);
  return { labelSelector: label || undefined, fieldSelector: field || undefined };
}

/**
 * The ResourceClient of one kind in one namespace (or all), over the Kubernetes REST API: the
 * same contract as the in-process client, so a component runs unchanged against either.
 */
export class HttpResourceClient<T extends KubeObject = KubeObject> implements ResourceClient<T> {
  constructor(
    protected readonly http: HttpTransport,
    readonly type: ResourceType,
    readonly namespace: string | undefined,
  ) {}

  protected path(name?: string, subresource?: string): string {
    return resourcePath(this.type, this.namespace, name, subresource);
  }

  protected async call<R>(call: HttpCall, warnings?: string[]): Promise<R> {
    const res = await this.http.open(call);
    const header = res.headers.warning;
    if (warnings && header) {
      for (const w of Array.isArray(header) ? header : [header]) warnings.push(w.replace(/^299 - "(.*)"$/, '$1'));
    }
    return deepFreeze((await res.body.json()) as R);
  }

  private named(obj: { metadata?: { name?: string } }): string {
    const name = obj.metadata?.name;
    if (!name)
      throw TugboatError.invalid({ kind: this.type.plural, group: this.type.group }, '', [
        { field: 'metadata.name', message: 'Required value', reason: 'FieldValueRequired' },
      ]);
    return name;
  }

  private body(obj: object): object {
    return { apiVersion: apiVersionOf(this.type), kind: this.type.kind, ...obj };
  }

  get(name: string): Promise<T> {
    return this.call({ method: 'GET', path: this.path(name) });
  }

  async find(name: string): Promise<T | undefined> {
    return this.get(name).catch((e) => (TugboatError.is(e, 'NotFound') ? undefined : Promise.reject(e)));
  }

  async list(options?: ListOptions): Promise<ObjectList<T>> {
    const list = await this.call<{ items: T[]; metadata: { resourceVersion: string; continue?: string; remainingItemCount?: number } }>({
      method: 'GET',
      path: this.path(),
      query: {
        ...selectorQuery(options),
        limit: options?.limit !== undefined ? String(options.limit) : undefined,
        continue: options?.continue,
      },
    });
    const { resourceVersion, continue: next, remainingItemCount } = list.metadata;
    const apiVersion = apiVersionOf(this.type);
    return {
      // A Kubernetes list leaves apiVersion and kind off its items; the contract's items carry them.
      items: list.items.map((o) => (o.kind ? o : deepFreeze({ ...o, apiVersion, kind: this.type.kind }))),
      resourceVersion,
      ...(next ? { continue: next } : {}),
      ...(remainingItemCount !== undefined ? { remainingItemCount } : {}),
    };
  }

  async *watch(options?: WatchOptions): AsyncIterable<WatchEvent<T>> {
    const res = await this.http.open({
      method: 'GET',
      path: this.path(),
      query: { ...selectorQuery(options), watch: 'true', allowWatchBookmarks: 'true', resourceVersion: options?.resourceVersion },
      ...(options?.signal ? { signal: options.signal } : {}),
    });
    try {
      yield* watchEvents<T>(res);
    } catch (e) {
      if (options?.signal?.aborted) return;
      throw e;
    }
  }

  create(obj: T | Omit<T, 'apiVersion' | 'kind'>, options?: WriteOptions): Promise<T> {
    return this.call({ method: 'POST', path: this.path(), body: this.body(obj), query: writeQuery(options) }, options?.warnings);
  }

  update(obj: T, options?: WriteOptions): Promise<T> {
    return this.call(
      { method: 'PUT', path: this.path(this.named(obj)), body: this.body(obj), query: writeQuery(options) },
      options?.warnings,
    );
  }

  patch(name: string, patch: unknown, type: PatchType = 'merge', options?: WriteOptions): Promise<T> {
    return this.call(
      { method: 'PATCH', path: this.path(name), body: patch, contentType: PATCH_TYPES[type], query: writeQuery(options) },
      options?.warnings,
    );
  }

  updateStatus(obj: T, options?: WriteOptions): Promise<T> {
    return this.call(
      { method: 'PUT', path: this.path(this.named(obj), 'status'), body: this.body(obj), query: writeQuery(options) },
      options?.warnings,
    );
  }

  /** Server-side apply of `manifest` (a `PATCH` of `application/apply-patch+yaml`), see {@link HttpApiContext.applyServerSide}. */
  applyServerSide(manifest: KubeObject, options: ServerSideApplyOptions): Promise<T> {
    return this.call(
      {
        method: 'PATCH',
        path: this.path(this.named(manifest)),
        body: manifest,
        contentType: 'application/apply-patch+yaml',
        query: { ...writeQuery(options), force: options.force ? 'true' : undefined },
      },
      options.warnings,
    );
  }

  patchStatus(name: string, patch: unknown, type: PatchType = 'merge'): Promise<T> {
    return this.call({ method: 'PATCH', path: this.path(name, 'status'), body: patch, contentType: PATCH_TYPES[type] });
  }

  delete(name: string, options?: DeleteOptions): Promise<T> {
    return this.call({
      method: 'DELETE',
      path: this.path(name),
      body: { apiVersion: 'v1', kind: 'DeleteOptions', ...options },
    });
  }

  getScale(name: string): Promise<Scale> {
    return this.call({ method: 'GET', path: this.path(name, 'scale') });
  }

  updateScale(name: string, scale: Pick<Scale, 'spec'> & { metadata?: Scale['metadata'] }, options?: WriteOptions): Promise<Scale> {
    return this.call(
      {
        method: 'PUT',
        path: this.path(name, 'scale'),
        body: { apiVersion: 'autoscaling/v1', kind: 'Scale', ...scale, metadata: { name, namespace: this.namespace, ...scale.metadata } },
        query: writeQuery(options),
      },
      options?.warnings,
    );
  }
}
