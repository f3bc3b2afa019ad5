/**
 * CRDs through kubectl as with kube-apiserver: `kubectl explain` reads a CRD's structural schema
 * (descriptions included) from the OpenAPI v3 document of its group/version, which follows CRDs
 * being created and deleted; `kubectl get` prints the served version's additionalPrinterColumns.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Cluster } from '../../../src/cluster/cluster.js';
import { type Kubectl, kubectlAvailable, startServedKubectl, stopServedKubectl } from '../../support/kubectl.js';

const CRD = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: crontabs.stable.example.com}
spec:
  group: stable.example.com
  scope: Namespaced
  names: {plural: crontabs, singular: crontab, kind: CronTab, shortNames: [ct]}
  versions:
    - name: v1
      served: true
      storage: true
      additionalPrinterColumns:
        - {name: Spec, type: string, jsonPath: .spec.cronSpec, description: the schedule}
        - {name: Replicas, type: integer, jsonPath: .spec.replicas}
        - {name: Ready, type: string, jsonPath: '.status.conditions[?(@.type=="Ready")].status'}
        - {name: Paused, type: boolean, jsonPath: .spec.paused, priority: 1}
        - {name: Age, type: date, jsonPath: .metadata.creationTimestamp}
      subresources: {status: {}}
      schema:
        openAPIV3Schema:
          type: object
          description: A CronTab runs an image on a schedule.
          properties:
            spec:
              type: object
              description: What to run and when.
              properties:
                cronSpec: {type: string, description: 'The schedule, in cron format.'}
                image: {type: string}
                replicas: {type: integer}
                paused: {type: boolean}
            status:
              type: object
              properties:
                conditions:
                  type: array
                  items:
                    type: object
                    properties: {type: {type: string}, status: {type: string}}
`;

describe.skipIf(!kubectlAvailable())('kubectl: CRDs in explain and get', () => {
  let cluster: Cluster;
  let k: Kubectl;

  beforeAll(async () => {
    ({ cluster, k } = await startServedKubectl());
  });
  afterAll(() => stopServedKubectl({ cluster, k }));

  it('explain shows a CRD schema with its descriptions, and loses it once the CRD is deleted', async () => {
    await k.ok(['apply', '-f', '-'], CRD);
    const root = await k.ok(['explain', 'crontabs']);
    expect(root).toMatch(/GROUP:\s+stable\.example\.com/);
    expect(root).toMatch(/KIND:\s+CronTab/);
    expect(root).toContain('A CronTab runs an image on a schedule.');
    expect(root).toMatch(/spec\s+<Object>\s+What to run and when\./);
    expect(root).toMatch(/metadata\s+<ObjectMeta>/);
    const spec = await k.ok(['explain', 'crontab.spec']);
    expect(spec).toMatch(/cronSpec\s+<string>\s+The schedule, in cron format\./);
    expect(spec).toMatch(/replicas\s+<integer>/);
    expect(await k.ok(['explain', 'ct.metadata.name'])).toMatch(/FIELD: name <string>/);
    await k.ok(['delete', 'crd', 'crontabs.stable.example.com']);
    const gone = await k.run(['explain', 'crontabs']);
    expect(gone.code).not.toBe(0);
  });

  it('get prints the served version additionalPrinterColumns (date as age, -o wide adds priority 1)', async () => {
    await k.ok(['apply', '-f', '-'], CRD);
    await k.ok(
      ['apply', '-f', '-'],
      `apiVersion: stable.example.com/v1\nkind: CronTab\nmetadata: {name: nightly}\nspec: {cronSpec: "0 3 * * *", replicas: 2, paused: true}\n`,
    );
    await k.ok(['apply', '-f', '-'], `apiVersion: stable.example.com/v1\nkind: CronTab\nmetadata: {name: bare}\nspec: {image: x}\n`);
    const status = {
      status: {
        conditions: [
          { type: 'Scheduled', status: 'False' },
          { type: 'Ready', status: 'True' },
        ],
      },
    };
    await k.ok(['patch', 'crontab', 'nightly', '--subresource=status', '--type=merge', '-p', JSON.stringify(status)]);
    const out = (await k.ok(['get', 'crontabs']))
      .trim()
      .split('\n')
      .map((l) => l.split(/\s{2,}/));
    expect(out[0]).toEqual(['NAME', 'SPEC', 'REPLICAS', 'READY', 'AGE']);
    expect(out.find((r) => r[0] === 'nightly')).toEqual(['nightly', '0 3 * * *', '2', 'True', expect.stringMatching(/^\d+s$/)]);
    // Values the path does not find are null cells, which kubectl prints empty (as for kube-apiserver's CRD tables).
    expect(out.find((r) => r[0] === 'bare')).toEqual(['bare', expect.stringMatching(/^\d+s$/)]);
    const wide = (await k.ok(['get', 'crontab', 'nightly', '-o', 'wide']))
      .trim()
      .split('\n')
      .map((l) => l.split(/\s{2,}/));
    expect(wide[0]).toEqual(['NAME', 'SPEC', 'REPLICAS', 'READY', 'PAUSED', 'AGE']);
    expect(wide[1].slice(0, 5)).toEqual(['nightly', '0 3 * * *', '2', 'True', 'true']);
  });
});
