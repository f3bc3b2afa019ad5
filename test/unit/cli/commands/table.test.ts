import { describe, expect, it } from 'vitest';
import { tableOf } from '../../../../src/cli/commands/table.js';
import { BUILTIN_KINDS } from '../../../../src/model/kinds/index.js';
import type { KubeObject } from '../../../../src/model/types.js';

const POD = BUILTIN_KINDS.find((t) => t.group === '' && t.kind === 'Pod')!;
const CONFIGMAP = BUILTIN_KINDS.find((t) => t.group === '' && t.kind === 'ConfigMap')!;
const NOW = Date.parse('2026-01-01T00:10:00Z');

const pod = (name: string, namespace: string, node: string, ip: string): KubeObject =>
  ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace, creationTimestamp: '2026-01-01T00:05:30Z' },
    spec: { nodeName: node, containers: [{ name: 'main', image: 'web:1' }] },
    status: { phase: 'Running', podIP: ip, containerStatuses: [{ name: 'main', ready: true, restartCount: 2 }] },
  }) as KubeObject;

describe('tugboat get tables', () => {
  it("prints the API server's printer columns, upper-cased, three spaces apart", () => {
    const text = tableOf(POD, [pod('web-1', 'default', 'node-1', '10.0.0.7')], { withNamespace: false, nowMs: NOW });
    expect(text).toBe('NAME    READY   STATUS    RESTARTS   AGE\nweb-1   1/1     Running   2          4m30s\n');
  });

  it('adds the wide columns with -o wide and a NAMESPACE column across namespaces', () => {
    const text = tableOf(POD, [pod('web-1', 'shop', 'node-1', '10.0.0.7')], { withNamespace: true, wide: true, nowMs: NOW });
    const [header, row] = text.trimEnd().split('\n');
    expect(header).toMatch(/^NAMESPACE\s+NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\s+IP\s+NODE\s+NOMINATED NODE\s+READINESS GATES$/);
    expect(row).toMatch(/^shop\s+web-1\s+1\/1\s+Running\s+2\s+4m30s\s+10\.0\.0\.7\s+node-1\s+<none>\s+<none>$/);
  });

  it('counts the data of a ConfigMap', () => {
    const cm = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'c', creationTimestamp: '2026-01-01T00:09:00Z' },
      data: { a: '1', b: '2' },
    };
    expect(tableOf(CONFIGMAP, [cm as KubeObject], { withNamespace: false, nowMs: NOW })).toBe('NAME   DATA   AGE\nc      2      60s\n');
  });
});
