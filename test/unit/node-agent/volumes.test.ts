/**
 * resolveMounts with a VolumeFilesCache: a files volume whose sources are the versions it was
 * built from is not built again (the same files object), and any change of a source (a ConfigMap's
 * or Secret's new version, a new token, a downward API value) builds it again.
 */
import { describe, expect, it } from 'vitest';
import type { core, Pod } from '../../../src/model/types.js';
import type { ConfigSource } from '../../../src/node-agent/config-error.js';
import { resolveMounts, type VolumeFilesCache } from '../../../src/node-agent/volumes.js';
import type { FilesMount } from '../../../src/runtime-adapters/types.js';

const text = (b: Uint8Array | undefined) => (b ? new TextDecoder().decode(b) : undefined);

function setup() {
  const state = {
    configMap: { metadata: { uid: 'cm-1', resourceVersion: '10' }, data: { 'ca.crt': 'CA-1' } } as
      | { metadata: { uid: string; resourceVersion: string }; data: Record<string, string> }
      | undefined,
    token: 'token-1',
    configMapReads: 0,
  };
  const source: ConfigSource = {
    configMap: async () => {
      state.configMapReads++;
      return state.configMap;
    },
    secret: async () => undefined,
    serviceAccountToken: async () => state.token,
  };
  const pod = (labels: Record<string, string>): Pod =>
    ({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'p', namespace: 'default', uid: 'u', labels },
      spec: {
        containers: [{ name: 'c', image: 'i', volumeMounts: [{ name: 'api', mountPath: '/var/run/api' }] }],
        volumes: [
          {
            name: 'api',
            projected: {
              sources: [
                { serviceAccountToken: { path: 'token', expirationSeconds: 3607 } },
                { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt', mode: 0o600 }] } },
                { downwardAPI: { items: [{ path: 'labels', fieldRef: { fieldPath: "metadata.labels['app']" } }] } },
              ],
            },
          },
        ],
      },
    }) as Pod;
  const cache: VolumeFilesCache = new Map();
  const files = async (p: Pod): Promise<FilesMount> => {
    const container = p.spec!.containers[0] as core.Container;
    const [m] = await resolveMounts(p, container, source, '10.0.0.1', cache);
    if (m.kind !== 'files') throw new Error(`expected a files mount, got ${m.kind}`);
    return m;
  };
  return { state, pod, files, cache };
}

describe('resolveMounts with a VolumeFilesCache', () => {
  it('gives the same files while no source changed, still reading every source', async () => {
    const { state, pod, files } = setup();
    const first = await files(pod({ app: 'web' }));
    const second = await files(pod({ app: 'web' }));
    expect(second.files).toBe(first.files);
    expect(second.modes).toEqual({ 'ca.crt': 0o600 });
    expect(state.configMapReads).toBe(2);
    expect(text(second.files.token)).toBe('token-1');
    expect(text(second.files['ca.crt'])).toBe('CA-1');
    expect(text(second.files.labels)).toBe('web');
  });

  it('builds the files again when the ConfigMap, the token or a downward API value changes', async () => {
    const { state, pod, files } = setup();
    const first = await files(pod({ app: 'web' }));
    state.configMap = { metadata: { uid: 'cm-1', resourceVersion: '11' }, data: { 'ca.crt': 'CA-2' } };
    const afterConfigMap = await files(pod({ app: 'web' }));
    expect(afterConfigMap.files).not.toBe(first.files);
    expect(text(afterConfigMap.files['ca.crt'])).toBe('CA-2');
    state.token = 'token-2';
    const afterToken = await files(pod({ app: 'web' }));
    expect(afterToken.files).not.toBe(afterConfigMap.files);
    expect(text(afterToken.files.token)).toBe('token-2');
    const afterLabel = await files(pod({ app: 'api' }));
    expect(afterLabel.files).not.toBe(afterToken.files);
    expect(text(afterLabel.files.labels)).toBe('api');
    expect(afterLabel.modes).toEqual({ 'ca.crt': 0o600 });
  });

  it('caches no failure: a missing source fails every time until it exists', async () => {
    const { state, pod, files, cache } = setup();
    const saved = state.configMap;
    state.configMap = undefined;
    await expect(files(pod({ app: 'web' }))).rejects.toThrow(
      'MountVolume.SetUp failed for volume "api" : configmap "kube-root-ca.crt" not found',
    );
    await expect(files(pod({ app: 'web' }))).rejects.toThrow('configmap "kube-root-ca.crt" not found');
    expect(cache.size).toBe(0);
    state.configMap = saved;
    expect(text((await files(pod({ app: 'web' }))).files['ca.crt'])).toBe('CA-1');
  });
});
