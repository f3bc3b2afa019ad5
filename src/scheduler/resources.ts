/**
 * Resource arithmetic as kube-scheduler does it: a pod's effective requests (init containers,
 * sidecars, overhead), non-zero requests for scoring, and a node's allocatable.
 */
import type { Node, Pod, core } from '../model/types.js';
import type { Resources } from './types.js';
import { milliValue, unitValue } from './quantity.js';

/** Default cpu request (millicores) assumed for scoring a container that sets none, as k8s. */
export const DEFAULT_MILLI_CPU_REQUEST = 100;
/** Default memory request (bytes) assumed for scoring a container that sets none, as k8s. */
export const DEFAULT_MEMORY_REQUEST = 200 * 1024 * 1024;

type QuantityMap = Record<string, string | number> | undefined;

/** An empty resource set. */
export function emptyResources(): Resources {
  return { milliCpu: 0, memory: 0, pods: 0 };
}

function fromMap(map: QuantityMap, field: string, nonZero: boolean): Resources {
  const r = emptyResources();
  if (map) {
    for (const [name, q] of Object.entries(map)) {
      if (name === 'cpu') r.milliCpu = milliValue(q, `${field}.cpu`);
      else if (name === 'memory') r.memory = unitValue(q, `${field}.memory`);
      else if (name === 'pods') r.pods = unitValue(q, `${field}.pods`);
      else if (name !== 'ephemeral-storage' && !name.startsWith('hugepages-')) {
        (r.scalar ??= {})[name] = unitValue(q, `${field}.${name}`);
      }
    }
  }
  if (nonZero) {
    if (!map || map.cpu === undefined) r.milliCpu = DEFAULT_MILLI_CPU_REQUEST;
    if (!map || map.memory === undefined) r.memory = DEFAULT_MEMORY_REQUEST;
  }
  return r;
}

/** Adds `b` into `a` (in place) with the given sign. */
export function addResources(a: Resources, b: Readonly<Resources>, sign = 1): Resources {
  a.milliCpu += sign * b.milliCpu;
  a.memory += sign * b.memory;
  a.pods += sign * b.pods;
  if (b.scalar) {
    const s = (a.scalar ??= {});
    for (const [k, v] of Object.entries(b.scalar)) s[k] = (s[k] ?? 0) + sign * v;
  }
  return a;
}

function maxInto(a: Resources, b: Readonly<Resources>): void {
  a.milliCpu = Math.max(a.milliCpu, b.milliCpu);
  a.memory = Math.max(a.memory, b.memory);
  if (b.scalar) {
    const s = (a.scalar ??= {});
    for (const [k, v] of Object.entries(b.scalar)) s[k] = Math.max(s[k] ?? 0, v);
  }
}

function containerRequests(c: core.Container, field: string, nonZero: boolean): Resources {
  const req = (c.resources?.requests ?? c.resources?.limits) as QuantityMap;
  return fromMap(req, `${field}.resources.requests`, nonZero);
}

/**
 * A pod's effective requests: the sum of app containers and sidecars (restartable init
 * containers), or the largest init container step if larger, plus spec.overhead; pods = 1.
 * @param nonZero count unset cpu/memory as 100m/200Mi (kube-scheduler's scoring view)
 */
export function podRequests(pod: Pod, nonZero = false): Resources {
  const spec = pod.spec;
  const sum = emptyResources();
  (spec?.containers ?? []).forEach((c, i) => addResources(sum, containerRequests(c, `spec.containers[${i}]`, nonZero)));
  const sidecars = emptyResources();
  const initMax = emptyResources();
  (spec?.initContainers ?? []).forEach((c, i) => {
    const r = containerRequests(c, `spec.initContainers[${i}]`, nonZero);
    if (c.restartPolicy === 'Always') {
      addResources(sidecars, r);
      maxInto(initMax, sidecars);
    } else {
      maxInto(initMax, addResources({ ...r, scalar: r.scalar && { ...r.scalar } }, sidecars));
    }
  });
  addResources(sum, sidecars);
  maxInto(sum, initMax);
  if (spec?.overhead) addResources(sum, fromMap(spec.overhead as QuantityMap, 'spec.overhead', false));
  sum.pods = 1;
  return sum;
}

/** A node's allocatable (status.allocatable, else status.capacity). */
export function nodeAllocatable(node: Node | undefined): Resources {
  const map = (node?.status?.allocatable ?? node?.status?.capacity) as QuantityMap;
  return fromMap(map, 'status.allocatable', false);
}
