import { describe, expect, it } from 'vitest';
import { DaemonSetType, DeploymentType, ReplicaSetType, StatefulSetType } from '../../../../src/model/kinds/index.js';
import { deployment, edit, fields } from './fixtures.js';

describe('Deployment validation', () => {
  it('accepts a valid deployment', () => {
    expect(DeploymentType.validate!(deployment() as never)).toEqual({ causes: [], warnings: [] });
  });

  it.each<[string, (d: any) => void, string[]]>([
    ['selector missing', (d) => delete d.spec.selector, ['spec.selector']],
    ['empty selector', (d) => (d.spec.selector = {}), ['spec.selector']],
    ['selector not matching labels', (d) => (d.spec.selector.matchLabels.app = 'db'), ['spec.template.metadata.labels']],
    [
      'matchExpressions not matching',
      (d) => (d.spec.selector = { matchExpressions: [{ key: 'tier', operator: 'Exists' }] }),
      ['spec.template.metadata.labels'],
    ],
    [
      'bad selector operator',
      (d) => (d.spec.selector = { matchExpressions: [{ key: 'app', operator: 'Near' }] }),
      ['spec.selector.matchExpressions[0].operator'],
    ],
    ['negative replicas', (d) => (d.spec.replicas = -1), ['spec.replicas']],
    ['restartPolicy Never', (d) => (d.spec.template.spec.restartPolicy = 'Never'), ['spec.template.spec.restartPolicy']],
    ['image missing', (d) => delete d.spec.template.spec.containers[0].image, ['spec.template.spec.containers[0].image']],
    ['bad strategy type', (d) => (d.spec.strategy = { type: 'BlueGreen' }), ['spec.strategy.type']],
    [
      'maxSurge and maxUnavailable both 0',
      (d) => (d.spec.strategy = { type: 'RollingUpdate', rollingUpdate: { maxSurge: 0, maxUnavailable: '0%' } }),
      ['spec.strategy.rollingUpdate.maxUnavailable'],
    ],
    [
      'maxUnavailable above 100%',
      (d) => (d.spec.strategy = { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: '120%' } }),
      ['spec.strategy.rollingUpdate.maxUnavailable'],
    ],
    [
      'maxSurge not a percent',
      (d) => (d.spec.strategy = { rollingUpdate: { maxSurge: 'lots' } }),
      ['spec.strategy.rollingUpdate.maxSurge'],
    ],
    [
      'Recreate with rollingUpdate',
      (d) => (d.spec.strategy = { type: 'Recreate', rollingUpdate: { maxSurge: 1 } }),
      ['spec.strategy.rollingUpdate'],
    ],
    [
      'progress deadline not above minReady',
      (d) => Object.assign(d.spec, { minReadySeconds: 10, progressDeadlineSeconds: 10 }),
      ['spec.progressDeadlineSeconds'],
    ],
    ['bad name', (d) => (d.metadata.name = 'Web'), ['metadata.name']],
  ])('%s', (_n, change, expected) => {
    expect(fields(DeploymentType, edit(deployment(), change))).toEqual(expected);
  });

  it('says a required selector is required', () => {
    const [c] = DeploymentType.validate!(edit(deployment(), (d) => delete d.spec.selector) as never).causes;
    expect(c).toEqual({ field: 'spec.selector', message: 'Required value', reason: 'FieldValueRequired' });
  });

  it('rejects a selector change on update, accepts a template change', () => {
    const old = deployment();
    expect(
      fields(
        DeploymentType,
        edit(old, (d) => (d.spec.template.spec.containers[0].image = 'x:2')),
        old,
      ),
    ).toEqual([]);
    const moved = edit(old, (d) => {
      d.spec.selector.matchLabels.tier = 'a';
      d.spec.template.metadata.labels.tier = 'a';
    });
    expect(fields(DeploymentType, moved, old)).toEqual(['spec.selector']);
  });

  it('warns about a misspelt field', () => {
    const d = edit(deployment(), (x) => (x.spec.replica = 3));
    expect(DeploymentType.validate!(d as never).warnings).toEqual(['unknown field "spec.replica"']);
  });

  it('does not look for unknown fields again in an object the caller pruned', () => {
    const d = edit(deployment(), (x) => (x.spec.replica = 3));
    expect(DeploymentType.validate!(d as never, undefined, { pruned: true }).warnings).toEqual([]);
  });
});

