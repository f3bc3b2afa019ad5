/**
 * dockerode is an optional peer dependency, loaded only by tugboat/docker: without it, loading the
 * adapter says to install it. (test/packaging/pack-install.ts checks the same on an installed tarball.)
 */
import { describe, expect, it } from 'vitest';
import { DOCKERODE_MISSING, loadDockerode } from '../../src/runtime-adapters/docker/connection.js';

const notFound = (id: string): Error =>
  Object.assign(new Error(`Cannot find module '${id}'\nRequire stack:\n- /app/dist/docker.cjs`), { code: 'MODULE_NOT_FOUND' });

describe('loading dockerode', () => {
  it('loads dockerode when it is installed', () => {
    const Docker = loadDockerode();
    expect(typeof Docker).toBe('function');
    expect(typeof new Docker({ socketPath: '/nonexistent.sock' }).listContainers).toBe('function');
  });

  it('without dockerode, says to install it (and keeps the original error as cause)', () => {
    const original = notFound('dockerode');
    let thrown: unknown;
    try {
      loadDockerode(() => {
        throw original;
      });
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(Error);
    expect((thrown as Error).message).toBe(DOCKERODE_MISSING);
    expect((thrown as Error).message).toContain('npm install dockerode');
    expect((thrown as Error).cause).toBe(original);
  });

  it("a module missing inside dockerode (one of its own dependencies) is not reported as dockerode's absence", () => {
    const inner = notFound('ssh2');
    expect(() =>
      loadDockerode(() => {
        throw inner;
      }),
    ).toThrow(inner);
  });
});
