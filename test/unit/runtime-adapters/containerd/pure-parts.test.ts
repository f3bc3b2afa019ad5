import { describe, expect, it } from 'vitest';
import {
  CriLineJoiner,
  ChunkLines,
  formatCriLine,
  MAX_LOG_LINE,
  parseCriLine,
} from '../../../../src/runtime-adapters/containerd/cri-log.js';
import { LOOPBACK, pluginConfig, podIp, type CniConflist } from '../../../../src/runtime-adapters/containerd/cni.js';
import { chainId, parseImageRef } from '../../../../src/runtime-adapters/containerd/image-ref.js';
import { pickManifest } from '../../../../src/runtime-adapters/containerd/images.js';
import { etcMounts, planMounts } from '../../../../src/runtime-adapters/containerd/container-mounts.js';
import {
  buildSpec,
  capabilities,
  capabilitiesOfMask,
  DEFAULT_CAPABILITIES,
  imageUser,
  mergeEnv,
  processArgs,
} from '../../../../src/runtime-adapters/containerd/oci-spec.js';
import { cpuMillis, toSample } from '../../../../src/runtime-adapters/containerd/stats.js';
import { eventType } from '../../../../src/runtime-adapters/containerd/events.js';
import { toContainerStatus } from '../../../../src/runtime-adapters/containerd/containers.js';
import { toSandboxStatus } from '../../../../src/runtime-adapters/containerd/sandbox.js';
import type { TugboatError } from '../../../../src/model/errors.js';
import { bearerChallenge, registryBase } from '../../../../src/runtime-adapters/containerd/pull.js';

describe('image references', () => {
  it.each([
    ['busybox', 'docker.io/library/busybox:latest'],
    ['tugboat/pause:1', 'docker.io/tugboat/pause:1'],
    ['127.0.0.1:5000/tugboat-test/busybox:1', '127.0.0.1:5000/tugboat-test/busybox:1'],
    ['localhost/x', 'localhost/x:latest'],
    ['registry.k8s.io/pause:3.9', 'registry.k8s.io/pause:3.9'],
    ['busybox@sha256:abc', 'docker.io/library/busybox@sha256:abc'],
    ['index.docker.io/library/nginx:1', 'docker.io/library/nginx:1'],
  ])('%s is %s', (ref, name) => expect(parseImageRef(ref).name).toBe(name));

  it('chain ids: the first diff id, then sha256 of "<below> <diff>"', () => {
    expect(chainId(['sha256:a'])).toBe('sha256:a');
    // sha256("sha256:a sha256:b")
    expect(chainId(['sha256:a', 'sha256:b'])).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(chainId(['sha256:a', 'sha256:b'])).not.toBe(chainId(['sha256:b', 'sha256:a']));
    expect(chainId([])).toBe('');
  });

  it('an index gives the manifest of linux and this architecture', () => {
    const m = (arch: string) => ({ media_type: 'x', digest: arch, size: 1, platform: { os: 'linux', architecture: arch } });
    expect(pickManifest({ manifests: [m('arm64'), m('amd64')] }, 'amd64')?.digest).toBe('amd64');
    expect(pickManifest({ manifests: [m('arm64')] }, 'amd64')?.digest).toBe('arm64');
    expect(pickManifest({ manifests: [m('arm64'), m('s390x')] }, 'amd64')).toBeUndefined();
  });
});

