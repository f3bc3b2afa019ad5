/**
 * Fuzz test (fast-check) of malformed input through apply and every client verb: each bad input
 * is rejected with a TugboatError naming a field or a reason, the store is unchanged (a full
 * listing compared), Object.prototype is untouched, and valid controls are accepted.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Cluster } from '../../../src/cluster/cluster.js';
import { TugboatError } from '../../../src/model/errors.js';
import type { KubeObject } from '../../../src/model/types.js';
import type { ResourceClient } from '../../../src/client/types.js';
import { everything } from '../../support/store-listing.js';

type Expected = 'string' | 'int' | 'int64' | 'bool' | 'list' | 'map' | 'intstr' | 'quantity';

/** A typed field of a kind: where it is (path), what its type is, how causes name it. */
interface Target {
  kind: 'Deployment' | 'ConfigMap' | 'Service';
  path: (string | number)[];
  type: Expected;
  field: string;
}

const T = (kind: Target['kind'], dotted: string, type: Expected, field = dotted.replace(/\.(\d+)(?=\.|$)/g, '[$1]')): Target => ({
  kind,
  path: dotted.split('.').map((s) => (/^\d+$/.test(s) ? Number(s) : s)),
  type,
  field,
});

const C0 = 'spec.template.spec.containers.0';
const TARGETS: Target[] = [
  T('Deployment', 'metadata.labels', 'map'),
  T('Deployment', 'metadata.annotations', 'map'),
  T('Deployment', 'metadata.finalizers', 'list'),
  T('Deployment', 'spec.replicas', 'int'),
  T('Deployment', 'spec.paused', 'bool'),
  T('Deployment', 'spec.selector', 'map'),
  T('Deployment', 'spec.minReadySeconds', 'int'),
  T('Deployment', 'spec.strategy.rollingUpdate.maxSurge', 'intstr'),
  T('Deployment', 'spec.template.spec.containers', 'list'),
  T('Deployment', 'spec.template.spec.nodeSelector', 'map'),
  T('Deployment', 'spec.template.spec.terminationGracePeriodSeconds', 'int64'),
  T('Deployment', 'spec.template.spec.hostNetwork', 'bool'),
  T('Deployment', `${C0}.image`, 'string'),
  T('Deployment', `${C0}.args`, 'list'),
  T('Deployment', `${C0}.env`, 'list'),
  T('Deployment', `${C0}.env.0.value`, 'string'),
  T('Deployment', `${C0}.ports.0.containerPort`, 'int'),
  T('Deployment', `${C0}.securityContext.privileged`, 'bool'),
  T('Deployment', `${C0}.resources.limits.cpu`, 'quantity', 'spec.template.spec.containers[0].resources.limits[cpu]'),
  T('ConfigMap', 'data', 'map'),
  T('ConfigMap', 'data.key', 'string', 'data[key]'),
  T('ConfigMap', 'immutable', 'bool'),
  T('ConfigMap', 'metadata.labels.app', 'string', 'metadata.labels[app]'),
  T('Service', 'spec.ports', 'list'),
  T('Service', 'spec.ports.0.port', 'int'),
  T('Service', 'spec.ports.0.targetPort', 'intstr'),
  T('Service', 'spec.type', 'string'),
  T('Service', 'spec.selector', 'map'),
];

const anyString = fc.string({ maxLength: 8 });
const json = fc.jsonValue({ maxDepth: 2 });
const object = fc.dictionary(fc.string({ minLength: 1, maxLength: 4 }), json, { maxKeys: 3 });
const list = fc.array(json, { maxLength: 3 });
const nonInteger = fc.double({ noNaN: true, noDefaultInfinity: true }).filter((n) => !Number.isInteger(n));
const outOfInt32 = fc.oneof(fc.integer({ min: 2 ** 31, max: Number.MAX_SAFE_INTEGER }), fc.constant(-(2 ** 31) - 1), fc.constant(2 ** 53));

