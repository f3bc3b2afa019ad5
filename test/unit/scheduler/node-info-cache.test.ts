import { describe, expect, it } from 'vitest';
import type { Pod } from '../../../src/model/types.js';
import { NodeInfoCache } from '../../../src/scheduler/node-info-cache.js';
import { assumedPodInfo, podInfoOf } from '../../../src/scheduler/pod-info.js';
import { makeNode, makePod } from '../../../src/testing.js';

const withUid = (pod: Pod, uid: string): Pod => ({ ...pod, metadata: { ...pod.metadata, uid } });
const bound = (pod: Pod, node: string): Pod => ({ ...pod, spec: { ...pod.spec!, nodeName: node } });

function cacheWithNodes(): NodeInfoCache {
  const cache = new NodeInfoCache();
  cache.setNode(makeNode('n1').obj());
  cache.setNode(makeNode('n2').obj());
  return cache;
}

describe('NodeInfoCache: assumed pods and the versions the watch confirms', () => {
  it('the confirmed version replaces the assumed one on its node, with the same requests counted once', () => {
    const cache = cacheWithNodes();
    const pending = withUid(makePod('web').req({ cpu: '500m', memory: '1Gi' }).label('app', 'web').obj(), 'u1');
    cache.assumePod(assumedPodInfo(podInfoOf(pending), bound(pending, 'n1')), 'n1');
    const n1 = cache.nodeInfo('n1')!;
    const generation = n1.generation;
    expect(n1.requested.milliCpu).toBe(500);

    // The watch delivers a new object, with a label changed meanwhile.
    const confirmed = bound({ ...pending, metadata: { ...pending.metadata, labels: { app: 'web', v: '2' } } }, 'n1');
    cache.setPod(confirmed);
    expect(n1.requested.milliCpu).toBe(500);
    expect(n1.requested.memory).toBe(2 ** 30);
    expect(n1.requested.pods).toBe(1);
    expect(n1.pods.get('default/web')!.pod).toBe(confirmed);
    expect(n1.generation).toBeGreaterThan(generation);
    // No longer assumed: forgetting it (a failed bind) leaves it counted.
    cache.forgetPod('default/web');
    expect(cache.hasPod('default/web')).toBe(true);
  });

  it('a pod of the same name with another uid is counted from its own requests', () => {
    const cache = cacheWithNodes();
    cache.setPod(bound(withUid(makePod('web').req({ cpu: '500m' }).obj(), 'u1'), 'n1'));
    cache.setPod(bound(withUid(makePod('web').req({ cpu: '2' }).obj(), 'u2'), 'n1'));
    expect(cache.nodeInfo('n1')!.requested.milliCpu).toBe(2000);
    expect(cache.nodeInfo('n1')!.requested.pods).toBe(1);
  });

  it('a confirmed version on another node moves the pod', () => {
    const cache = cacheWithNodes();
    const pending = withUid(makePod('web').req({ cpu: '500m' }).obj(), 'u1');
    cache.assumePod(assumedPodInfo(podInfoOf(pending), bound(pending, 'n1')), 'n1');
    cache.setPod(bound(pending, 'n2'));
    expect(cache.nodeInfo('n1')!.requested.milliCpu).toBe(0);
    expect(cache.nodeInfo('n1')!.pods.size).toBe(0);
    expect(cache.nodeInfo('n2')!.requested.milliCpu).toBe(500);
    expect(cache.nodeOfPod('default/web')).toBe('n2');
  });

  it('affinity counts follow the replaced version', () => {
    const cache = cacheWithNodes();
    const pod = withUid(makePod('a').podAffinity('kubernetes.io/hostname', { app: 'x' }, 'anti').obj(), 'u1');
    cache.setPod(bound(pod, 'n1'));
    cache.setPod(bound({ ...pod, metadata: { ...pod.metadata, labels: { v: '2' } } }, 'n1'));
    expect(cache.havePodsWithRequiredAntiAffinity()).toBe(true);
    expect(cache.nodeInfo('n1')!.podsWithRequiredAntiAffinity).toBe(1);
    cache.removePod(pod);
    expect(cache.havePodsWithRequiredAntiAffinity()).toBe(false);
    expect(cache.nodeInfo('n1')!.podsWithRequiredAntiAffinity).toBe(0);
  });
});