describe('OCI spec', () => {
  it('Kubernetes command/args semantics over the image entrypoint and cmd', () => {
    const image = { Entrypoint: ['/entry'], Cmd: ['a'] };
    expect(processArgs(image)).toEqual(['/entry', 'a']);
    expect(processArgs(image, undefined, ['b'])).toEqual(['/entry', 'b']);
    expect(processArgs(image, ['sh'], undefined)).toEqual(['sh']);
    expect(processArgs(image, ['sh'], ['-c', 'x'])).toEqual(['sh', '-c', 'x']);
  });

  it('env: the container wins over the image, PATH is always there', () => {
    expect(mergeEnv(['PATH=/bin', 'A=1'], { A: '2', B: '3' })).toEqual(['PATH=/bin', 'A=2', 'B=3']);
    expect(mergeEnv(undefined, {})[0]).toMatch(/^PATH=/);
  });

  it('image users: numeric uid[:gid], names as root', () => {
    expect(imageUser('1000:100')).toEqual({ uid: 1000, gid: 100 });
    expect(imageUser('65534')).toEqual({ uid: 65534, gid: 65534 });
    expect(imageUser('nobody')).toEqual({ uid: 0, gid: 0 });
    expect(imageUser(undefined)).toEqual({ uid: 0, gid: 0 });
  });

  it('capabilities: defaults, add, drop (Kubernetes names), drop ALL, privileged', () => {
    expect(capabilities({})).toEqual(DEFAULT_CAPABILITIES);
    const c = capabilities({ capabilitiesAdd: ['NET_ADMIN'], capabilitiesDrop: ['KILL'] });
    expect(c).toContain('CAP_NET_ADMIN');
    expect(c).not.toContain('CAP_KILL');
    expect(capabilities({ capabilitiesDrop: ['ALL'], capabilitiesAdd: ['NET_BIND_SERVICE'] })).toEqual(['CAP_NET_BIND_SERVICE']);
    expect(capabilities({ privileged: true })).toContain('CAP_SYS_ADMIN');
    expect(capabilities({ privileged: true, hostCapabilities: ['CAP_KILL'] })).toEqual(['CAP_KILL']);
    expect(capabilitiesOfMask('21')).toEqual(['CAP_CHOWN', 'CAP_KILL']);
    expect(capabilitiesOfMask('1ffffffffff')).toHaveLength(41);
  });

  it('a pod container joins the sandbox namespaces by path, with limits and security settings', () => {
    const spec = buildSpec({
      args: ['sh'],
      env: ['PATH=/bin'],
      cwd: '',
      uid: 1000,
      gid: 1000,
      mounts: [],
      join: { network: '/proc/7/ns/net', ipc: '/proc/7/ns/ipc', uts: '/proc/7/ns/uts' },
      cgroupsPath: '/tugboat/ns/id',
      cpuMillis: 250,
      memoryBytes: 64 * 2 ** 20,
      readonlyRoot: true,
    });
    expect(spec.linux.namespaces).toEqual([
      { type: 'pid' },
      { type: 'mount' },
      { type: 'ipc', path: '/proc/7/ns/ipc' },
      { type: 'uts', path: '/proc/7/ns/uts' },
      { type: 'network', path: '/proc/7/ns/net' },
    ]);
    expect(spec.linux.resources.cpu).toEqual({ quota: 25_000, period: 100_000 });
    expect(spec.linux.resources.memory).toEqual({ limit: 64 * 2 ** 20, swap: 64 * 2 ** 20 });
    expect(spec.process.user).toEqual({ uid: 1000, gid: 1000 });
    expect(spec.process.cwd).toBe('/');
    expect(spec.root).toEqual({ path: 'rootfs', readonly: true });
    expect(spec.linux.maskedPaths).toContain('/proc/kcore');
    expect(spec.mounts.map((m) => m.destination)).toContain('/proc');
  });

  it('host network: no network or uts namespace of its own, no hostname', () => {
    const spec = buildSpec({
      args: ['sh'],
      env: [],
      cwd: '/',
      uid: 0,
      gid: 0,
      hostname: 'h',
      mounts: [],
      join: {},
      host: ['network', 'uts'],
      cgroupsPath: '',
    });
    expect(spec.linux.namespaces.map((n) => n.type)).toEqual(['pid', 'mount', 'ipc']);
    expect(spec.hostname).toBeUndefined();
    const priv = buildSpec({ args: ['sh'], env: [], cwd: '/', uid: 0, gid: 0, mounts: [], join: {}, cgroupsPath: '', privileged: true });
    expect(priv.linux.maskedPaths).toBeUndefined();
    expect(priv.linux.resources.devices).toEqual([{ allow: true, access: 'rwm' }]);
  });

  it('process.terminal only when a terminal is asked for (pod spec tty)', () => {
    const base = { args: ['sh'], env: [], cwd: '/', uid: 0, gid: 0, mounts: [], join: {}, cgroupsPath: '' };
    expect(buildSpec(base).process.terminal).toBe(false);
    expect(buildSpec({ ...base, terminal: true }).process.terminal).toBe(true);
  });
});