/** Values of any JSON type but `type` (and, for numbers, outside the field's range). */
function wrongFor(type: Expected): fc.Arbitrary<unknown> {
  switch (type) {
    case 'string':
      return fc.oneof(fc.integer(), fc.boolean(), list, object);
    case 'int':
      return fc.oneof(anyString, fc.boolean(), list, object, nonInteger, outOfInt32);
    case 'int64':
      return fc.oneof(anyString, fc.boolean(), list, object, nonInteger, fc.constant(2 ** 64), fc.constant(-(2 ** 64)));
    case 'bool':
      return fc.oneof(anyString, fc.integer(), list, object);
    case 'list':
      return fc.oneof(anyString, fc.integer(), fc.boolean(), object);
    case 'map':
      return fc.oneof(anyString, fc.integer(), fc.boolean(), list);
    case 'intstr':
      return fc.oneof(fc.boolean(), list, object, nonInteger, outOfInt32);
    case 'quantity':
      return fc.oneof(fc.boolean(), list, object, fc.constantFrom('lots', 'x', '1.2.3', '--1', '1Zi', 'ten', '1 Gi'));
  }
}

const BASE: Record<Target['kind'], () => KubeObject> = {
  Deployment: () => ({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'fz', labels: { app: 'fz' } },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: 'fz' } },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1 } },
      template: {
        metadata: { labels: { app: 'fz' } },
        spec: {
          containers: [
            {
              name: 'c',
              image: 'nginx',
              env: [{ name: 'A', value: 'a' }],
              ports: [{ containerPort: 80 }],
              resources: { limits: { cpu: '1' } },
            },
          ],
        },
      },
    },
  }),
  ConfigMap: () => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'fz', labels: { app: 'fz' } }, data: { key: 'v' } }),
  Service: () => ({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'fz' },
    spec: { selector: { app: 'fz' }, ports: [{ port: 80, targetPort: 8080 }] },
  }),
};

/** A copy of `obj` with `value` at `path` (intermediate objects and lists created). */
function setAt(obj: unknown, path: (string | number)[], value: unknown): unknown {
  if (path.length === 0) return value;
  const [head, ...rest] = path;
  const base = (obj ?? (typeof head === 'number' ? [] : {})) as Record<string | number, unknown>;
  const copy = (Array.isArray(base) ? [...base] : { ...base }) as Record<string | number, unknown>;
  copy[head] = setAt(base[head], rest, value);
  return copy;
}

/** A merge patch setting `value` at `path` (lists patched whole, as a merge patch does). */
function mergePatchFor(base: KubeObject, path: (string | number)[], value: unknown): unknown {
  const i = path.findIndex((p) => typeof p === 'number');
  if (i < 0) return setAt({}, path, value);
  const listPath = path.slice(0, i);
  const list = listPath.reduce<unknown>((o, k) => (o as Record<string, unknown>)?.[k], base);
  return setAt({}, listPath, setAt(list, path.slice(i), value));
}

const VERBS = ['apply', 'create', 'update', 'merge', 'strategic', 'json'] as const;
type Verb = (typeof VERBS)[number];

const BAD_NAMES = fc.oneof(
  fc.constantFrom('Bad Name!', 'UPPER', '-lead', 'trail-', 'a..b', 'x'.repeat(254), 'under_score', 'dot.', ''),
  fc.string({ minLength: 1, maxLength: 6 }).filter((s) => /[^a-z0-9.-]/.test(s)),
);

const counts = { tried: 0, rejected: 0, accepted: 0, controls: 0 };

