import { describe, expect, it } from 'vitest';
import { loadLibraries, GRPC_MISSING } from '../../../../src/runtime-adapters/containerd/grpc-client.js';
import { DESCRIPTORS } from '../../../../src/runtime-adapters/containerd/proto/descriptors.generated.js';
import { buildDescriptors } from '../../../../src/runtime-adapters/containerd/proto/generate-descriptors.js';

describe('containerd API descriptors', () => {
  it('descriptors.generated.ts is what the vendored .proto files give (run generate-descriptors.ts after changing them)', () => {
    expect(DESCRIPTORS).toEqual(buildDescriptors());
  });
  it('hold the services and event messages the adapter uses', () => {
    const { root } = loadLibraries();
    for (const s of ['containers', 'content', 'diff', 'events', 'images', 'leases', 'snapshots', 'tasks', 'version']) {
      expect(
        root.lookupService(`containerd.services.${s}.v1.${s === 'version' ? 'Version' : s[0].toUpperCase() + s.slice(1)}`),
      ).toBeTruthy();
    }
    for (const t of [
      'containerd.events.TaskExit',
      'containerd.events.TaskOOM',
      'io.containerd.cgroups.v1.Metrics',
      'io.containerd.cgroups.v2.Metrics',
    ])
      expect(root.lookupType(t)).toBeTruthy();
  });
  it('without @grpc/grpc-js the first call says what to install', () => {
    const missing = (id: string) => {
      throw Object.assign(new Error(`Cannot find module '${id}'`), { code: 'MODULE_NOT_FOUND' });
    };
    expect(() => loadLibraries(missing)).toThrow(GRPC_MISSING);
  });
});