describe('volumes as mounts', () => {
  it('hostPath binds, emptyDir a pod folder (tmpfs for Memory), files read-only; /etc files unless mounted', () => {
    const plan = planMounts(
      'c',
      [
        { kind: 'hostPath', hostPath: '/data', containerPath: '/d', readOnly: true },
        { kind: 'emptyDir', volume: 'cache', containerPath: '/cache' },
        { kind: 'emptyDir', volume: 'mem', containerPath: '/mem', medium: 'Memory' },
        { kind: 'files', volume: 'cfg', containerPath: '/cfg', files: { 'a.txt': Buffer.from('x') } },
      ],
      '/state/pod',
      '/dev/shm/pod',
    );
    expect(plan.mounts.map((m) => [m.source, m.destination, m.options.at(-1)])).toEqual([
      ['/data', '/d', 'ro'],
      ['/state/pod/volumes/cache', '/cache', 'rw'],
      ['/dev/shm/pod/mem', '/mem', 'rw'],
      ['/state/pod/files/cfg', '/cfg', 'ro'],
    ]);
    expect(etcMounts('/state/pod', plan.mounts).map((m) => m.destination)).toEqual(['/etc/hosts', '/etc/hostname', '/etc/resolv.conf']);
    expect(etcMounts('/state/pod', [{ destination: '/etc', type: 'bind', source: '/x', options: [] }])).toEqual([]);
  });

  it('a relative container path or a file key with .. is Invalid, naming the field', () => {
    const bad = (m: Parameters<typeof planMounts>[1]) => {
      try {
        planMounts('c', m, '/p', '/s');
      } catch (err) {
        return err as TugboatError;
      }
      throw new Error('no error');
    };
    expect(bad([{ kind: 'hostPath', hostPath: '/x', containerPath: 'rel' }]).status.details?.causes?.[0]?.field).toBe(
      'mounts[0].containerPath',
    );
    expect(
      bad([{ kind: 'files', volume: 'v', containerPath: '/v', files: { '../x': new Uint8Array() } }]).status.details?.causes?.[0]?.field,
    ).toBe('mounts[0].files[../x]');
  });
});

describe('CNI', () => {
  const list: CniConflist = {
    cniVersion: '1.0.0',
    name: 'tugboat',
    plugins: [
      { type: 'bridge', bridge: 'tugboat0' },
      { type: 'portmap', capabilities: { portMappings: true } },
    ],
  };
  const at = {
    containerId: 'c',
    netns: '/proc/1/ns/net',
    ifname: 'eth0',
    portMappings: [{ containerPort: 80, hostPort: 8080 }, { containerPort: 81 }],
  };
  it('each plugin gets the list name and version, the previous result, and the runtime config it asks for', () => {
    expect(pluginConfig(list, 0, undefined, at)).toEqual({ type: 'bridge', bridge: 'tugboat0', cniVersion: '1.0.0', name: 'tugboat' });
    const prev = { ips: [{ address: '10.213.0.5/16' }] };
    expect(pluginConfig(list, 1, prev, at)).toMatchObject({
      prevResult: prev,
      runtimeConfig: { portMappings: [{ hostPort: 8080, containerPort: 80, protocol: 'tcp' }] },
    });
    expect(pluginConfig(LOOPBACK, 0, undefined, at)).toEqual({ type: 'loopback', cniVersion: '1.0.0', name: 'cni-loopback' });
  });
  it('the pod IP is the first IPv4 address without its prefix', () => {
    expect(podIp({ ips: [{ address: 'fd00::5/64' }, { address: '10.213.0.5/16' }] })).toBe('10.213.0.5');
    expect(podIp({})).toBe('');
  });
});

