import { describe, expect, it } from 'vitest';
import { defaultNodeTolerations, defaultPod, defaultPodTemplate } from '../../../../src/model/defaults/pod-spec.js';
import type { core } from '../../../../src/model/types.js';

const NOT_READY = { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 };
const UNREACHABLE = { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 };
const spec = (tolerations?: core.Toleration[]): core.PodSpec => ({
  containers: [{ name: 'c', image: 'i:1' }],
  ...(tolerations ? { tolerations } : {}),
});

describe('default not-ready/unreachable tolerations (DefaultTolerationSeconds)', () => {
  it('adds both 300 s NoExecute tolerations to a pod without any', () => {
    const pod = { spec: spec() };
    defaultPod(pod);
    expect(pod.spec.tolerations).toEqual([NOT_READY, UNREACHABLE]);
  });

  it('keeps a toleration the pod has for either taint and adds only the other', () => {
    const own = { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 6000 };
    const s = spec([own, { key: 'dedicated', operator: 'Equal', value: 'gpu', effect: 'NoSchedule' }]);
    defaultNodeTolerations(s);
    expect(s.tolerations).toEqual([own, { key: 'dedicated', operator: 'Equal', value: 'gpu', effect: 'NoSchedule' }, NOT_READY]);
  });

  it('adds nothing when a toleration with an empty key or empty effect covers the taints', () => {
    const all = spec([{ operator: 'Exists' }]);
    defaultNodeTolerations(all);
    expect(all.tolerations).toEqual([{ operator: 'Exists' }]);
    const anyEffect = spec([{ key: 'node.kubernetes.io/not-ready', operator: 'Exists' }]);
    defaultNodeTolerations(anyEffect);
    expect(anyEffect.tolerations).toEqual([{ key: 'node.kubernetes.io/not-ready', operator: 'Exists' }, UNREACHABLE]);
  });

  it('a NoSchedule toleration of the taint does not count; defaulting twice adds nothing more', () => {
    const s = spec([{ key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoSchedule' }]);
    defaultNodeTolerations(s);
    defaultNodeTolerations(s);
    expect(s.tolerations).toEqual([
      { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoSchedule' },
      NOT_READY,
      UNREACHABLE,
    ]);
  });

  it('pod templates are not given them (only pods, as the admission plugin does)', () => {
    const t = { spec: spec() };
    defaultPodTemplate(t);
    expect(t.spec.tolerations).toBeUndefined();
  });
});
