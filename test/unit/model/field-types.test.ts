import { describe, expect, it } from 'vitest';
import { checkFieldTypes } from '../../../src/model/schema/field-types.js';
import { KNOWN_TYPES } from '../../../src/model/schema/known-fields.generated.js';

const fields = (kind: string, obj: unknown) => checkFieldTypes(kind, obj).map((c) => c.field);

describe('checkFieldTypes (the decoder type check, from the generated schema)', () => {
  it('records int32, int64, intstr and quantity from the OpenAPI formats', () => {
    expect(KNOWN_TYPES['apps.v1.DeploymentSpec'].replicas).toBe('int32');
    expect(KNOWN_TYPES['core.v1.PodSpec'].terminationGracePeriodSeconds).toBe('int64');
    expect(KNOWN_TYPES['apps.v1.RollingUpdateDeployment'].maxSurge).toBe('intstr');
    expect(KNOWN_TYPES['core.v1.ResourceRequirements'].limits).toBe('{}quantity');
    expect(KNOWN_TYPES['core.v1.Container'].args).toBe('[]string');
    expect(KNOWN_TYPES['meta.v1.ObjectMeta'].labels).toBe('{}string');
  });

  it('accepts a well-typed object and null anywhere', () => {
    const pod = {
      metadata: { name: 'p', labels: { a: 'b' }, generation: 2 ** 40 },
      spec: {
        terminationGracePeriodSeconds: 2 ** 40,
        containers: [{ name: 'c', image: 'x', args: ['a'], ports: [{ containerPort: 80 }] }],
        nodeSelector: null,
      },
    };
    expect(checkFieldTypes('Pod', pod)).toEqual([]);
  });

  it('checks int32 and int64 ranges and integrality', () => {
    expect(fields('Deployment', { spec: { replicas: 2 ** 31 } })).toEqual(['spec.replicas']);
    expect(fields('Deployment', { spec: { replicas: 2 ** 31 - 1 } })).toEqual([]);
    expect(fields('Deployment', { spec: { replicas: 0.5 } })).toEqual(['spec.replicas']);
    expect(fields('Pod', { spec: { terminationGracePeriodSeconds: 2 ** 31 } })).toEqual([]);
    expect(fields('Pod', { spec: { terminationGracePeriodSeconds: '30' } })).toEqual(['spec.terminationGracePeriodSeconds']);
  });

  it('checks IntOrString and quantities', () => {
    const strategy = (maxSurge: unknown) => ({ spec: { strategy: { rollingUpdate: { maxSurge } } } });
    expect(fields('Deployment', strategy('25%'))).toEqual([]);
    expect(fields('Deployment', strategy(1))).toEqual([]);
    expect(fields('Deployment', strategy(1.5))).toEqual(['spec.strategy.rollingUpdate.maxSurge']);
    expect(fields('Deployment', strategy({}))).toEqual(['spec.strategy.rollingUpdate.maxSurge']);
    const limits = (cpu: unknown) => ({ spec: { containers: [{ resources: { limits: { cpu } } }] } });
    expect(fields('Pod', limits('500m'))).toEqual([]);
    expect(fields('Pod', limits(2))).toEqual([]);
    expect(fields('Pod', limits('lots'))).toEqual(['spec.containers[0].resources.limits[cpu]']);
    expect(fields('Pod', limits(true))).toEqual(['spec.containers[0].resources.limits[cpu]']);
  });

  it('decodes null list items and map values to their zero value, as Go does', () => {
    const pod = { spec: { containers: [null], nodeSelector: { a: null } } };
    expect(checkFieldTypes('Pod', pod)).toEqual([]);
    expect(pod.spec.containers).toEqual([{}]);
    expect(pod.spec.nodeSelector).toEqual({ a: '' });
  });

  it('does not follow Object members: constructor and toString are unknown fields, not types', () => {
    expect(checkFieldTypes('Pod', JSON.parse('{"spec":{"constructor":5,"toString":"x","__proto__":1}}'))).toEqual([]);
    expect(checkFieldTypes('constructor', {})).toEqual([]);
  });
});
