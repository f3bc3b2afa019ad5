import { describe, expect, it } from 'vitest';
import { ownedPodsWatch, ownerKey } from '../../../../src/controllers/util/owned-pods.js';
import { controllerRef } from '../../../../src/controllers/util/controller-ref.js';
import type { CacheReader } from '../../../../src/controllers/runtime/types.js';
import type { KubeObject, Pod, ReplicaSet } from '../../../../src/model/types.js';

const rs = (name: string, app: string): ReplicaSet =>
  ({
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: { name, namespace: 'ns', uid: `u-${name}` },
    spec: { selector: { matchLabels: { app } } },
  }) as ReplicaSet;
const pod = (name: string, labels: Record<string, string>, owner?: KubeObject, extra: Partial<Pod['metadata']> = {}): Pod =>
  ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'ns', labels, ownerReferences: owner ? [controllerRef(owner)] : undefined, ...extra },
  }) as Pod;

describe('ownedPodsWatch', () => {
  const owners = [rs('web', 'web'), rs('db', 'db')];
  const cache = { list: async () => owners } as unknown as CacheReader;

  it('maps an owned pod to its owner and notes creations and deletions; an orphan to the owners that would adopt it', async () => {
    const seen: string[] = [];
    const watch = ownedPodsWatch<ReplicaSet>({
      owner: { apiVersion: 'apps/v1', kind: 'ReplicaSet' },
      expectations: { creationObserved: (k) => seen.push(`created ${k}`), deletionObserved: (k, n) => seen.push(`deleted ${k} ${n}`) },
      adopts: (o, p) => o.spec?.selector?.matchLabels?.app === p.metadata.labels?.app,
      observed: (k, p, change) => seen.push(`observed ${k} ${p.metadata.name} ${change}`),
    });
    expect(watch.kind).toBe('Pod');
    expect(await watch.map(pod('a', { app: 'web' }, owners[0]), cache, 'ADDED')).toEqual([{ namespace: 'ns', name: 'web' }]);
    expect(await watch.map(pod('a', { app: 'web' }, owners[0], { deletionTimestamp: '2026-01-01T00:00:00Z' }), cache, 'MODIFIED')).toEqual([
      { namespace: 'ns', name: 'web' },
    ]);
    expect(seen).toEqual(['created ns/web', 'observed ns/web a ADDED', 'deleted ns/web a', 'observed ns/web a MODIFIED']);
    expect(await watch.map(pod('b', { app: 'db' }), cache, 'ADDED')).toEqual([{ namespace: 'ns', name: 'db' }]);
    expect(await watch.map(pod('b', { app: 'db' }), cache, 'DELETED')).toEqual([]);
    const otherKind = { apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 's', uid: 'u-s' } } as KubeObject;
    expect(await watch.map(pod('c', { app: 'web' }, otherKind), cache, 'ADDED')).toEqual([]);
    expect(ownerKey(undefined, 'x')).toBe('/x');
  });
});
