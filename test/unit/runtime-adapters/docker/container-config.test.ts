import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TugboatError } from '../../../../src/model/errors.js';
import {
  containerName,
  emptyDirVolumeName,
  toContainerPlan,
  type PodPlacement,
} from '../../../../src/runtime-adapters/docker/container-config.js';
import { RUNTIME_LABELS, type ContainerConfig } from '../../../../src/runtime-adapters/types.js';

const at: PodPlacement = {
  sandboxId: 'sb123',
  clusterName: 'c1',
  nodeName: 'n1',
  sandboxLabels: {
    [RUNTIME_LABELS.cluster]: 'c1',
    [RUNTIME_LABELS.node]: 'n1',
    [RUNTIME_LABELS.podUid]: 'uid-1',
    [RUNTIME_LABELS.namespace]: 'default',
    [RUNTIME_LABELS.podName]: 'web-0',
    [RUNTIME_LABELS.role]: 'sandbox',
  },
  filesRoot: '/state/c1/uid-1',
  nameSuffix: 'abc',
};

const base = (over: Partial<ContainerConfig> = {}): ContainerConfig => ({
  name: 'app',
  image: 'img:1',
  env: {},
  mounts: [],
  ports: [],
  resources: {},
  labels: {},
  ...over,
});

describe('toContainerPlan', () => {
  it('joins the sandbox namespaces, never restarts, and labels the container', () => {
    const { options } = toContainerPlan(base({ labels: { [RUNTIME_LABELS.attempt]: '2', extra: 'x' } }), at);
    expect(options.HostConfig.NetworkMode).toBe('container:sb123');
    expect(options.HostConfig.IpcMode).toBe('container:sb123');
    expect(options.HostConfig.RestartPolicy).toEqual({ Name: 'no' });
    expect(options.Labels).toMatchObject({
      [RUNTIME_LABELS.cluster]: 'c1',
      [RUNTIME_LABELS.node]: 'n1',
      [RUNTIME_LABELS.podUid]: 'uid-1',
      [RUNTIME_LABELS.namespace]: 'default',
      [RUNTIME_LABELS.podName]: 'web-0',
      [RUNTIME_LABELS.container]: 'app',
      [RUNTIME_LABELS.role]: 'container',
      [RUNTIME_LABELS.attempt]: '2',
      extra: 'x',
    });
    expect(options.name).toBe('tb_default_web-0_app_2_abc');
  });

  it('command replaces the entrypoint and drops CMD; args replace CMD only (Kubernetes semantics)', () => {
    expect(toContainerPlan(base({ command: ['a'] }), at).options).toMatchObject({ Entrypoint: ['a'] });
    expect(toContainerPlan(base({ command: ['a'] }), at).options.Cmd).toBeUndefined();
    const both = toContainerPlan(base({ command: ['a'], args: ['b'] }), at).options;
    expect([both.Entrypoint, both.Cmd]).toEqual([['a'], ['b']]);
    const argsOnly = toContainerPlan(base({ args: ['b'] }), at).options;
    expect([argsOnly.Entrypoint, argsOnly.Cmd]).toEqual([undefined, ['b']]);
    const neither = toContainerPlan(base({ command: [], args: [] }), at).options;
    expect([neither.Entrypoint, neither.Cmd]).toEqual([undefined, undefined]);
  });

  it('maps env, workingDir, tty and resources', () => {
    const { options } = toContainerPlan(
      base({ env: { A: '1', B: 'x=y' }, workingDir: '/w', tty: true, resources: { cpuMillis: 1500, memoryBytes: 1 << 26 } }),
      at,
    );
    expect(options.Env).toEqual(['A=1', 'B=x=y']);
    expect(options.WorkingDir).toBe('/w');
    expect(options.Tty).toBe(true);
    expect(options.HostConfig.NanoCpus).toBe(1_500_000_000);
    expect(options.HostConfig.Memory).toBe(1 << 26);
    expect(options.HostConfig.MemorySwap).toBe(1 << 26);
    const none = toContainerPlan(base(), at).options.HostConfig;
    expect([none.NanoCpus, none.Memory, none.MemorySwap]).toEqual([undefined, undefined, undefined]);
  });

  it('keeps stdin open for attach when the pod spec says stdin, closing it after the first client with stdinOnce', () => {
    expect(toContainerPlan(base({ stdin: true, stdinOnce: true }), at).options).toMatchObject({ OpenStdin: true, StdinOnce: true });
    expect(toContainerPlan(base({ stdin: true }), at).options).toMatchObject({ OpenStdin: true, StdinOnce: false });
    const none = toContainerPlan(base({ stdinOnce: true }), at).options;
    expect([none.OpenStdin, none.StdinOnce]).toEqual([undefined, undefined]);
  });

  it('cpu millicores map to NanoCpus proportionally', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 64_000 }), (m) => {
        expect(toContainerPlan(base({ resources: { cpuMillis: m } }), at).options.HostConfig.NanoCpus).toBe(m * 1_000_000);
      }),
    );
  });

  it('security: user, read-only root, capabilities; privileged only when asked', () => {
    const h = toContainerPlan(
      base({
        security: {
          runAsUser: 1000,
          runAsGroup: 2000,
          readOnlyRootFilesystem: true,
          capabilitiesAdd: ['NET_ADMIN'],
          capabilitiesDrop: ['ALL'],
        },
      }),
      at,
    ).options;
    expect(h.User).toBe('1000:2000');
    expect(h.HostConfig).toMatchObject({ ReadonlyRootfs: true, CapAdd: ['NET_ADMIN'], CapDrop: ['ALL'] });
    expect(h.HostConfig.Privileged).toBeUndefined();
    expect(toContainerPlan(base({ security: { privileged: false } }), at).options.HostConfig.Privileged).toBeUndefined();
    expect(toContainerPlan(base({ security: { privileged: true } }), at).options.HostConfig.Privileged).toBe(true);
    expect(toContainerPlan(base({ security: { runAsUser: 0 } }), at).options.User).toBe('0');
  });

  it('mounts: emptyDir as a per-pod volume, hostPath as a bind, files under the pod state dir, read-only by default', () => {
    const plan = toContainerPlan(
      base({
        mounts: [
          { kind: 'emptyDir', volume: 'cache', containerPath: '/cache' },
          { kind: 'emptyDir', volume: 'mem', containerPath: '/mem', medium: 'Memory', readOnly: true },
          { kind: 'hostPath', hostPath: '/var/log', containerPath: '/logs', readOnly: true },
          { kind: 'hostPath', hostPath: '/srv', containerPath: '/srv' },
          { kind: 'files', volume: 'cfg', containerPath: '/etc/cfg', files: { a: new Uint8Array([1]) }, mode: 0o400 },
        ],
      }),
      at,
    );
    expect(plan.volumes.map((v) => [v.name, v.memory])).toEqual([
      ['tugboat-uid-1-cache', false],
      ['tugboat-uid-1-mem', true],
    ]);
    expect(plan.volumes[0].labels).toEqual({
      [RUNTIME_LABELS.cluster]: 'c1',
      [RUNTIME_LABELS.podUid]: 'uid-1',
      [RUNTIME_LABELS.role]: 'volume',
    });
    expect(plan.options.HostConfig.Binds).toEqual(['/var/log:/logs:ro', '/srv:/srv']);
    expect(plan.options.HostConfig.Mounts).toEqual([
      { Type: 'volume', Source: 'tugboat-uid-1-cache', Target: '/cache', ReadOnly: false },
      { Type: 'volume', Source: 'tugboat-uid-1-mem', Target: '/mem', ReadOnly: true },
      { Type: 'bind', Source: '/state/c1/uid-1/cfg', Target: '/etc/cfg', ReadOnly: true },
    ]);
    expect(plan.files).toEqual([{ dir: '/state/c1/uid-1/cfg', files: { a: new Uint8Array([1]) }, mode: 0o400, modes: {} }]);
  });

  it('two containers of one pod get the same emptyDir volume', () => {
    const m = { kind: 'emptyDir' as const, volume: 'shared', containerPath: '/s' };
    const a = toContainerPlan(base({ name: 'a', mounts: [m] }), at);
    const b = toContainerPlan(base({ name: 'b', mounts: [{ ...m, containerPath: '/t' }] }), at);
    expect(a.volumes[0].name).toBe(b.volumes[0].name);
    expect(emptyDirVolumeName('u', 'v')).not.toBe(emptyDirVolumeName('u2', 'v'));
  });

  it('refuses a relative containerPath and file names escaping the volume, naming the field', () => {
    const rel = (() => toContainerPlan(base({ mounts: [{ kind: 'hostPath', hostPath: '/x', containerPath: 'rel' }] }), at)).bind(null);
    expect(rel).toThrow(TugboatError);
    try {
      rel();
    } catch (e) {
      expect((e as TugboatError).causes.map((c) => c.field)).toEqual(['mounts[0].containerPath']);
    }
    for (const bad of ['../x', '/abs', 'a/../../b']) {
      try {
        toContainerPlan(base({ mounts: [{ kind: 'files', volume: 'v', containerPath: '/c', files: { [bad]: new Uint8Array() } }] }), at);
        expect.unreachable(`"${bad}" was accepted`);
      } catch (e) {
        expect(TugboatError.is(e, 'Invalid')).toBe(true);
        expect((e as TugboatError).causes[0].field).toBe(`mounts[0].files[${bad}]`);
      }
    }
  });

  it('mounts a single-file files mount (a subPath to one key) as that file', () => {
    const plan = toContainerPlan(
      base({
        mounts: [{ kind: 'files', volume: 'cfg', containerPath: '/etc/app.conf', files: { '': new Uint8Array([65]) }, mode: 0o600 }],
      }),
      at,
    );
    expect(plan.files).toHaveLength(1);
    expect(Object.keys(plan.files[0].files)).toEqual(['app.conf']);
    expect(plan.files[0].mode).toBe(0o600);
    const mount = plan.options.HostConfig.Mounts.find((m) => m.Target === '/etc/app.conf');
    expect(mount?.Source).toBe(`${plan.files[0].dir}/app.conf`);
    expect(mount?.ReadOnly).toBe(true);
  });

  it('container names are valid Docker names for any Kubernetes-ish input', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), fc.string(), (ns, pod, c) => {
        const name = containerName(
          { [RUNTIME_LABELS.namespace]: ns, [RUNTIME_LABELS.podName]: pod, [RUNTIME_LABELS.container]: c, [RUNTIME_LABELS.attempt]: '0' },
          'x1',
        );
        expect(name).toMatch(/^[a-zA-Z0-9][a-zA-Z0-9_.-]+$/);
      }),
    );
  });
});
