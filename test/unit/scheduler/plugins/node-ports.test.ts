/** NodePorts: host ports conflict on the same port and protocol when their host IPs overlap (0.0.0.0 overlaps all). */
import { describe, expect, it } from 'vitest';
import type { Node, Pod } from '../../../../src/model/types.js';
import { nodePortsPlugin, ERR_NODE_PORTS } from '../../../../src/scheduler/plugins/node-ports.js';
import { buildNodeInfo } from '../../../../src/scheduler/node-info-cache.js';
import { CycleState } from '../../../../src/scheduler/types.js';

const node: Node = {
  apiVersion: 'v1',
  kind: 'Node',
  metadata: { name: 'n' },
  status: { allocatable: { cpu: '4', memory: '8Gi', pods: '110' } },
};

function pod(name: string, port?: { hostPort: number; hostIP?: string; protocol?: 'TCP' | 'UDP' }, nodeName?: string): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default', uid: name },
    spec: {
      ...(nodeName ? { nodeName } : {}),
      containers: [{ name: 'c', image: 'i', ...(port ? { ports: [{ containerPort: 80, ...port }] } : {}) }],
    },
  };
}

describe('NodePorts', () => {
  const plugin = nodePortsPlugin();
  const on = (...pods: Pod[]) => buildNodeInfo(node, pods);
  const cases: Array<[string, Pod, Pod[], boolean]> = [
    ['no host port', pod('p'), [pod('q', { hostPort: 80 }, 'n')], true],
    ['same port, both on all addresses', pod('p', { hostPort: 80 }), [pod('q', { hostPort: 80 }, 'n')], false],
    ['same port, other protocol', pod('p', { hostPort: 80, protocol: 'UDP' }), [pod('q', { hostPort: 80 }, 'n')], true],
    [
      'same port, different host IPs',
      pod('p', { hostPort: 80, hostIP: '10.0.0.1' }),
      [pod('q', { hostPort: 80, hostIP: '10.0.0.2' }, 'n')],
      true,
    ],
    [
      'same port, one on 0.0.0.0',
      pod('p', { hostPort: 80, hostIP: '10.0.0.1' }),
      [pod('q', { hostPort: 80, hostIP: '0.0.0.0' }, 'n')],
      false,
    ],
    ['other port', pod('p', { hostPort: 81 }), [pod('q', { hostPort: 80 }, 'n')], true],
  ];
  for (const [title, p, existing, fits] of cases) {
    it(title, () => {
      const status = plugin.filter(p, on(...existing), new CycleState());
      expect(status.code).toBe(fits ? 'Success' : 'Unschedulable');
      if (!fits) expect(status.reasons).toEqual([ERR_NODE_PORTS]);
    });
  }
});
