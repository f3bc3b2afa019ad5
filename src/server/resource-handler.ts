/**
 * The verbs of a resource request (get, list, watch, create, update, patch, delete,
 * deletecollection) and its status and scale subresources, over the client contract.
 */
import type { KubeObject } from '../model/types.js';
import type { PrinterColumn, ResourceType } from '../model/resource-type.js';
import { apiVersionOf } from '../model/resource-type.js';
import { TugboatError } from '../model/errors.js';
import { ALL_NAMESPACES, type ApiContext, type ListOptions, type ResourceClient, type WriteOptions } from '../client/types.js';
import { checkDecodedFields } from '../api/field-validation.js';
import type { RequestScope, ResourceRequest } from './request-scope.js';
import { HttpError, sendJson } from './http-status.js';
import { mediaType, parseBody, readBody } from './request-body.js';
import { parseLimit } from './list-paging.js';
import { TABLE_CONTENT_TYPE, toTable, wantsTable, type IncludeObject } from './table.js';
import { streamWatch } from './watch-response.js';
import { deleteOptionsOf, patchTypeOf, setWarnings, userAgentOf, writeOptionsOf } from './write-options.js';
import { scaleHandler } from './scale-subresource.js';
import { serverSideApply } from './server-side-apply.js';
import { handlePodSubresource } from './pod-subresources.js';
import { handleTokenRequest } from './token-subresource.js';

/** The server's limits and clock, as the resource handlers need them. */
export interface ResourceHandlerOptions {
  context: ApiContext;
  maxBodyBytes: number;
  maxWatchBacklog: number;
  bookmarkIntervalMs: number;
  /** Printer columns of CRD kinds, by `group/Kind`. */
  printerColumns(type: ResourceType): readonly PrinterColumn[] | undefined;
}