const asKind = (kind: string, apiVersion = 'apps/v1') => edit(deployment(), (d) => Object.assign(d, { kind, apiVersion }));

describe('ReplicaSet, StatefulSet, DaemonSet', () => {
  it('share the selector and template checks', () => {
    for (const rt of [ReplicaSetType, StatefulSetType, DaemonSetType]) {
      const obj = edit(asKind(rt.kind), (d) => {
        delete d.spec.strategy;
        if (rt.kind === 'DaemonSet') delete d.spec.replicas;
      });
      expect(fields(rt, obj)).toEqual([]);
      expect(
        fields(
          rt,
          edit(obj, (d) => delete d.spec.selector),
        ),
      ).toEqual(['spec.selector']);
    }
  });

  it('StatefulSet: policy enums and update rules', () => {
    const sts = asKind('StatefulSet');
    expect(
      fields(
        StatefulSetType,
        edit(sts, (s) => (s.spec.podManagementPolicy = 'Random')),
      ),
    ).toEqual(['spec.podManagementPolicy']);
    expect(
      fields(
        StatefulSetType,
        edit(sts, (s) => (s.spec.updateStrategy = { type: 'Rolling' })),
      ),
    ).toEqual(['spec.updateStrategy.type']);
    expect(
      fields(
        StatefulSetType,
        edit(sts, (s) => (s.spec.replicas = 5)),
        sts,
      ),
    ).toEqual([]);
    expect(
      fields(
        StatefulSetType,
        edit(sts, (s) => (s.spec.serviceName = 'other')),
        sts,
      ),
    ).toEqual(['spec']);
  });

  it('DaemonSet: maxUnavailable 0 with maxSurge 0 is invalid, and the selector is immutable', () => {
    const ds = edit(asKind('DaemonSet'), (d) => delete d.spec.replicas);
    const bad = edit(ds, (d) => (d.spec.updateStrategy = { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 0 } }));
    expect(fields(DaemonSetType, bad)).toEqual(['spec.updateStrategy.rollingUpdate.maxUnavailable']);
    expect(
      fields(
        DaemonSetType,
        edit(ds, (d) => (d.spec.selector = { matchLabels: { app: 'web', x: 'y' } })),
        ds,
      ),
    ).toEqual(['spec.template.metadata.labels', 'spec.selector']);
    expect(DaemonSetType.validate!(edit(ds, (d) => (d.spec.replicas = 3)) as never).warnings).toEqual(['unknown field "spec.replicas"']);
  });
});

describe('StatefulSet volumeClaimTemplates', () => {
  const sts = (mount: string) => ({
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name: 'web', namespace: 'default' },
    spec: {
      serviceName: 'web',
      selector: { matchLabels: { app: 'web' } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: {
          restartPolicy: 'Always',
          containers: [{ name: 'web', image: 'nginx', volumeMounts: [{ name: mount, mountPath: '/www' }] }],
        },
      },
      volumeClaimTemplates: [{ metadata: { name: 'www' }, spec: { accessModes: ['ReadWriteOnce'] } }],
    },
  });

  it('lets containers mount a claim template volume, as the controller adds it to every pod', () => {
    expect(StatefulSetType.validate!(sts('www') as never).causes).toEqual([]);
  });

  it('still rejects a mount of a volume that is neither in the spec nor a claim template', () => {
    expect(fields(StatefulSetType, sts('data'))).toEqual(['spec.template.spec.containers[0].volumeMounts[0].name']);
  });
});
