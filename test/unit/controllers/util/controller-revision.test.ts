import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  controllerRevisionName,
  equalRevision,
  findEqualRevisions,
  hashControllerRevision,
  newControllerRevision,
  nextRevision,
  sortRevisions,
  templateOfRevision,
} from '../../../../src/controllers/util/controller-revision.js';
import { controllerRef } from '../../../../src/controllers/util/controller-ref.js';
import type { ControllerRevision, KubeObject, core } from '../../../../src/model/types.js';

const owner: KubeObject = { apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'db', namespace: 'a', uid: 'u1' } };
const template = (image: string): core.PodTemplateSpec => ({
  metadata: { labels: { app: 'db' } },
  spec: { containers: [{ name: 'db', image }] },
});

describe('ControllerRevision helpers', () => {
  it('newControllerRevision records the template as a replace patch, labelled, owned and named by its hash', () => {
    const rev = newControllerRevision(owner, template('pg:16'), 3);
    const hash = hashControllerRevision(rev);
    expect(rev).toMatchObject({
      apiVersion: 'apps/v1',
      kind: 'ControllerRevision',
      revision: 3,
      metadata: {
        name: `db-${hash}`,
        namespace: 'a',
        labels: { app: 'db', 'controller-revision-hash': hash },
        ownerReferences: [controllerRef(owner)],
      },
      data: { spec: { template: { ...template('pg:16'), $patch: 'replace' } } },
    });
    expect(templateOfRevision(rev)).toEqual(template('pg:16'));
    expect(newControllerRevision(owner, template('pg:16'), 4).metadata.name).toBe(rev.metadata.name);
    expect(newControllerRevision(owner, template('pg:16'), 3, 1).metadata.name).not.toBe(rev.metadata.name);
    expect(newControllerRevision(owner, template('pg:17'), 3).metadata.name).not.toBe(rev.metadata.name);
  });

  it('equalRevision and findEqualRevisions compare data only', () => {
    const a = newControllerRevision(owner, template('pg:16'), 1);
    const b = newControllerRevision(owner, template('pg:16'), 2, 5);
    const c = newControllerRevision(owner, template('pg:17'), 3);
    expect(equalRevision(a, b)).toBe(true);
    expect(equalRevision(a, c)).toBe(false);
    expect(equalRevision(undefined, undefined)).toBe(true);
    expect(equalRevision(a, undefined)).toBe(false);
    expect(findEqualRevisions([a, b, c], newControllerRevision(owner, template('pg:16'), 9))).toEqual([a, b]);
  });

  it('sortRevisions orders by revision, then creation, then name; nextRevision follows the highest', () => {
    const rev = fc.record({
      revision: fc.integer({ min: 1, max: 4 }),
      created: fc.integer({ min: 0, max: 3 }),
      name: fc.constantFrom('a', 'b', 'c'),
    });
    fc.assert(
      fc.property(fc.array(rev, { maxLength: 8 }), (specs) => {
        const revisions: ControllerRevision[] = specs.map((s) => ({
          apiVersion: 'apps/v1',
          kind: 'ControllerRevision',
          revision: s.revision,
          metadata: { name: s.name, creationTimestamp: new Date(Date.UTC(2026, 0, 1, 0, 0, s.created)).toISOString() },
        }));
        const sorted = sortRevisions(revisions);
        expect(sorted).toHaveLength(revisions.length);
        const key = (r: ControllerRevision) => [r.revision, Date.parse(r.metadata.creationTimestamp!), r.metadata.name!] as const;
        for (let i = 1; i < sorted.length; i++) {
          const [ra, ta, na] = key(sorted[i - 1]);
          const [rb, tb, nb] = key(sorted[i]);
          expect(ra < rb || (ra === rb && (ta < tb || (ta === tb && na <= nb)))).toBe(true);
        }
        expect(nextRevision(revisions)).toBe(Math.max(0, ...specs.map((s) => s.revision)) + 1);
      }),
    );
    expect(nextRevision([])).toBe(1);
  });

  it('cuts a long prefix so the name stays valid', () => {
    expect(controllerRevisionName('x'.repeat(300), 'abc')).toBe(`${'x'.repeat(223)}-abc`);
    expect(controllerRevisionName('db', 'abc')).toBe('db-abc');
  });
});
