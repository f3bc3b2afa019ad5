import { describe, expect, it } from 'vitest';
import { parseSelector } from '../../../../src/model/selector.js';
import { claimCandidates } from '../../../../src/controllers/util/claim-candidates.js';
import { classifyClaims } from '../../../../src/controllers/util/claim.js';
import type { CacheReader } from '../../../../src/controllers/runtime/types.js';
import type { KubeObject } from '../../../../src/model/types.js';

const KIND = { apiVersion: 'v1', kind: 'Pod' };

function obj(name: string, labels: Record<string, string>, owner?: string, ns = 'a'): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: ns,
      uid: `uid-${name}`,
      labels,
      ...(owner ? { ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: owner, uid: owner, controller: true }] } : {}),
    },
  };
}

/** A cache over a fixed list, answering as the informer does (the kind is named by a KindRef or by apiVersion and kind: the last argument is what counts). */
function cacheOf(objects: KubeObject[]): CacheReader {
  const cache = {
    get: async () => undefined,
    list: async (...args: unknown[]) => {
      const o = (typeof args[args.length - 1] === 'object' ? args[args.length - 1] : undefined) as
        | { namespace?: string; labelSelector?: never }
        | undefined;
      return objects.filter(
        (x) =>
          (!o?.namespace || x.metadata.namespace === o.namespace) &&
          (!o?.labelSelector || parseSelector(o.labelSelector).matches(x.metadata.labels)),
      );
    },
    ownedBy: async (...args: unknown[]) => objects.filter((x) => x.metadata.ownerReferences?.some((r) => r.uid === args[args.length - 1])),
  };
  return cache as unknown as CacheReader;
}

describe('claimCandidates', () => {
  it('yields the same claims as classifying every object of the namespace, each candidate once', async () => {
    const objects = [
      obj('owned-match', { app: 'web' }, 'rs1'),
      obj('owned-relabelled', { app: 'other' }, 'rs1'),
      obj('orphan-match', { app: 'web' }),
      obj('orphan-other', { app: 'db' }),
      obj('foreign', { app: 'web' }, 'rs2'),
      obj('other-ns', { app: 'web' }, undefined, 'b'),
    ];
    const owner = { uid: 'rs1', namespace: 'a', selector: { matchLabels: { app: 'web' } } };
    const candidates = await claimCandidates(cacheOf(objects), KIND, owner);
    expect(new Set(candidates.map((c) => c.metadata.name)).size).toBe(candidates.length);
    const viaIndex = classifyClaims(owner, owner.selector, candidates);
    const viaScan = classifyClaims(owner, owner.selector, objects);
    const names = (d: typeof viaScan) => ({
      owned: d.owned.map((o) => o.metadata.name).sort(),
      adopt: d.adopt.map((o) => o.metadata.name).sort(),
      release: d.release.map((o) => o.metadata.name).sort(),
    });
    expect(names(viaIndex)).toEqual(names(viaScan));
    expect(names(viaIndex)).toEqual({ owned: ['owned-match'], adopt: ['orphan-match'], release: ['owned-relabelled'] });
  });

  it('without a selector reads only the owned objects', async () => {
    const objects = [obj('owned', { app: 'web' }, 'rs1'), obj('orphan', { app: 'web' })];
    expect((await claimCandidates(cacheOf(objects), KIND, { uid: 'rs1', namespace: 'a' })).map((o) => o.metadata.name)).toEqual(['owned']);
  });
});
