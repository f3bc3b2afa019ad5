/** Small builders of valid objects for validation tests. */
import type { KubeObject } from '../../../../src/model/types.js';
import type { ResourceType } from '../../../../src/model/resource-type.js';

export const podSpec = () => ({
  restartPolicy: 'Always',
  containers: [{ name: 'web', image: 'nginx:1.25', ports: [{ containerPort: 80, protocol: 'TCP' }] }],
});

export const pod = (): KubeObject => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web', namespace: 'default' }, spec: podSpec() });

export const deployment = (): KubeObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'default' },
  spec: {
    replicas: 2,
    selector: { matchLabels: { app: 'web' } },
    template: { metadata: { labels: { app: 'web' } }, spec: podSpec() },
  },
});

export const job = (): KubeObject => ({
  apiVersion: 'batch/v1',
  kind: 'Job',
  metadata: { name: 'once', namespace: 'default' },
  spec: { template: { spec: { ...podSpec(), restartPolicy: 'Never' } } },
});

/** Returns a copy of `obj` with `change` applied to it. */
export function edit<T>(obj: T, change: (o: any) => void): T {
  const copy = structuredClone(obj);
  change(copy);
  return copy;
}

/** The fields named by the causes `rt` finds in `obj` (an update when `old` is given). */
export const fields = (rt: ResourceType<any>, obj: unknown, old?: unknown): string[] =>
  rt.validate!(obj as never, old as never).causes.map((c) => c.field);
