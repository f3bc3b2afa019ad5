import { describe, expect, it } from 'vitest';
import { decodeManifests } from '../../../src/api/manifest.js';
import { startMockCluster } from '../../../src/testing/mock-cluster.js';

const data = (yaml: string): Record<string, unknown> =>
  decodeManifests(`apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata:\n${yaml}`)[0].data as Record<string, unknown>;

describe('decoding YAML as kubectl does (YAML 1.1, go-yaml v2)', () => {
  it('reads leading-zero integers as octal, and Go 0o, hex and binary integers', () => {
    expect(data('  a: 0755\n  b: 0o17\n  c: 0x1F\n  d: 0b11\n  e: 08\n  f: "0755"')).toEqual({
      a: 493,
      b: 15,
      c: 31,
      d: 3,
      e: 8,
      f: '0755',
    });
  });

  it('reads yes/no/on/off/y/n as booleans, keys included', () => {
    expect(data('  a: yes\n  b: Off\n  on: 1\n  n: 2\n  c: "yes"')).toEqual({ a: true, b: false, true: 1, false: 2, c: 'yes' });
  });

  it('leaves timestamps and sexagesimal numbers strings', () => {
    expect(data('  a: 2020-01-01\n  b: 22:22\n  c: 1:30.5')).toEqual({ a: '2020-01-01', b: '22:22', c: '1:30.5' });
  });

  it("accepts \\' inside double quotes as a quote, and keeps other escapes", () => {
    expect(data(`  a: "it\\'s"\n  b: "a\\\\'b"\n  c: "\\\\\\'"\n  d: "tab\\there"`)).toEqual({
      a: "it's",
      b: "a\\'b",
      c: "\\'",
      d: 'tab\there',
    });
    expect(
      decodeManifests(`{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "a"}, "data": {"a": "it\\'s"}}\n---\n`),
    ).toHaveLength(1);
  });

  it('merges << keys and keeps the last of repeated keys', () => {
    expect(data('  base: &b {x: "1"}\n  m:\n    <<: *b\n    z: "2"\n  k: "1"\n  k: "2"')).toEqual({
      base: { x: '1' },
      m: { x: '1', z: '2' },
      k: '2',
    });
  });

  it('still rejects what kubectl rejects: tabs as indentation, an unknown escape', () => {
    expect(() => decodeManifests('apiVersion: v1\nkind: ConfigMap\nmetadata:\n\tname: a\n')).toThrow(/invalid YAML/);
    expect(() => decodeManifests('apiVersion: v1\nkind: ConfigMap\nmetadata: {name: "a\\q"}\n')).toThrow(/invalid YAML/);
  });
});

describe('file modes of projected volumes', () => {
  it('stores an octal defaultMode as its value and rejects a mode above 0777 naming the field', async () => {
    await using m = await startMockCluster({ nodes: 0 });
    const cluster = m.cluster;
    const pod = (mode: string) => `apiVersion: v1
kind: Pod
metadata: {name: p${mode}}
spec:
  containers: [{name: c, image: busybox, volumeMounts: [{name: s, mountPath: /s}]}]
  volumes:
  - name: s
    secret: {secretName: s, defaultMode: ${mode}, items: [{key: k, path: k, mode: 0400}]}`;
    const [created] = await cluster.apply(pod('0755'));
    expect((created.spec as any).volumes[0].secret).toMatchObject({ defaultMode: 493, items: [{ mode: 256 }] });
    const err = await cluster.apply(pod('1000')).catch((e) => e);
    expect(err.reason).toBe('Invalid');
    expect(err.status.details.causes).toEqual([
      expect.objectContaining({ field: 'spec.volumes[0].secret.defaultMode', message: expect.stringContaining('between 0 and 0777') }),
    ]);
    expect(await cluster.pods().find('p1000')).toBeUndefined();
  });
});
