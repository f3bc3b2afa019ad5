import { describe, expect, it } from 'vitest';
import { Cluster } from '../../../../src/cluster/cluster.js';
import { TugboatError } from '../../../../src/model/errors.js';
import { DockerRuntime } from '../../../../src/runtime-adapters/docker/index.js';

const socketPath = '/nonexistent/tugboat-test-docker.sock';

describe('DockerRuntime: a daemon that cannot be reached', () => {
  it('ping() fails with a TugboatError naming the address tried and how to point tugboat at another', async () => {
    const err = await new DockerRuntime({ socketPath }).ping().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TugboatError);
    expect(err).toMatchObject({ reason: 'ServiceUnavailable' });
    const message = (err as Error).message;
    expect(message).toContain(`unix://${socketPath}`);
    expect(message).toContain('DOCKER_HOST');
    expect(message).toContain('socketPath');
  });

  it('Cluster.start with it fails the same way, not with a bare "connect ENOENT"', async () => {
    const err = await Cluster.start({ name: 'unreachable', nodes: [{ name: 'n', runtime: new DockerRuntime({ socketPath }) }] }).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(TugboatError);
    expect((err as Error).message).toMatch(/^cannot reach the Docker daemon at unix:\/\/\/nonexistent/);
  });

  it('listing (what a node agent does first) fails the same way', async () => {
    const err = await new DockerRuntime({ socketPath, host: 'tcp-host-ignored' }).listSandboxes().catch((e: unknown) => e);
    expect(err).toMatchObject({ name: 'TugboatError', reason: 'ServiceUnavailable' });
  });
});
