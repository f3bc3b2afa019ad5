import type { ResourceType } from '../../model/resource-type.js';
import type { HttpTransport } from './transport.js';

interface ApiResource {
  name: string;
  singularName?: string;
  namespaced: boolean;
  kind: string;
  shortNames?: string[];
  verbs?: string[];
}

interface ApiResourceList {
  groupVersion: string;
  resources: ApiResource[];
}

/**
 * The kinds an API server serves, read from its legacy discovery documents (`/api/v1`, `/apis`
 * and each group version), as `kubectl api-resources` reads them. Each kind is described as far
 * as a client needs: its group, version, plural, scope and whether it has a status and a scale
 * subresource (validation and defaulting stay on the server).
 */
export async function discoverKinds(http: HttpTransport): Promise<ResourceType[]> {
  const lists: ApiResourceList[] = [];
  const core = await http.json<{ versions: string[] }>({ method: 'GET', path: '/api' });
  for (const v of core.versions) lists.push(await http.json<ApiResourceList>({ method: 'GET', path: `/api/${v}` }));
  const groups = await http.json<{ groups: { versions: { groupVersion: string }[] }[] }>({ method: 'GET', path: '/apis' });
  for (const g of groups.groups) {
    for (const v of g.versions) lists.push(await http.json<ApiResourceList>({ method: 'GET', path: `/apis/${v.groupVersion}` }));
  }
  const out: ResourceType[] = [];
  for (const list of lists) {
    const [group, version] = list.groupVersion.includes('/') ? list.groupVersion.split('/') : ['', list.groupVersion];
    const subs = new Set(list.resources.filter((r) => r.name.includes('/')).map((r) => r.name));
    for (const r of list.resources) {
      // Create-only virtual resources (the access and subject reviews) are no kind to read or watch,
      // as the in-process API's discovery leaves them out.
      if (r.name.includes('/') || (r.verbs && !r.verbs.includes('list'))) continue;
      out.push({
        group: group!,
        version: version!,
        kind: r.kind,
        plural: r.name,
        singular: r.singularName || r.kind.toLowerCase(),
        ...(r.shortNames?.length ? { shortNames: r.shortNames } : {}),
        namespaced: r.namespaced,
        nameFormat: 'dns1123-subdomain',
        hasStatus: subs.has(`${r.name}/status`),
      });
    }
  }
  return out;
}