describe('fuzz: malformed input through apply and every client verb', () => {
  let cluster: Cluster;
  const client = (kind: Target['kind']): ResourceClient =>
    kind === 'Deployment' ? cluster.deployments() : kind === 'ConfigMap' ? cluster.configMaps() : cluster.services();
  const prototypeBefore = Object.getOwnPropertyNames(Object.prototype).sort().join();

  beforeAll(async () => {
    cluster = await Cluster.start({ controllers: false, scheduler: false });
    for (const kind of Object.keys(BASE) as Target['kind'][]) await cluster.apply(BASE[kind]());
  });
  afterAll(async () => {
    await cluster.stop();
    console.log(
      `fuzz bad input: ${counts.tried} inputs tried, ${counts.rejected} rejected, ${counts.accepted} accepted (${counts.controls} valid controls, all accepted)`,
    );
  });

  /** Runs one bad input: it must fail with a TugboatError naming something, and change nothing. */
  async function expectRejected(run: () => Promise<unknown>, field?: string | RegExp): Promise<void> {
    counts.tried++;
    const before = await everything(cluster);
    let error: unknown;
    try {
      await run();
    } catch (err) {
      error = err;
    }
    if (error === undefined) counts.accepted++;
    expect(error, 'a bad input was accepted').toBeInstanceOf(TugboatError);
    counts.rejected++;
    const err = error as TugboatError;
    expect(err.reason).toBeTruthy();
    expect(err.message.length).toBeGreaterThan(0);
    if (typeof field === 'string') expect(err.causes.map((c) => c.field)).toContain(field);
    else if (field)
      expect(
        err.causes.some((c) => field.test(c.field)),
        `no cause matches ${field}: ${err.message}`,
      ).toBe(true);
    expect(await everything(cluster)).toBe(before);
    expect(Object.getOwnPropertyNames(Object.prototype).sort().join()).toBe(prototypeBefore);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  }

  async function send(verb: Verb, target: Target, value: unknown): Promise<unknown> {
    const c = client(target.kind);
    const base = BASE[target.kind]();
    switch (verb) {
      case 'apply':
        return cluster.apply(setAt(base, target.path, value) as KubeObject);
      case 'create':
        return c.create(setAt({ ...base, metadata: { ...base.metadata, name: 'fz-new' } }, target.path, value) as KubeObject);
      case 'update': {
        const live = await c.get('fz');
        return c.update(setAt(JSON.parse(JSON.stringify(live)), target.path, value) as KubeObject);
      }
      case 'merge':
      case 'strategic':
        return c.patch('fz', mergePatchFor(base, target.path, value), verb);
      case 'json':
        return c.patch('fz', [{ op: 'add', path: `/${target.path.join('/')}`, value }], 'json');
    }
  }

  it('rejects a wrongly typed field through every write verb, naming the field', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...TARGETS).chain((t) => fc.tuple(fc.constant(t), wrongFor(t.type), fc.constantFrom(...VERBS))),
        async ([target, value, verb]) => {
          // A JSON patch into a list item that does not exist fails on the path, not the type; a
          // strategic patch may merge the bad list item in beside the old one (another index).
          const tail = target.field.replace(/^.*\]/, '');
          const field =
            verb === 'json'
              ? undefined
              : verb === 'strategic' && tail !== target.field
                ? new RegExp(`${tail.replace(/[.[\]]/g, '\\$&')}$`)
                : target.field;
          await expectRejected(() => send(verb, target, value), field);
        },
      ),
      { numRuns: 250 },
    );
  });

  it('rejects bad names, hostile keys, bad patches, status writes, delete options and selectors', async () => {
    const hostile = fc.oneof(
      BAD_NAMES.map((name) => ({ run: () => cluster.apply({ ...BASE.ConfigMap(), metadata: { name } }) })),
      BAD_NAMES.map((name) => ({ run: () => cluster.configMaps().create({ metadata: { name: name as string } }) })),
      fc.constantFrom('__proto__', 'constructor', 'prototype').map((key) => ({
        run: () => cluster.configMaps().patch('fz', [{ op: 'add', path: `/metadata/${key}/polluted`, value: 'yes' }], 'json'),
      })),
      fc
        .constantFrom<unknown>(
          null,
          5,
          'x',
          [null],
          [{}],
          [{ op: 'add' }],
          [{ op: 'bogus', path: '/a' }],
          [{ op: 'add', path: 'no-slash', value: 1 }],
        )
        .map((ops) => ({
          run: () => cluster.configMaps().patch('fz', ops as never, 'json'),
        })),
      fc.constantFrom('01', '-1', '1.0', '+1', '99').map((index) => ({
        run: () => cluster.services().patch('fz', [{ op: 'replace', path: `/spec/ports/${index}/port`, value: 81 }], 'json'),
      })),
      fc
        .tuple(
          fc.constantFrom('replicas', 'readyReplicas', 'availableReplicas', 'updatedReplicas', 'observedGeneration'),
          fc.oneof(fc.integer({ min: -1000, max: -1 }), anyString, list),
        )
        .map(([field, value]) => ({
          run: async () =>
            cluster.deployments().updateStatus({ ...(await cluster.deployments().get('fz')), status: { [field]: value } } as never),
        })),
      fc.oneof(anyString, fc.integer(), object).map((conditions) => ({
        run: async () =>
          cluster.deployments().updateStatus({ ...(await cluster.deployments().get('fz')), status: { conditions } } as never),
      })),
      fc
        .oneof(
          fc.record({ gracePeriodSeconds: fc.oneof(anyString, nonInteger, list, object, fc.boolean()) }),
          fc.record({
            propagationPolicy: fc.oneof(
              anyString.filter((s) => !['Background', 'Foreground', 'Orphan'].includes(s)),
              fc.integer(),
            ),
          }),
          fc.record({ preconditions: fc.oneof(anyString, fc.record({ uid: fc.integer() })) }),
        )
        .map((options) => ({ run: () => cluster.configMaps().delete('fz', options as never) })),
      fc
        .oneof(
          fc.constantFrom('spec.bogus=x', 'status.phase=Running', 'metadata.labels=x', 'a=b=c', '=x'),
          anyString.map((s) => `x${s}.y=z`),
        )
        .map((fieldSelector) => ({
          run: () => cluster.deployments().list({ fieldSelector }),
        })),
      fc
        .constantFrom('a in (', 'a,,b', '!', 'a=b=c', 'UPPER CASE=x')
        .map((labelSelector) => ({ run: () => cluster.configMaps().list({ labelSelector }) })),
      fc.integer({ min: 1_000_000, max: 2 ** 40 }).map((rv) => ({
        run: async () => {
          for await (const _ of cluster.configMaps().watch({ resourceVersion: String(rv) })) break;
        },
      })),
      fc.constantFrom(99, -1, 1.5).map((revision) => ({ run: () => cluster.rollout('default', 'fz').undo(revision) })),
      fc
        .oneof(anyString, nonInteger, fc.integer({ max: -1 }))
        .map((replicas) => ({ run: () => cluster.scale('default', 'Deployment', 'fz', replicas as never) })),
    );
    await fc.assert(
      fc.asyncProperty(hostile, async ({ run }) => {
        await expectRejected(run);
      }),
      { numRuns: 250 },
    );
  });

  it('accepts valid controls through the same verbs', async () => {
    const label = fc.stringMatching(/^[a-z0-9]([a-z0-9-]{0,8}[a-z0-9])?$/);
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...VERBS), label, fc.integer({ min: 0, max: 50 }), async (verb, value, replicas) => {
        counts.controls++;
        counts.tried++;
        const c = cluster.deployments();
        if (verb === 'apply') await cluster.apply(setAt(BASE.Deployment(), ['metadata', 'labels', 'v'], value) as KubeObject);
        else if (verb === 'create') {
          await c.create(setAt(BASE.Deployment(), ['metadata', 'name'], `fz-${value}`) as never).catch((err: unknown) => {
            if (!TugboatError.is(err, 'AlreadyExists')) throw err;
          });
        } else if (verb === 'update')
          await c.update(setAt(JSON.parse(JSON.stringify(await c.get('fz'))), ['spec', 'replicas'], replicas) as never);
        else if (verb === 'json') await c.patch('fz', [{ op: 'replace', path: '/spec/replicas', value: replicas }], 'json');
        else await c.patch('fz', { metadata: { labels: { v: value } }, spec: { replicas } }, verb);
        counts.accepted++;
      }),
      { numRuns: 60 },
    );
  });
});