/** Handles one resource request for a served kind. */
export async function handleResource(
  scope: RequestScope,
  info: ResourceRequest,
  type: ResourceType,
  options: ResourceHandlerOptions,
): Promise<void> {
  const { query } = scope;
  if (type.namespaced && info.namespace === undefined && info.name !== undefined) {
    throw TugboatError.badRequest(`the server could not find the requested resource: ${type.plural} is namespaced; give a namespace`);
  }
  if (!type.namespaced && info.namespace !== undefined) {
    throw TugboatError.notFound({ kind: type.plural, group: type.group }, info.name ?? info.namespace);
  }
  const ns = type.namespaced ? (info.namespace ?? ALL_NAMESPACES) : undefined;
  const client = options.context.client(apiVersionOf(type), type.kind, ns);
  const sub = info.subresource;
  if (sub === 'scale') return scaleHandler(scope, info, type, client, options);
  if ((sub === 'binding' || sub === 'eviction') && type.group === '' && type.kind === 'Pod' && info.namespace && info.name)
    return handlePodSubresource(scope, info, options.context, options.maxBodyBytes);
  if (sub === 'token' && type.group === '' && type.kind === 'ServiceAccount' && info.namespace && info.name)
    return handleTokenRequest(scope, info, options.context, options.maxBodyBytes);
  if (sub !== undefined && sub !== 'status') {
    throw new HttpError(404, 'NotFound', `the server could not find the requested resource (${info.verb} ${type.plural}/${sub})`);
  }
  if (sub === 'status' && !type.hasStatus) {
    throw new HttpError(404, 'NotFound', `the server could not find the requested resource (${info.verb} ${type.plural}/status)`);
  }
  const warnings: string[] = [];
  switch (info.verb) {
    case 'get':
      return sendObject(scope, type, await client.get(info.name!), options);
    case 'list':
      return list(scope, type, client, options);
    case 'watch':
      return watch(scope, type, client, options, info.name);
    case 'create': {
      if (info.name !== undefined)
        throw new HttpError(405, 'MethodNotAllowed', `the server does not allow this method on the requested resource`);
      const wo = writeOptionsOf(query, warnings, userAgentOf(scope), 'CreateOptions');
      const obj = await readObject(scope, options, type, info, wo);
      const created = await client.create(obj, wo);
      setWarnings(scope.res, warnings);
      return sendJson(scope.res, 201, created);
    }
    case 'update': {
      const wo = writeOptionsOf(query, warnings, userAgentOf(scope), 'UpdateOptions');
      const obj = await readObject(scope, options, type, info, wo);
      if (obj.metadata?.name !== info.name) {
        throw TugboatError.badRequest(
          `the name of the object (${obj.metadata?.name ?? ''}) does not match the name on the URL (${info.name})`,
        );
      }
      const exists = sub === 'status' ? true : (await client.find(info.name!)) !== undefined;
      const stored =
        sub === 'status' ? await client.updateStatus(obj, wo) : exists ? await client.update(obj, wo) : await client.create(obj, wo);
      setWarnings(scope.res, warnings);
      return sendJson(scope.res, exists ? 200 : 201, stored);
    }
    case 'patch': {
      const contentType = mediaType(scope.req);
      const patchType = patchTypeOf(contentType);
      const body = parseBody(
        await readBody(scope.req, options.maxBodyBytes),
        patchType === 'apply' ? 'application/yaml' : 'application/json',
      );
      // An apply names its manager itself (required); the other patches default it from the User-Agent.
      const wo = writeOptionsOf(query, warnings, patchType === 'apply' ? undefined : userAgentOf(scope));
      if (patchType === 'apply') {
        const result = await serverSideApply(client, type, info.name!, body, {
          ...wo,
          force: query.get('force') === 'true',
          subresource: sub,
          nowMs: options.context.clock.nowMs(),
        });
        setWarnings(scope.res, warnings);
        return sendJson(scope.res, result.created ? 201 : 200, result.object);
      }
      if (patchType === 'strategic' && !isBuiltin(type)) {
        throw new HttpError(
          415,
          'UnsupportedMediaType',
          `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml`,
        );
      }
      const patched =
        sub === 'status' ? await client.patchStatus(info.name!, body, patchType) : await client.patch(info.name!, body, patchType, wo);
      setWarnings(scope.res, warnings);
      return sendJson(scope.res, 200, patched);
    }
    case 'delete': {
      const raw = await readBody(scope.req, options.maxBodyBytes);
      const opts = deleteOptionsOf(raw.length ? parseBody(raw, 'application/json') : undefined, query);
      if (opts.dryRun) return sendJson(scope.res, 200, await client.get(info.name!));
      const { dryRun: _d, ...deleteOptions } = opts;
      const deleted = await client.delete(info.name!, deleteOptions);
      return sendJson(scope.res, 200, deleted);
    }
    case 'deletecollection': {
      const raw = await readBody(scope.req, options.maxBodyBytes);
      const opts = deleteOptionsOf(raw.length ? parseBody(raw, 'application/json') : undefined, query);
      const { items } = await client.list(selectors(query));
      const { dryRun, ...deleteOptions } = opts;
      const deleted: KubeObject[] = [];
      for (const item of items) {
        if (!dryRun) {
          const scoped = type.namespaced ? options.context.client(apiVersionOf(type), type.kind, item.metadata.namespace) : client;
          deleted.push(
            await scoped
              .delete(item.metadata.name!, deleteOptions)
              .catch((e) => (TugboatError.is(e, 'NotFound') ? item : Promise.reject(e))),
          );
        } else deleted.push(item);
      }
      return sendJson(scope.res, 200, { apiVersion: apiVersionOf(type), kind: `${type.kind}List`, metadata: {}, items: deleted });
    }
    default:
      throw new HttpError(405, 'MethodNotAllowed', `the server does not allow this method on the requested resource`);
  }
}

function isBuiltin(type: ResourceType): boolean {
  return !type.group.includes('.') || type.group.endsWith('.k8s.io');
}

/**
 * The request body as an object of the kind, its namespace checked against the URL's; the
 * fields a protobuf body has that its decoder does not declare are warned about (into
 * `write.warnings`) or refused by `write.fieldValidation`.
 */
async function readObject(
  scope: RequestScope,
  options: ResourceHandlerOptions,
  type: ResourceType,
  info: ResourceRequest,
  write: WriteOptions,
): Promise<KubeObject> {
  const undeclared: string[] = [];
  const body = parseBody(await readBody(scope.req, options.maxBodyBytes), mediaType(scope.req), undeclared);
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw TugboatError.badRequest('the request body must be a JSON object');
  const obj = body as KubeObject;
  if (undeclared.length) write.warnings?.push(...checkDecodedFields(type, obj, undeclared, write.fieldValidation));
  if (obj.kind !== undefined && obj.kind !== type.kind) {
    throw TugboatError.badRequest(`the kind of the object (${obj.kind}) does not match the kind on the URL (${type.kind})`);
  }
  if (obj.apiVersion !== undefined && obj.apiVersion !== apiVersionOf(type)) {
    throw TugboatError.badRequest(
      `the API version of the object (${obj.apiVersion}) does not match the version on the URL (${apiVersionOf(type)})`,
    );
  }
  const bodyNs = obj.metadata?.namespace;
  if (type.namespaced && bodyNs && info.namespace && bodyNs !== info.namespace) {
    throw TugboatError.badRequest('the namespace of the provided object does not match the namespace sent on the request');
  }
  return {
    ...obj,
    apiVersion: apiVersionOf(type),
    kind: type.kind,
    metadata: { ...obj.metadata, ...(type.namespaced && info.namespace ? { namespace: info.namespace } : {}) },
  };
}

