/**
 * The cloud-provider conformance cases of the `volumes` part: what every VolumeProvider must do
 * (provision idempotently, honour the selected node and allowedTopologies in the volume's node
 * affinity, delete idempotently, and, where it offers them, expand, attach and detach).
 */
import { expect } from 'vitest';
import type { VolumeProvider } from '../../cloud-providers/types.js';
import { matchNodeSelectorTerm } from '../../model/node-affinity.js';
import type { Node, PersistentVolume, PersistentVolumeClaim, StorageClass, core } from '../../model/types.js';
import { LABEL_HOSTNAME, PROVISIONED_BY_ANNOTATION } from '../../model/well-known.js';
import type { ConformanceCases } from './cases.js';

/** How the suite gets a volumes part. */
export interface VolumeConformanceOptions {
  /** A fresh volumes part. */
  newVolumes: () => VolumeProvider | Promise<VolumeProvider>;
  /** Releases what it holds after a case. */
  closeVolumes?: (volumes: VolumeProvider) => Promise<void> | void;
}

const ZONE = 'topology.kubernetes.io/zone';

function claim(name: string, size = '1Gi'): PersistentVolumeClaim {
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: { name, namespace: 'default', uid: `uid-${name}` },
    spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: size } } },
  };
}

function storageClass(provisioner: string, allowedTopologies?: core.TopologySelectorTerm[]): StorageClass {
  return {
    apiVersion: 'storage.k8s.io/v1',
    kind: 'StorageClass',
    metadata: { name: 'conformance' },
    provisioner,
    allowVolumeExpansion: true,
    ...(allowedTopologies ? { allowedTopologies } : {}),
  };
}

function node(name: string, labels: Record<string, string>): Node {
  return { apiVersion: 'v1', kind: 'Node', metadata: { name, labels: { [LABEL_HOSTNAME]: name, ...labels } } };
}

/** The PersistentVolume the persistentvolume controller would make of a provisioned volume. */
function volumeOf(name: string, provisioner: string, made: Awaited<ReturnType<VolumeProvider['provision']>>): PersistentVolume {
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolume',
    metadata: { name, annotations: { [PROVISIONED_BY_ANNOTATION]: provisioner } },
    spec: {
      capacity: { storage: '1Gi' },
      accessModes: ['ReadWriteOnce'],
      ...made.source,
      ...(made.nodeAffinity ? { nodeAffinity: made.nodeAffinity } : {}),
    },
  };
}

function usableOn(pv: PersistentVolume, n: Node): boolean {
  const terms = pv.spec?.nodeAffinity?.required?.nodeSelectorTerms;
  return !terms || terms.some((t) => matchNodeSelectorTerm(t, n));
}

/** Registers the volumes group on a suite's cases. */
export function registerVolumeCases(cases: ConformanceCases, options: VolumeConformanceOptions): void {
  const withVolumes = async (fn: (v: VolumeProvider, provisioner: string) => Promise<void>) => {
    const v = await options.newVolumes();
    try {
      await fn(v, v.provisioners[0]!);
    } finally {
      await options.closeVolumes?.(v);
    }
  };
  const provision = (
    v: VolumeProvider,
    p: string,
    name: string,
    extra: { selectedNode?: string; topologies?: core.TopologySelectorTerm[] } = {},
  ) =>
    v.provision({
      volumeName: name,
      claim: claim(name),
      storageClass: storageClass(p, extra.topologies),
      ...(extra.selectedNode ? { selectedNode: extra.selectedNode } : {}),
    });
  cases.group('volumes', (c) => {
    c.case('serves at least one provisioner name', () =>
      withVolumes(async (v) => {
        expect(v.provisioners.length).toBeGreaterThan(0);
      }),
    );
    c.case('provision gives a volume source; the same name twice gives the same volume', () =>
      withVolumes(async (v, p) => {
        const first = await provision(v, p, 'pvc-a');
        expect(Object.keys(first.source).length).toBeGreaterThan(0);
        expect(await provision(v, p, 'pvc-a')).toEqual(first);
      }),
    );
    c.case('a volume for a selected node is usable there', () =>
      withVolumes(async (v, p) => {
        const made = await provision(v, p, 'pvc-b', { selectedNode: 'node-1' });
        expect(usableOn(volumeOf('pvc-b', p, made), node('node-1', {}))).toBe(true);
      }),
    );
    c.case('a volume of a class with allowedTopologies is usable only inside them', () =>
      withVolumes(async (v, p) => {
        const topologies = [{ matchLabelExpressions: [{ key: ZONE, values: ['zone-a'] }] }];
        const pv = volumeOf('pvc-c', p, await provision(v, p, 'pvc-c', { topologies }));
        expect(usableOn(pv, node('in-zone', { [ZONE]: 'zone-a' }))).toBe(true);
        expect(usableOn(pv, node('elsewhere', { [ZONE]: 'zone-b' }))).toBe(false);
      }),
    );
    c.case('delete removes the volume and is idempotent', () =>
      withVolumes(async (v, p) => {
        const pv = volumeOf('pvc-d', p, await provision(v, p, 'pvc-d'));
        await v.delete(pv);
        await v.delete(pv);
      }),
    );
    c.case('expand (where offered) gives at least the size asked for', () =>
      withVolumes(async (v, p) => {
        if (!v.expand) return;
        const pv = volumeOf('pvc-e', p, await provision(v, p, 'pvc-e'));
        const grown = await v.expand(pv, '2Gi');
        expect(grown.capacity).toBe('2Gi');
      }),
    );
    c.case('attach and detach (where offered) are idempotent; detaching what was never attached succeeds', () =>
      withVolumes(async (v, p) => {
        if (!v.attach || !v.detach) return;
        const pv = volumeOf('pvc-f', p, await provision(v, p, 'pvc-f'));
        await v.detach(pv, 'node-1');
        await v.attach(pv, 'node-1');
        await v.attach(pv, 'node-1');
        await v.detach(pv, 'node-1');
        await v.detach(pv, 'node-1');
        await v.delete(pv);
      }),
    );
  });
}
