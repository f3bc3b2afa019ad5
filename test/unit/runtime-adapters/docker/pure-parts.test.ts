import { describe, expect, it } from 'vitest';
import { toModemOptions } from '../../../../src/runtime-adapters/docker/connection.js';
import { toContainerStatus, toState } from '../../../../src/runtime-adapters/docker/container-status.js';
import { JsonLines, sinceParam, toRuntimeEvent } from '../../../../src/runtime-adapters/docker/events.js';
import { splitRef } from '../../../../src/runtime-adapters/docker/images.js';
import { sandboxCreateOptions, toSandboxStatus } from '../../../../src/runtime-adapters/docker/sandbox.js';
import { sandboxLabelsFor } from '../../../../src/runtime-adapters/pod-labels.js';
import { toContainerStats } from '../../../../src/runtime-adapters/docker/stats.js';
import { RUNTIME_LABELS } from '../../../../src/runtime-adapters/types.js';

describe('toModemOptions', () => {
  it('a socket path wins and clears any DOCKER_HOST host', () => {
    expect(toModemOptions({ socketPath: '/s.sock', host: 'h' })).toEqual({ socketPath: '/s.sock', host: undefined });
  });
  it('TCP with TLS and SSH with an agent', () => {
    expect(toModemOptions({ host: 'h', port: 2376, protocol: 'https', ca: 'A', cert: 'C', key: 'K' })).toEqual({
      host: 'h',
      port: 2376,
      protocol: 'https',
      ca: 'A',
      cert: 'C',
      key: 'K',
    });
    expect(toModemOptions({ host: 'h', protocol: 'ssh', username: 'me', sshAuthAgent: '/agent' })).toEqual({
      host: 'h',
      protocol: 'ssh',
      username: 'me',
      sshOptions: { agent: '/agent' },
    });
  });
  it('nothing given leaves dockerode to DOCKER_HOST and the default socket', () => {
    expect(toModemOptions({})).toEqual({});
    expect(toModemOptions({ timeoutMs: 5 })).toEqual({ timeout: 5 });
  });
});

describe('container status', () => {
  const info = (state: object, extra: object = {}) =>
    ({
      Id: 'c1',
      Name: '/tb_x',
      Created: '2024-01-01T00:00:00Z',
      Image: 'sha256:abc',
      Config: { Image: 'img:1', Labels: { [RUNTIME_LABELS.container]: 'app' } },
      HostConfig: { NetworkMode: 'container:sb1' },
      State: {
        Status: 'exited',
        ExitCode: 0,
        OOMKilled: false,
        StartedAt: '2024-01-01T00:00:01Z',
        FinishedAt: '2024-01-01T00:00:02Z',
        ...state,
      },
      ...extra,
    }) as never;

  it('maps exits to Completed, Error and OOMKilled', () => {
    expect(toContainerStatus(info({}))).toMatchObject({
      id: 'c1',
      sandboxId: 'sb1',
      name: 'app',
      image: 'img:1',
      imageId: 'sha256:abc',
      state: 'exited',
      exitCode: 0,
      reason: 'Completed',
    });
    expect(toContainerStatus(info({ ExitCode: 1 })).reason).toBe('Error');
    expect(toContainerStatus(info({ ExitCode: 137, OOMKilled: true })).reason).toBe('OOMKilled');
    expect(toContainerStatus(info({})).finishedAt?.toISOString()).toBe('2024-01-01T00:00:02.000Z');
  });
  it('a running or created container has no exit code; zero times are absent', () => {
    const created = toContainerStatus(info({ Status: 'created', StartedAt: '0001-01-01T00:00:00Z', FinishedAt: '0001-01-01T00:00:00Z' }));
    expect(created).toMatchObject({ state: 'created' });
    expect([created.exitCode, created.startedAt, created.finishedAt]).toEqual([undefined, undefined, undefined]);
    expect(toContainerStatus(info({ Status: 'running' })).exitCode).toBeUndefined();
    expect(['paused', 'restarting', 'dead', 'weird'].map(toState)).toEqual(['running', 'running', 'exited', 'unknown']);
  });
});

