import { mkdir, mkdtemp, rm, utimes, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eventually } from '../../../../src/testing.js';
import { TugboatError } from '../../../../src/model/errors.js';
import { ProcessRuntime } from '../../../../src/runtime-adapters/process/index.js';
import type { SandboxConfig } from '../../../../src/runtime-adapters/types.js';

let dir: string;
let rt: ProcessRuntime;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tugboat-proc-addr-'));
  rt = new ProcessRuntime({ stateDir: dir, addressBlock: 201 });
});
afterEach(async () => {
  for (const s of await rt.listSandboxes()) await rt.removeSandbox(s.id);
  await rm(dir, { recursive: true, force: true });
});

const sandbox = (name: string, extra: Partial<SandboxConfig> = {}): SandboxConfig => ({
  podUid: `uid-${name}`,
  namespace: 'ns',
  podName: name,
  hostname: name,
  labels: { pod: name },
  ports: [],
  ...extra,
});

function get(host: string, port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request({ host, port, path: '/', timeout: 2000 }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve(body));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('ProcessRuntime pod addresses', () => {
  it('gives each sandbox its own loopback address in its block', async () => {
    const sbs = await Promise.all(['a', 'b', 'c', 'd'].map((n) => rt.runSandbox(sandbox(n))));
    const ips = sbs.map((s) => s.ip);
    expect(new Set(ips).size).toBe(4);
    for (const ip of ips) expect(ip).toMatch(/^127\.201\.\d+\.\d+$/);
    expect((await rt.listSandboxes()).map((s) => s.ip).sort()).toEqual([...ips].sort());
  });

  it('two pods serve the same port on their own addresses; POD_IP and endpointFor give that address', async () => {
    const port = 18000 + Math.floor(Math.random() * 2000);
    const server = `require('http').createServer((q, s) => s.end(process.env.NAME + '@' + process.env.POD_IP)).listen(${port}, process.env.POD_IP)`;
    const pods = [];
    for (const name of ['one', 'two']) {
      const sb = await rt.runSandbox(sandbox(name));
      const id = await rt.createContainer(sb.id, {
        name: 'web',
        image: 'host',
        command: [process.execPath, '-e', server],
        env: { NAME: name },
        mounts: [],
        ports: [],
        resources: {},
        labels: { pod: name },
      });
      await rt.startContainer(id);
      pods.push({ name, sb });
    }
    for (const { name, sb } of pods) {
      const ep = rt.endpointFor(sb, port);
      expect(ep).toEqual({ host: sb.ip, port });
      expect(await eventually(() => get(ep.host, ep.port), 'the pod server to answer', { timeoutMs: 20_000 })).toBe(`${name}@${sb.ip}`);
    }
  });

  it('a reopened runtime reports the same addresses; a removed sandbox frees its address', async () => {
    const a = await rt.runSandbox(sandbox('a'));
    const b = await rt.runSandbox(sandbox('b'));
    const again = new ProcessRuntime({ stateDir: dir, addressBlock: 201 });
    expect((await again.listSandboxes()).map((s) => [s.id, s.ip]).sort()).toEqual(
      [
        [a.id, a.ip],
        [b.id, b.ip],
      ].sort(),
    );
    const c = await again.runSandbox(sandbox('c'));
    expect([a.ip, b.ip]).not.toContain(c.ip);
    await rt.removeSandbox(a.id);
    const d = await again.runSandbox(sandbox('d'));
    expect(d.ip).toBe(a.ip);
  });

  it('two runtimes over one state directory never lease the same address', async () => {
    const other = new ProcessRuntime({ stateDir: dir, addressBlock: 201 });
    const sbs = await Promise.all(Array.from({ length: 12 }, (_, i) => (i % 2 ? rt : other).runSandbox(sandbox(`p${i}`))));
    expect(new Set(sbs.map((s) => s.ip)).size).toBe(12);
  });

  it('takes back a stale lease left by a crash, but not a fresh one', async () => {
    await mkdir(join(dir, 'addresses'), { recursive: true });
    await writeFile(join(dir, 'addresses', '127.201.0.1'), 'proc-sb-crashed');
    await writeFile(join(dir, 'addresses', '127.201.0.2'), 'proc-sb-in-progress');
    const old = new Date(Date.now() - 60_000);
    await utimes(join(dir, 'addresses', '127.201.0.1'), old, old);
    const sb = await rt.runSandbox(sandbox('a'));
    expect(sb.ip).toBe('127.201.0.1');
    expect((await rt.runSandbox(sandbox('b'))).ip).toBe('127.201.0.3');
  });

  it('hostNetwork sandboxes get 127.0.0.1; the default block comes from the state directory', async () => {
    expect((await rt.runSandbox(sandbox('h', { hostNetwork: true }))).ip).toBe('127.0.0.1');
    const dflt = new ProcessRuntime({ stateDir: dir });
    const sb = await dflt.runSandbox(sandbox('x'));
    expect(sb.ip).toMatch(/^127\.([1-9]\d?|1\d\d|2[0-4]\d|25[0-4])\.\d+\.\d+$/);
  });

  it('rejects an addressBlock out of 1..254 naming the field', () => {
    for (const addressBlock of [0, 255, 3.5]) {
      const err = (() => {
        try {
          return new ProcessRuntime({ stateDir: dir, addressBlock });
        } catch (e) {
          return e;
        }
      })();
      expect(TugboatError.is(err, 'Invalid')).toBe(true);
      expect((err as TugboatError).causes.map((c) => c.field)).toEqual(['addressBlock']);
    }
  });
});
