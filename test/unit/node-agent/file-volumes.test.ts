/**
 * ConfigMap, Secret, downward API and projected volumes follow their sources within the agent's
 * sync period (subPath mounts never do); optional sources; missing ones keep containers waiting
 * with the kubelet's FailedMount message; immutable objects reject changes.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { ConfigMap, Secret } from '../../../src/model/types.js';
import { startHarness, stateOf, type Harness } from './harness.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const SYNC_MS = 60_000;
const configMaps = (hh: Harness) => hh.cluster.client<ConfigMap>('v1', 'ConfigMap', 'default');
const secrets = (hh: Harness) => hh.cluster.client<Secret>('v1', 'Secret', 'default');
const b64 = (s: string) => Buffer.from(s).toString('base64');

async function setData(hh: Harness, name: string, data: Record<string, string>): Promise<void> {
  const cm = await configMaps(hh).get(name);
  await configMaps(hh).update({ ...cm, data } as ConfigMap);
}

describe('file volumes following their sources', () => {
  it('updates ConfigMap, Secret and projected files within the sync period, never a subPath mount', async () => {
    h = await startHarness();
    await configMaps(h).create({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'cfg' },
      data: { mode: 'slow', level: '1' },
    } as ConfigMap);
    await secrets(h).create({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'sec' }, data: { token: b64('t1') } } as Secret);
    await h.run('app', {
      volumes: [
        { name: 'cfg', configMap: { name: 'cfg' } },
        { name: 'sec', secret: { secretName: 'sec' } },
        {
          name: 'all',
          projected: { sources: [{ configMap: { name: 'cfg', items: [{ key: 'mode', path: 'm' }] } }, { secret: { name: 'sec' } }] },
        },
      ],
      containers: [
        {
          name: 'c',
          image: 'web:1',
          volumeMounts: [
            { name: 'cfg', mountPath: '/etc/cfg' },
            { name: 'cfg', mountPath: '/etc/pinned', subPath: 'mode' },
            { name: 'sec', mountPath: '/etc/sec' },
            { name: 'all', mountPath: '/etc/all' },
          ],
        },
      ],
    });
    const sel = { namespace: 'default', pod: 'app' };
    const read = (p: string) => h!.runtime.readFile(sel, p);
    expect(stateOf((await h.pod('app')).status?.containerStatuses?.[0])).toBe('running');
    expect([read('/etc/cfg/mode'), read('/etc/pinned'), read('/etc/sec/token'), read('/etc/all/m'), read('/etc/all/token')]).toEqual([
      'slow',
      'slow',
      't1',
      'slow',
      't1',
    ]);

    await setData(h, 'cfg', { mode: 'fast' });
    const s = await secrets(h).get('sec');
    await secrets(h).update({ ...s, data: { token: b64('t2') } } as Secret);
    await h.tick(SYNC_MS, 5_000);
    expect(read('/etc/cfg/mode')).toBe('fast');
    expect(read('/etc/cfg/level')).toBeUndefined(); // a key removed from the ConfigMap is gone
    expect(read('/etc/pinned')).toBe('slow'); // subPath: never updated
    expect(read('/etc/sec/token')).toBe('t2');
    expect([read('/etc/all/m'), read('/etc/all/token')]).toEqual(['fast', 't2']);
    // The same container: updated in place, not restarted.
    const cs = (await h.pod('app')).status?.containerStatuses?.[0];
    expect(cs?.restartCount).toBe(0);
    expect(h.runtime.containers({ namespace: 'default', pod: 'app' })).toHaveLength(1);
  });

  it('does not rewrite unchanged files, and keeps the old files with a FailedMount event when the source goes away', async () => {
    h = await startHarness();
    await configMaps(h).create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg' }, data: { a: '1' } } as ConfigMap);
    let updates = 0;
    const original = h.runtime.updateFiles.bind(h.runtime);
    h.runtime.updateFiles = async (id, m) => {
      updates++;
      return original(id, m);
    };
    await h.run('app', {
      volumes: [{ name: 'v', configMap: { name: 'cfg' } }],
      containers: [{ name: 'c', image: 'web:1', volumeMounts: [{ name: 'v', mountPath: '/cfg' }] }],
    });
    await h.tick(3 * SYNC_MS, 10_000);
    expect(updates).toBe(0);
    await configMaps(h).delete('cfg');
    await h.tick(SYNC_MS, 10_000);
    expect(h.runtime.readFile({ namespace: 'default', pod: 'app' }, '/cfg/a')).toBe('1');
    const events = (await h.cluster.client('v1', 'Event', 'default').list()).items as { reason?: string; message?: string }[];
    expect(events.filter((e) => e.reason === 'FailedMount').map((e) => e.message)).toContain(
      'MountVolume.SetUp failed for volume "v" : configmap "cfg" not found',
    );
    expect(stateOf((await h.pod('app')).status?.containerStatuses?.[0])).toBe('running');
  });

  it('updates downward API files when labels change', async () => {
    h = await startHarness();
    await h.run(
      'app',
      {
        volumes: [{ name: 'info', downwardAPI: { items: [{ path: 'labels', fieldRef: { fieldPath: 'metadata.labels' } }] } }],
        containers: [{ name: 'c', image: 'web:1', volumeMounts: [{ name: 'info', mountPath: '/info' }] }],
      },
      { labels: { tier: 'a' } },
    );
    expect(h.runtime.readFile({ namespace: 'default', pod: 'app' }, '/info/labels')).toBe('tier="a"');
    const pod = await h.pod('app');
    await h.pods.update({ ...pod, metadata: { ...pod.metadata, labels: { tier: 'b' } } });
    await h.tick(SYNC_MS, 5_000);
    expect(h.runtime.readFile({ namespace: 'default', pod: 'app' }, '/info/labels')).toBe('tier="b"');
  });
});

describe('optional and missing sources', () => {
  it('starts without an optional ConfigMap and fills the files once it exists', async () => {
    h = await startHarness();
    await h.run('app', {
      volumes: [
        { name: 'v', configMap: { name: 'later', optional: true } },
        { name: 's', secret: { secretName: 'nope', optional: true } },
      ],
      containers: [
        {
          name: 'c',
          image: 'web:1',
          volumeMounts: [
            { name: 'v', mountPath: '/cfg' },
            { name: 's', mountPath: '/sec' },
          ],
        },
      ],
    });
    expect(stateOf((await h.pod('app')).status?.containerStatuses?.[0])).toBe('running');
    expect(h.runtime.readFile({ namespace: 'default', pod: 'app' }, '/cfg/x')).toBeUndefined();
    await configMaps(h).create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'later' }, data: { x: 'here' } } as ConfigMap);
    await h.tick(SYNC_MS, 5_000);
    expect(h.runtime.readFile({ namespace: 'default', pod: 'app' }, '/cfg/x')).toBe('here');
  });

  it('keeps the container waiting with the kubelet FailedMount messages for missing sources and keys', async () => {
    h = await startHarness();
    await configMaps(h).create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg' }, data: { a: '1' } } as ConfigMap);
    await h.run('cm', {
      volumes: [{ name: 'config', configMap: { name: 'app-config' } }],
      containers: [{ name: 'c', image: 'web:1', volumeMounts: [{ name: 'config', mountPath: '/cfg' }] }],
    });
    await h.run('sec', {
      volumes: [{ name: 'creds', secret: { secretName: 'db' } }],
      containers: [{ name: 'c', image: 'web:1', volumeMounts: [{ name: 'creds', mountPath: '/sec' }] }],
    });
    await h.run('key', {
      volumes: [{ name: 'k', configMap: { name: 'cfg', items: [{ key: 'nope', path: 'n' }] } }],
      containers: [{ name: 'c', image: 'web:1', volumeMounts: [{ name: 'k', mountPath: '/k' }] }],
    });
    await h.run('proj', {
      volumes: [{ name: 'p', projected: { sources: [{ configMap: { name: 'x' } }, { secret: { name: 'y' } }] } }],
      containers: [{ name: 'c', image: 'web:1', volumeMounts: [{ name: 'p', mountPath: '/p' }] }],
    });
    for (const name of ['cm', 'sec', 'key', 'proj']) {
      const pod = await h.pod(name);
      expect(pod.status?.phase).toBe('Pending');
      expect(stateOf(pod.status?.containerStatuses?.[0])).toBe('waiting:ContainerCreating');
    }
    const events = (await h.cluster.client('v1', 'Event', 'default').list()).items as { reason?: string; message?: string }[];
    const messages = new Set(events.filter((e) => e.reason === 'FailedMount').map((e) => e.message));
    expect([...messages].sort()).toEqual(
      [
        'MountVolume.SetUp failed for volume "config" : configmap "app-config" not found',
        'MountVolume.SetUp failed for volume "creds" : secret "db" not found',
        'MountVolume.SetUp failed for volume "k" : configmap references non-existent config key: nope',
        'MountVolume.SetUp failed for volume "p" : [configmap "x" not found, secret "y" not found]',
      ].sort(),
    );
    await configMaps(h).create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'app-config' }, data: { a: '1' } } as ConfigMap);
    await h.tick(15_000);
    expect(stateOf((await h.pod('cm')).status?.containerStatuses?.[0])).toBe('running');
  });
});

describe('immutable ConfigMaps and Secrets', () => {
  it('rejects changes of data, binaryData and stringData and of the immutable flag, naming the field', async () => {
    h = await startHarness();
    const cm = await configMaps(h).create({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'frozen' },
      immutable: true,
      data: { a: '1' },
      binaryData: { b: b64('x') },
    } as ConfigMap);
    const fail = async (p: Promise<unknown>) => {
      const err = (await p.then(
        () => undefined,
        (e: unknown) => e,
      )) as { reason?: string; status?: { details?: { causes?: { field?: string; message?: string }[] } } };
      expect(err?.reason).toBe('Invalid');
      return err.status?.details?.causes?.map((c) => `${c.field}: ${c.message}`);
    };
    expect(await fail(configMaps(h).update({ ...cm, data: { a: '2' } } as ConfigMap))).toEqual([
      'data: Forbidden: field is immutable when `immutable` is set',
    ]);
    expect(await fail(configMaps(h).update({ ...cm, binaryData: { b: b64('y') } } as ConfigMap))).toEqual([
      'binaryData: Forbidden: field is immutable when `immutable` is set',
    ]);
    expect(await fail(configMaps(h).update({ ...cm, immutable: false } as ConfigMap))).toEqual([
      'immutable: Forbidden: field is immutable when `immutable` is set',
    ]);
    // Labels may still change.
    await configMaps(h).update({ ...cm, metadata: { ...cm.metadata, labels: { x: 'y' } } } as ConfigMap);
    const s = await secrets(h).create({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'frozen' },
      immutable: true,
      data: { a: b64('1') },
    } as Secret);
    expect(await fail(secrets(h).update({ ...s, stringData: { a: '2' } } as Secret))).toEqual([
      'data: Forbidden: field is immutable when `immutable` is set',
    ]);
    expect((await configMaps(h).get('frozen')).data).toEqual({ a: '1' });
    expect((await secrets(h).get('frozen')).data).toEqual({ a: b64('1') });
  });
});