describe('sandboxes', () => {
  const config = {
    podUid: 'u',
    namespace: 'ns',
    podName: 'p',
    hostname: 'p',
    labels: { a: 'b' },
    ports: [
      { containerPort: 80, hostPort: 8080 },
      { containerPort: 53, protocol: 'UDP' as const },
    ],
  };

  it('labels carry the pod identity and the sandbox role', () => {
    expect(sandboxLabelsFor(config, 'c', 'n')).toEqual({
      a: 'b',
      [RUNTIME_LABELS.node]: 'n',
      [RUNTIME_LABELS.cluster]: 'c',
      [RUNTIME_LABELS.podUid]: 'u',
      [RUNTIME_LABELS.namespace]: 'ns',
      [RUNTIME_LABELS.podName]: 'p',
      [RUNTIME_LABELS.role]: 'sandbox',
    });
  });
  it('publishes hostPorts on the cluster network; host network publishes nothing', () => {
    const o = sandboxCreateOptions(config, 'pause', 'tugboat-c', {}, 'x');
    expect(o.HostConfig).toMatchObject({
      NetworkMode: 'tugboat-c',
      IpcMode: 'shareable',
      PortBindings: { '80/tcp': [{ HostPort: '8080' }] },
    });
    expect(Object.keys(o.ExposedPorts ?? {})).toEqual(['80/tcp', '53/udp']);
    const host = sandboxCreateOptions({ ...config, hostNetwork: true }, 'pause', 'tugboat-c', {}, 'x');
    expect(host.HostConfig).toMatchObject({ NetworkMode: 'host', PortBindings: {} });
    expect(host.Hostname).toBeUndefined();
  });
  it('the pod IP is the address on the cluster network', () => {
    const s = toSandboxStatus(
      {
        Id: 's',
        Created: '2024-01-01T00:00:00Z',
        State: { Running: true },
        Config: { Labels: { x: 'y' } },
        HostConfig: { NetworkMode: 'tugboat-c' },
        NetworkSettings: { Networks: { bridge: { IPAddress: '172.17.0.2' }, 'tugboat-c': { IPAddress: '10.1.0.5' } } },
      } as never,
      'tugboat-c',
      '127.0.0.1',
    );
    expect(s).toMatchObject({ id: 's', ip: '10.1.0.5', state: 'ready', labels: { x: 'y' } });
  });
});

describe('events', () => {
  const msg = (Action: string, attrs: Record<string, string> = {}) => ({
    Type: 'container',
    Action,
    Actor: { ID: 'c1', Attributes: { image: 'i', name: 'n', [RUNTIME_LABELS.podUid]: 'u', ...attrs } },
    time: 1700000000,
    timeNano: 1700000000123456789,
  });
  it('maps die, oom, start and destroy; drops the rest', () => {
    expect(toRuntimeEvent(msg('die', { exitCode: '137' }))).toEqual({
      type: 'exit',
      containerId: 'c1',
      exitCode: 137,
      labels: { [RUNTIME_LABELS.podUid]: 'u' },
      at: new Date(1700000000123),
    });
    expect(toRuntimeEvent(msg('oom'))?.type).toBe('oom');
    expect(toRuntimeEvent(msg('start'))?.type).toBe('start');
    expect(toRuntimeEvent(msg('destroy'))?.type).toBe('remove');
    expect(toRuntimeEvent(msg('attach'))).toBeUndefined();
    expect(toRuntimeEvent({ ...msg('die'), Type: 'network' })).toBeUndefined();
  });
  it('JsonLines cuts NDJSON across chunks and skips garbage', () => {
    const j = new JsonLines();
    expect(j.push('{"a":1}\n{"b"')).toEqual([{ a: 1 }]);
    expect(j.push(':2}\nnot json\n')).toEqual([{ b: 2 }]);
  });
  it('since has a nanosecond fraction', () => {
    expect(sinceParam(1700000000000000005n)).toBe('1700000000.000000005');
  });
});

describe('stats', () => {
  it('cpu millicores from the deltas, memory without inactive page cache', () => {
    const s = toContainerStats(
      {
        read: '2024-01-01T00:00:00Z',
        cpu_stats: { cpu_usage: { total_usage: 3_000_000 }, system_cpu_usage: 20_000_000, online_cpus: 2 },
        precpu_stats: { cpu_usage: { total_usage: 1_000_000 }, system_cpu_usage: 10_000_000 },
        memory_stats: { usage: 10_000, stats: { inactive_file: 4_000 } },
      },
      new Date(0),
    );
    expect(s).toEqual({ cpuMillis: 400, memoryBytes: 6_000, at: new Date('2024-01-01T00:00:00Z') });
  });
  it('no previous sample means 0 cpu, not NaN', () => {
    const s = toContainerStats(
      { cpu_stats: { cpu_usage: { total_usage: 5 }, system_cpu_usage: 9 }, precpu_stats: {}, memory_stats: {} },
      new Date(0),
    );
    expect(s).toEqual({ cpuMillis: 0, memoryBytes: 0, at: new Date(0) });
  });
});

describe('splitRef', () => {
  it('splits tags but not registry ports', () => {
    expect(splitRef('tugboat/pause:1')).toEqual(['tugboat/pause', '1']);
    expect(splitRef('reg:5000/x')).toEqual(['reg:5000/x', 'latest']);
    expect(splitRef('reg:5000/x:2')).toEqual(['reg:5000/x', '2']);
  });
});