describe('CRI logs', () => {
  it('format and parse round trip; long lines in parts', () => {
    const at = new Date('2026-01-02T03:04:05.678Z');
    expect(formatCriLine('stdout', 'hello world', at)).toBe('2026-01-02T03:04:05.678Z stdout F hello world\n');
    const parsed = parseCriLine('2026-01-02T03:04:05.678Z stderr F a b c');
    expect(parsed).toEqual({ stream: 'stderr', line: 'a b c', time: at, partial: false });
    const long = 'x'.repeat(MAX_LOG_LINE + 5);
    const records = formatCriLine('stdout', long, at).trimEnd().split('\n');
    expect(records.map((r) => r.split(' ')[2])).toEqual(['P', 'F']);
    const joiner = new CriLineJoiner();
    const out = records.map((r) => joiner.push(parseCriLine(r)!)).filter(Boolean);
    expect(out).toEqual([{ stream: 'stdout', line: long, time: at }]);
    expect(parseCriLine('garbage')).toBeUndefined();
  });
  it('chunks become lines across chunk borders, the rest at the end', () => {
    const c = new ChunkLines();
    expect(c.push(Buffer.from('a\nb'))).toEqual(['a']);
    expect(c.push(Buffer.from('c\r\nd'))).toEqual(['bc']);
    expect(c.flush()).toEqual(['d']);
  });
});

describe('stats, events, statuses', () => {
  it('cgroups v1 and v2 metrics', () => {
    expect(
      toSample('io.containerd.cgroups.v1.Metrics', {
        cpu: { usage: { total: 5e9 } },
        memory: { usage: { usage: 100 }, total_inactive_file: 30 },
      }),
    ).toEqual({ cpuNanos: 5e9, memoryBytes: 70 });
    expect(toSample('io.containerd.cgroups.v2.Metrics', { cpu: { usage_usec: 10 }, memory: { usage: 100, inactive_file: 200 } })).toEqual({
      cpuNanos: 10_000,
      memoryBytes: 100,
    });
    expect(cpuMillis(0, 5e8, 1000)).toBe(500);
    expect(cpuMillis(10, 5, 1000)).toBe(0);
  });
  it('topics', () => {
    expect(['/tasks/start', '/tasks/exit', '/tasks/oom', '/containers/delete', '/tasks/create'].map(eventType)).toEqual([
      'start',
      'exit',
      'oom',
      'remove',
      undefined,
    ]);
  });
  it('container states from the task; OOMKilled from the label', () => {
    const c = {
      id: 'c',
      labels: { 'io.tugboat.container.name': 'main', 'io.tugboat.sandbox.id': 's' },
      image: 'i',
      snapshot_key: 'c',
      created_at: { seconds: 1, nanos: 0 },
    };
    const task = (status: string, exit = 0) =>
      ({ container_id: 'c', id: 'c', pid: 1, status, exit_status: exit, exited_at: { seconds: 2, nanos: 0 } }) as never;
    expect(toContainerStatus(c, undefined).state).toBe('created');
    expect(toContainerStatus(c, task('RUNNING'))).toMatchObject({ state: 'running', sandboxId: 's', name: 'main' });
    expect(toContainerStatus(c, task('STOPPED', 137))).toMatchObject({
      state: 'exited',
      exitCode: 137,
      reason: 'Error',
      finishedAt: new Date(2000),
    });
    expect(toContainerStatus({ ...c, labels: { ...c.labels, 'io.tugboat.oom': 'true' } }, task('STOPPED', 137)).reason).toBe('OOMKilled');
    expect(toSandboxStatus({ ...c, labels: { 'io.tugboat.pod.ip': '10.213.0.9' } }, task('RUNNING'))).toMatchObject({
      ip: '10.213.0.9',
      state: 'ready',
    });
  });
});

describe('registries', () => {
  it('plain HTTP for loopback and insecure registries, HTTPS otherwise; docker.io is registry-1', () => {
    expect(registryBase('127.0.0.1:5000')).toBe('http://127.0.0.1:5000');
    expect(registryBase('localhost:5000')).toBe('http://localhost:5000');
    expect(registryBase('docker.io')).toBe('https://registry-1.docker.io');
    expect(registryBase('reg.example:5000', ['reg.example:5000'])).toBe('http://reg.example:5000');
    expect(registryBase('ghcr.io')).toBe('https://ghcr.io');
  });
  it('bearer challenges', () => {
    expect(bearerChallenge('Bearer realm="https://auth/token",service="reg",scope="repository:a/b:pull"')).toEqual({
      realm: 'https://auth/token',
      service: 'reg',
      scope: 'repository:a/b:pull',
    });
    expect(bearerChallenge('Basic realm="x"')).toBeUndefined();
    expect(bearerChallenge(null)).toBeUndefined();
  });
});
