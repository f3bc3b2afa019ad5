/**
 * NodePorts: a pod asking for host ports (containers[].ports[].hostPort) goes only on a node
 * where no pod holds the same port and protocol on the same host IP (0.0.0.0 and an empty
 * hostIP overlap every address), as kube-scheduler's NodePorts filter.
 */
import type { Pod } from '../../model/types.js';
import type { FilterPlugin, PreFilterPlugin } from '../types.js';
import { skip, success, unschedulable } from '../status.js';

/** The reason NodePorts reports. */
export const ERR_NODE_PORTS = "node(s) didn't have free ports for the requested pod ports";

interface HostPort {
  ip: string;
  protocol: string;
  port: number;
}

/** The host ports a pod's containers ask for. */
export function hostPortsOf(pod: Pod): HostPort[] {
  const out: HostPort[] = [];
  for (const c of pod.spec?.containers ?? []) {
    for (const p of c.ports ?? []) {
      if (!p.hostPort || p.hostPort <= 0) continue;
      out.push({ ip: p.hostIP || '0.0.0.0', protocol: p.protocol ?? 'TCP', port: p.hostPort });
    }
  }
  return out;
}

function conflicts(a: HostPort, b: HostPort): boolean {
  if (a.port !== b.port || a.protocol !== b.protocol) return false;
  return a.ip === b.ip || a.ip === '0.0.0.0' || b.ip === '0.0.0.0';
}

const NAME = 'NodePorts';

/** Creates the NodePorts plugin (PreFilter: Skip for a pod without host ports, as kube-scheduler; Filter). */
export function nodePortsPlugin(): PreFilterPlugin & FilterPlugin {
  return {
    name: NAME,
    preFilter(pod, state) {
      const wanted = hostPortsOf(pod);
      if (wanted.length === 0) return skip();
      state.write(NAME, wanted);
      return success();
    },
    filter(pod, nodeInfo, state) {
      const wanted = state.read<HostPort[]>(NAME) ?? hostPortsOf(pod);
      if (wanted.length === 0) return success();
      for (const info of nodeInfo.pods.values()) {
        if (info.pod.metadata.uid !== undefined && info.pod.metadata.uid === pod.metadata.uid) continue;
        for (const used of hostPortsOf(info.pod)) {
          if (wanted.some((w) => conflicts(w, used))) return unschedulable(ERR_NODE_PORTS);
        }
      }
      return success();
    },
  } satisfies PreFilterPlugin & FilterPlugin;
}