/** The label and field selectors of a request's query. */
export function selectors(query: URLSearchParams): ListOptions {
  const labelSelector = query.get('labelSelector') ?? undefined;
  const fieldSelector = query.get('fieldSelector') ?? undefined;
  return { ...(labelSelector ? { labelSelector } : {}), ...(fieldSelector ? { fieldSelector } : {}) };
}

function includeOf(query: URLSearchParams): IncludeObject {
  const v = query.get('includeObject');
  return v === 'None' || v === 'Object' ? v : 'Metadata';
}

async function sendObject(scope: RequestScope, type: ResourceType, obj: KubeObject, options: ResourceHandlerOptions): Promise<void> {
  if (wantsTable(scope.req.headers.accept)) {
    const table = toTable(type, [obj], {
      nowMs: options.context.clock.nowMs(),
      include: includeOf(scope.query),
      printerColumns: options.printerColumns(type),
    });
    return sendJson(scope.res, 200, table, TABLE_CONTENT_TYPE);
  }
  sendJson(scope.res, 200, obj);
}

async function list(scope: RequestScope, type: ResourceType, client: ResourceClient, options: ResourceHandlerOptions): Promise<void> {
  const { query } = scope;
  const limit = parseLimit(query.get('limit'));
  const token = query.get('continue') || undefined;
  // The store pages: every page at the first page's resourceVersion, which the token carries.
  const p = await client.list({ ...selectors(query), ...(limit ? { limit } : {}), ...(token ? { continue: token } : {}) });
  if (wantsTable(scope.req.headers.accept)) {
    const table = toTable(type, p.items, {
      nowMs: options.context.clock.nowMs(),
      include: includeOf(query),
      resourceVersion: p.resourceVersion,
      continue: p.continue,
      printerColumns: options.printerColumns(type),
    });
    return sendJson(scope.res, 200, table, TABLE_CONTENT_TYPE);
  }
  sendJson(scope.res, 200, {
    apiVersion: apiVersionOf(type),
    kind: `${type.kind}List`,
    metadata: {
      resourceVersion: p.resourceVersion,
      ...(p.continue ? { continue: p.continue, remainingItemCount: p.remainingItemCount } : {}),
    },
    items: p.items,
  });
}

async function watch(
  scope: RequestScope,
  type: ResourceType,
  client: ResourceClient,
  options: ResourceHandlerOptions,
  name?: string,
): Promise<void> {
  const { query } = scope;
  const rv = query.get('resourceVersion') ?? '';
  const listOptions = selectors(query);
  if (name) listOptions.fieldSelector = [`metadata.name=${name}`, listOptions.fieldSelector].filter(Boolean).join(',');
  const timeout = Number(query.get('timeoutSeconds') ?? '');
  const table = wantsTable(scope.req.headers.accept);
  const now = () => options.context.clock.nowMs();
  await streamWatch(scope.res, (signal) => client.watch({ ...listOptions, ...(rv && rv !== '0' ? { resourceVersion: rv } : {}), signal }), {
    bookmarks: query.get('allowWatchBookmarks') === 'true',
    bookmarkIntervalMs: options.bookmarkIntervalMs,
    maxBacklog: options.maxWatchBacklog,
    ...(Number.isFinite(timeout) && timeout > 0 ? { timeoutMs: timeout * 1000 } : {}),
    ...(rv && rv !== '0' ? { startVersion: rv } : {}),
    kind: { apiVersion: apiVersionOf(type), kind: type.kind },
    ...(table
      ? {
          contentType: TABLE_CONTENT_TYPE,
          transform: (obj, first) =>
            toTable(type, [obj], {
              nowMs: now(),
              include: includeOf(query),
              noHeaders: !first,
              printerColumns: options.printerColumns(type),
            }),
        }
      : {}),
  });
}
