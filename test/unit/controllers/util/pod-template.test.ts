import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { podFromTemplate, podNamePrefix } from '../../../../src/controllers/util/pod-template.js';
import { controllerRef } from '../../../../src/controllers/util/controller-ref.js';
import type { ReplicaSet, core } from '../../../../src/model/types.js';
import { isDns1123Subdomain } from '../../../../src/model/names.js';

const owner: ReplicaSet = { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'web-abc', namespace: 'shop', uid: 'u1' } };
const template: core.PodTemplateSpec = {
  metadata: { labels: { app: 'web' }, annotations: { a: '1' }, finalizers: ['f'], name: 'ignored' },
  spec: { containers: [{ name: 'app', image: 'web:1' }] },
};

describe('podFromTemplate', () => {
  it("copies the template's labels, annotations, finalizers and spec under the owner's controllerRef, with generateName", () => {
    const pod = podFromTemplate(template, owner);
    expect(pod).toEqual({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        generateName: 'web-abc-',
        namespace: 'shop',
        labels: { app: 'web' },
        annotations: { a: '1' },
        finalizers: ['f'],
        ownerReferences: [controllerRef(owner)],
      },
      spec: template.spec,
    });
    // a copy: changing the pod leaves the template alone
    pod.metadata.labels!.app = 'changed';
    pod.spec!.containers[0].image = 'changed';
    expect(template.metadata!.labels!.app).toBe('web');
    expect(template.spec!.containers[0].image).toBe('web:1');
  });

  it('takes a fixed name (no generateName), a given prefix, or no owner reference', () => {
    expect(podFromTemplate(template, owner, { name: 'web-0' }).metadata).toMatchObject({ name: 'web-0' });
    expect(podFromTemplate(template, owner, { name: 'web-0' }).metadata.generateName).toBeUndefined();
    expect(podFromTemplate(template, owner, { generateName: 'job-x-' }).metadata.generateName).toBe('job-x-');
    expect(podFromTemplate(template, owner, { ownerRef: null }).metadata.ownerReferences).toBeUndefined();
    expect(podFromTemplate(undefined, owner).metadata).toEqual({
      generateName: 'web-abc-',
      namespace: 'shop',
      ownerReferences: [controllerRef(owner)],
    });
  });

  it('prefixes with name- while that is a valid generateName, else the name alone', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[a-z0-9]([a-z0-9.-]{0,300}[a-z0-9])?$/), (name) => {
        const prefix = podNamePrefix(name);
        expect(prefix === `${name}-` || prefix === name).toBe(true);
        if (prefix === `${name}-`) expect(isDns1123Subdomain(`${prefix}a`)).toBe(true);
      }),
    );
    expect(podNamePrefix('web')).toBe('web-');
    expect(podNamePrefix('x'.repeat(253))).toBe('x'.repeat(253));
  });
});
