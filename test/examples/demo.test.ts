/**
 * Runs `examples/demo.ts` (what `npm run demo` runs) as a child process on each runtime and
 * checks what it prints: three pods answering v1 over HTTP, three new pods answering v2 after the
 * rolling update, a killed container restarted, and nothing left after `cluster.stop()`.
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { containerdForTests } from '../support/containerd.js';
import { dockerForTests } from '../support/docker.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function runDemo(runtime: string): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      'npx',
      ['tsx', 'examples/demo.ts'],
      { cwd: ROOT, env: { ...process.env, TUGBOAT_DEMO_RUNTIME: runtime }, timeout: 120_000, maxBuffer: 16 * 1024 * 1024 },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : -1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/** The answers printed after a heading: `GET http://ip:8080/  (pod on node) -> vN from pod`. */
function answersAfter(stdout: string, heading: string): { pod: string; version: string; from: string }[] {
  const start = stdout.indexOf(heading);
  expect(start, `"${heading}" in the output`).toBeGreaterThanOrEqual(0);
  const section = stdout.slice(start).split(/\n\[\d+\.\d+s\] /)[1] ?? '';
  return [...section.matchAll(/GET http:\/\/\S+:8080\/ +\((\S+) on node-\d\) -> (v\d) from (\S+)/g)].map((m) => ({
    pod: m[1],
    version: m[2],
    from: m[3],
  }));
}

function expectTheStory(run: Run): void {
  expect(run.stderr).not.toMatch(/demo failed/);
  expect(run.code).toBe(0);
  const out = run.stdout;

  const v1 = answersAfter(out, 'waiting for the rollout');
  expect(v1).toHaveLength(3);
  for (const a of v1) expect([a.version, a.from]).toEqual(['v1', a.pod]);
  expect(new Set(v1.map((a) => a.pod)).size).toBe(3);

  const v2 = answersAfter(out, 'rolling update to v2');
  expect(v2).toHaveLength(3);
  for (const a of v2) expect([a.version, a.from]).toEqual(['v2', a.pod]);
  expect(new Set(v2.map((a) => a.pod)).size).toBe(3);
  for (const a of v2) expect(v1.map((b) => b.pod)).not.toContain(a.pod);

  const killed = /killed container \S+ of (\S+)/.exec(out);
  expect(killed).not.toBeNull();
  const restarted = /(\S+) was restarted \(restarts: 0 -> 1\) and serves again/.exec(out);
  expect(restarted?.[1]).toBe(killed?.[1]);
  expect(v2.map((a) => a.pod)).toContain(killed?.[1]);

  expect(out).toMatch(/everything removed: .*: 0 left/);
}

describe('npm run demo', () => {
  it('on processes: serves v1 from 3 pods, rolls to v2, restarts a killed container, leaves 0', async () => {
    const run = await runDemo('process');
    expectTheStory(run);
    expect(run.stdout).toContain('local processes (ProcessRuntime)');
  }, 120_000);

  describe('on Docker', () => {
    let docker = false;
    beforeAll(async () => {
      docker = await dockerForTests([]);
    });

    it('serves v1 from 3 containers, rolls to v2, restarts a killed container, leaves 0', async (ctx) => {
      if (!docker) return ctx.skip();
      const run = await runDemo('docker');
      expectTheStory(run);
      expect(run.stdout).toContain('Docker (containers)');
    }, 120_000);
  });

  describe('on containerd', () => {
    let containerd = false;
    beforeAll(async () => {
      containerd = await containerdForTests();
    });

    it('serves v1 from 3 tasks at their CNI pod IPs, rolls to v2, restarts a killed container, leaves 0', async (ctx) => {
      if (!containerd) return ctx.skip();
      const run = await runDemo('containerd');
      expectTheStory(run);
      expect(run.stdout).toContain('containerd (tasks, CNI pod IPs)');
      expect(run.stdout).toMatch(/GET http:\/\/10\.213\./);
    }, 120_000);
  });

  it('fails with exit code 1 and the error when asked for an unknown runtime', async () => {
    const run = await runDemo('nonsense');
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/demo failed: .*TUGBOAT_DEMO_RUNTIME must be "docker", "containerd" or "process", not "nonsense"/);
  }, 60_000);
});
