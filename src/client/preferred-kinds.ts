import type { ResourceType } from '../model/resource-type.js';

/**
 * One entry per resource: of the kinds `ApiContext.discover()` lists, the first version of each
 * group and resource (discovery lists a group's preferred version first). A kind served at two
 * versions (autoscaling/v2 and v1 HorizontalPodAutoscaler) is one collection of objects, so a
 * component acting on every kind (the garbage collector, the namespace controller) watches and
 * deletes it once, at its preferred version, as Kubernetes' ServerPreferredResources gives it.
 */
export function preferredKinds(types: readonly ResourceType[]): ResourceType[] {
  const seen = new Set<string>();
  const out: ResourceType[] = [];
  for (const t of types) {
    const key = `${t.group}/${t.plural}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(t);
  }
  return out;
}
