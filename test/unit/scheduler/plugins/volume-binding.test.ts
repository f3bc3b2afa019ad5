/** VolumeBinding: missing, deleting and unbound claims, WaitForFirstConsumer, and volume node affinity. */
import { describe, expect, it } from 'vitest';
import type { Node, PersistentVolume, PersistentVolumeClaim, Pod, StorageClass } from '../../../../src/model/types.js';
import { volumeBindingPlugin } from '../../../../src/scheduler/plugins/volume-binding.js';
import { CycleState, type NodeInfo } from '../../../../src/scheduler/types.js';

const claim = (name: string, f: { volumeName?: string; cls?: string; deleting?: boolean } = {}): PersistentVolumeClaim => ({
  apiVersion: 'v1',
  kind: 'PersistentVolumeClaim',
  metadata: { name, namespace: 'default', ...(f.deleting ? { deletionTimestamp: '2026-01-01T00:00:00Z' } : {}) },
  spec: { ...(f.volumeName ? { volumeName: f.volumeName } : {}), ...(f.cls ? { storageClassName: f.cls } : {}) },
  status: { phase: f.volumeName ? 'Bound' : 'Pending' },
});
const pod = (...claims: string[]): Pod => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'p', namespace: 'default' },
  spec: { containers: [{ name: 'c', image: 'i' }], volumes: claims.map((c) => ({ name: c, persistentVolumeClaim: { claimName: c } })) },
});
const node = (name: string): NodeInfo =>
  ({ name, node: { apiVersion: 'v1', kind: 'Node', metadata: { name, labels: { 'kubernetes.io/hostname': name } } } as Node }) as NodeInfo;

const claims = new Map([
  ['bound', claim('bound', { volumeName: 'pv-a' })],
  ['late', claim('late', { cls: 'wffc' })],
  ['now', claim('now', { cls: 'standard' })],
  ['going', claim('going', { deleting: true })],
]);
const volumes = new Map<string, PersistentVolume>([
  [
    'pv-a',
    {
      apiVersion: 'v1',
      kind: 'PersistentVolume',
      metadata: { name: 'pv-a' },
      spec: {
        nodeAffinity: {
          required: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: ['a'] }] }] },
        },
      },
    },
  ],
]);
const classes = new Map<string, StorageClass>([
  [
    'wffc',
    {
      apiVersion: 'storage.k8s.io/v1',
      kind: 'StorageClass',
      metadata: { name: 'wffc' },
      provisioner: 'x',
      volumeBindingMode: 'WaitForFirstConsumer',
    },
  ],
  [
    'standard',
    {
      apiVersion: 'storage.k8s.io/v1',
      kind: 'StorageClass',
      metadata: { name: 'standard' },
      provisioner: 'x',
      volumeBindingMode: 'Immediate',
    },
  ],
]);
const plugin = volumeBindingPlugin({
  claim: (_ns, n) => claims.get(n),
  volume: (n) => volumes.get(n),
  storageClass: (n) => classes.get(n),
});

describe('VolumeBinding', () => {
  it.each([
    [['missing'], 'UnschedulableAndUnresolvable', 'persistentvolumeclaim "missing" not found'],
    [['going'], 'UnschedulableAndUnresolvable', 'persistentvolumeclaim "going" is being deleted'],
    [['now'], 'UnschedulableAndUnresolvable', 'pod has unbound immediate PersistentVolumeClaims'],
    [['late'], 'Success', undefined],
    [['bound', 'late'], 'Success', undefined],
    [[], 'Skip', undefined],
  ])('preFilter %j -> %s', (names, code, reason) => {
    const s = plugin.preFilter(pod(...names), new CycleState(), undefined as never);
    expect(s.code).toBe(code);
    expect(s.reasons[0]).toBe(reason);
  });

  it('filters nodes by the bound volume node affinity', () => {
    const state = new CycleState();
    plugin.preFilter(pod('bound'), state, undefined as never);
    expect(plugin.filter(pod('bound'), node('a'), state).code).toBe('Success');
    expect(plugin.filter(pod('bound'), node('b'), state).reasons).toEqual(['node(s) had volume node affinity conflict']);
  });
});
