import { afterEach, describe, expect, it } from 'vitest';
import { Cluster } from '../../../src/cluster/cluster.js';
import { FakeClock } from '../../../src/clock/fake-clock.js';
import { preferredKinds } from '../../../src/client/preferred-kinds.js';
import { apiVersionOf, type ResourceType } from '../../../src/model/resource-type.js';

let cluster: Cluster | undefined;
afterEach(async () => {
  await cluster?.stop();
  cluster = undefined;
});

function type(group: string, version: string, plural: string): ResourceType {
  const kind = plural[0]!.toUpperCase() + plural.slice(1, -1);
  return {
    group,
    version,
    kind,
    plural,
    singular: kind.toLowerCase(),
    namespaced: true,
    nameFormat: 'dns1123-subdomain',
    hasStatus: false,
  };
}

describe('preferredKinds', () => {
  it('keeps the first version of each group and resource, in order, and every other resource', () => {
    const listed = [
      type('autoscaling', 'v2', 'scalers'),
      type('', 'v1', 'pods'),
      type('autoscaling', 'v1', 'scalers'),
      type('other.io', 'v1', 'scalers'),
    ];
    expect(preferredKinds(listed).map((t) => `${apiVersionOf(t)} ${t.plural}`)).toEqual([
      'autoscaling/v2 scalers',
      'v1 pods',
      'other.io/v1 scalers',
    ]);
  });

  it("of the in-process discovery, lists the HorizontalPodAutoscaler once, at autoscaling/v2 (the group's preferred version)", async () => {
    cluster = await Cluster.start({ clock: new FakeClock(), scheduler: false, controllers: false });
    const served = await cluster.context.discover();
    const hpas = (list: ResourceType[]) => list.filter((t) => t.kind === 'HorizontalPodAutoscaler').map(apiVersionOf);
    expect(hpas(served)).toEqual(['autoscaling/v2', 'autoscaling/v1']);
    const preferred = preferredKinds(served);
    expect(hpas(preferred)).toEqual(['autoscaling/v2']);
    expect(preferred).toHaveLength(served.length - 1);
  });
});
