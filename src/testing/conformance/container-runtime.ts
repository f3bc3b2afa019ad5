/**
 * The ContainerRuntime conformance suite: one set of behavioural cases that every runtime
 * (mock, process, docker, ...) must pass. Each runtime's test file is a few lines:
 *
 * ```ts
 * await runContainerRuntimeConformance({ name: 'process', setup: async ({ clusterName }) => ({ runtime, reopen, fixtures, cleanup }) });
 * ```
 *
 * Real time, generous timeouts, no timed assertions. Events: the suite calls `events()` before
 * it starts the container it watches, so a runtime must deliver every event that happens after
 * `events()` returns (subscribe eagerly, or replay from the call time).
 */
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { eventually } from '../eventually.js';
import { ConformanceCases, type SkippedCases } from './cases.js';
import { RealClock } from '../../clock/real-clock.js';
import {
  ImagePullError,
  RUNTIME_LABELS,
  type ContainerConfig,
  type ContainerRuntime,
  type ContainerStatus,
  type LogLine,
  type RuntimeEvent,
  type SandboxStatus,
} from '../../runtime-adapters/types.js';

/** What a fixture contributes to a ContainerConfig; the suite adds name, labels, mounts, ports and resources. */
export type FixtureContainer = Pick<ContainerConfig, 'image'> & Partial<Pick<ContainerConfig, 'command' | 'args' | 'env' | 'workingDir'>>;

/** Per-runtime ways to get containers that behave in known ways. */
export interface RuntimeFixtures {
  /** An image present on (or pullable by) the runtime, used with policy IfNotPresent. */
  image: string;
  /** An image absent from the runtime, for policy Never. Omit when the runtime has no images (process). */
  missingImage?: string;
  /** Runs forever and answers HTTP GET / with 200 on `port` (TCP). */
  server(port: number): FixtureContainer;
  /** Exits at once with `code`. */
  exits(code: number): FixtureContainer;
  /** Prints `lines` to stdout, one per line, in order, then sleeps forever. */
  prints(lines: string[]): FixtureContainer;
  /**
   * Runs forever and ignores SIGTERM (only SIGKILL ends it); prints `ready` on stdout once it
   * ignores SIGTERM, so the suite stops it only after that (a shell's trap is not set at once).
   */
  ignoresTerm(): FixtureContainer;
  /** A command for `exec` in a running container that prints `text` on stdout and exits with `code`. */
  execCommand(text: string, code: number): string[];
}

/** What a runtime's setup hands the suite. */
export interface RuntimeHarness {
  runtime: ContainerRuntime;
  /** A fresh instance over the same backing (daemon, state dir, memory), as after an agent restart. */
  reopen(): Promise<ContainerRuntime>;
  fixtures: RuntimeFixtures;
  /** Removes whatever the harness made (the suite removes its own sandboxes and containers first). */
  cleanup(): Promise<void>;
}

/** What the suite tells setup: names to use so that runs do not collide. */
export interface ConformanceContext {
  clusterName: string;
  nodeName: string;
}

const NS = 'conformance';
const LONG = 60_000;

/** A TCP port that was free a moment ago on 127.0.0.1. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  await new Promise((r) => server.close(r));
  return port;
}

function httpGet(host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request({ host, port, path: '/', timeout: 2000 }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end();
  });
}

async function collect<T>(it: AsyncIterable<T>, limit = Infinity): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) {
    out.push(x);
    if (out.length >= limit) break;
  }
  return out;
}

/** Options of `runContainerRuntimeConformance`. */
export interface ContainerRuntimeConformanceOptions {
  /** Shown in the test report: `ContainerRuntime conformance: <name>`. */
  name: string;
  /** Makes the runtime under test and its fixtures; called once for the suite. */
  setup: (ctx: ConformanceContext) => Promise<RuntimeHarness>;
  /**
   * Cases this runtime does not pass yet, with the reason, by title: reported as skipped.
   * Naming a case that does not exist fails the suite.
   */
  skip?: SkippedCases;
}

/** Registers the ContainerRuntime conformance cases (vitest `describe`/`it`, real time); loaded by `runContainerRuntimeConformance` inside a vitest run. */
export function registerContainerRuntimeConformance(options: ContainerRuntimeConformanceOptions): void {
  const { name, setup } = options;
  describe(`ContainerRuntime conformance: ${name}`, () => {
    const cases = ConformanceCases.of(options.skip);
    const ctx: ConformanceContext = {
      clusterName: `conf-${name}-${process.pid}-${Date.now().toString(36)}`,
      nodeName: 'conf-node',
    };
    const clusterLabel = { [RUNTIME_LABELS.cluster]: ctx.clusterName };
    let h: RuntimeHarness;
    let rt: ContainerRuntime;
    const extra: ContainerRuntime[] = [];
    let seq = 0;

    const bind = (r: ContainerRuntime): ContainerRuntime => {
      r.bind?.({ clock: new RealClock(), clusterName: ctx.clusterName, nodeName: ctx.nodeName });
      return r;
    };

    beforeAll(async () => {
      h = await setup(ctx);
      rt = bind(h.runtime);
    }, LONG);

    afterAll(async () => {
      if (!h) return;
      for (const c of await rt.listContainers(clusterLabel).catch(() => [])) {
        await rt.stopContainer(c.id, 0).catch(() => undefined);
        await rt.removeContainer(c.id).catch(() => undefined);
      }
      for (const s of await rt.listSandboxes(clusterLabel).catch(() => [])) {
        await rt.stopSandbox(s.id).catch(() => undefined);
        await rt.removeSandbox(s.id).catch(() => undefined);
      }
      for (const r of extra) await r.close?.().catch(() => undefined);
      await rt.close?.().catch(() => undefined);
      await h.cleanup();
    }, LONG);

    /** A new pod: its sandbox is running and its labels are known. */
    async function pod(): Promise<{ uid: string; sandbox: SandboxStatus; labels: Record<string, string> }> {
      const n = ++seq;
      const uid = `${ctx.clusterName}-uid-${n}`;
      const labels = {
        ...clusterLabel,
        [RUNTIME_LABELS.node]: ctx.nodeName,
        [RUNTIME_LABELS.podUid]: uid,
        [RUNTIME_LABELS.namespace]: NS,
        [RUNTIME_LABELS.podName]: `pod-${n}`,
      };
      const sandbox = await rt.runSandbox({
        podUid: uid,
        namespace: NS,
        podName: `pod-${n}`,
        hostname: `pod-${n}`,
        labels: { ...labels, [RUNTIME_LABELS.role]: 'sandbox' },
        ports: [],
      });
      return { uid, sandbox, labels };
    }

    function config(p: { labels: Record<string, string> }, fixture: FixtureContainer, name = 'main', attempt = 0): ContainerConfig {
      return {
        name,
        env: {},
        mounts: [],
        ports: [],
        resources: {},
        ...fixture,
        labels: {
          ...p.labels,
          [RUNTIME_LABELS.container]: name,
          [RUNTIME_LABELS.role]: 'container',
          [RUNTIME_LABELS.attempt]: String(attempt),
        },
      };
    }

    async function run(fixture: FixtureContainer, name = 'main') {
      const p = await pod();
      const id = await rt.createContainer(p.sandbox.id, config(p, fixture, name));
      await rt.startContainer(id);
      return { ...p, id };
    }

    const exited = (r: ContainerRuntime, id: string): Promise<ContainerStatus> =>
      eventually(async () => {
        const s = await r.inspectContainer(id);
        return s.state === 'exited' ? s : undefined;
      }, `container ${id} to exit`);

    async function httpOk(sandbox: SandboxStatus, id: string, port: number): Promise<boolean> {
      if (rt.probe) return (await rt.probe(id, { type: 'http', port, path: '/' }, 2000)).result === 'success';
      const ep = rt.endpointFor?.(sandbox, port) ?? { host: sandbox.ip, port };
      return (await httpGet(ep.host, ep.port)) === 200;
    }

    cases.case(
      'ensureImage: IfNotPresent and Always give the image; Never on a missing image is ErrImageNeverPull',
      async () => {
        const info = await rt.ensureImage(h.fixtures.image, 'IfNotPresent');
        expect(info.ref).toBe(h.fixtures.image);
        expect(typeof info.id).toBe('string');
        const never = await rt.ensureImage(h.fixtures.image, 'Never');
        expect(never.ref).toBe(h.fixtures.image);
        if (h.fixtures.missingImage === undefined) return;
        const err = await rt.ensureImage(h.fixtures.missingImage, 'Never').catch((e: unknown) => e);
        expect(err).toBeInstanceOf(ImagePullError);
        expect((err as ImagePullError).reason).toBe('ErrImageNeverPull');
        expect((err as ImagePullError).image).toBe(h.fixtures.missingImage);
      },
      LONG,
    );

    cases.case(
      'sandboxes: run, list by labels, stop and remove (idempotent)',
      async () => {
        const p = await pod();
        expect(p.sandbox.state).toBe('ready');
        expect(p.sandbox.labels[RUNTIME_LABELS.podUid]).toBe(p.uid);
        const listed = await rt.listSandboxes({ [RUNTIME_LABELS.podUid]: p.uid });
        expect(listed.map((s) => s.id)).toEqual([p.sandbox.id]);
        expect(await rt.listSandboxes({ [RUNTIME_LABELS.podUid]: 'no-such-uid' })).toEqual([]);
        await rt.stopSandbox(p.sandbox.id);
        await rt.stopSandbox(p.sandbox.id);
        const stopped = await rt.listSandboxes({ [RUNTIME_LABELS.podUid]: p.uid });
        expect(stopped.map((s) => s.state)).toEqual(['notready']);
        await rt.removeSandbox(p.sandbox.id);
        await rt.removeSandbox(p.sandbox.id);
        expect(await rt.listSandboxes({ [RUNTIME_LABELS.podUid]: p.uid })).toEqual([]);
      },
      LONG,
    );

    cases.case(
      'create and start: the container runs and serves',
      async () => {
        const port = await freePort();
        const p = await pod();
        const id = await rt.createContainer(p.sandbox.id, config(p, h.fixtures.server(port)));
        const created = await rt.inspectContainer(id);
        expect(created.state).toBe('created');
        expect(created.sandboxId).toBe(p.sandbox.id);
        expect(created.name).toBe('main');
        await rt.startContainer(id);
        const running = await rt.inspectContainer(id);
        expect(running.state).toBe('running');
        expect(running.startedAt).toBeInstanceOf(Date);
        expect(running.labels[RUNTIME_LABELS.podUid]).toBe(p.uid);
        await eventually(() => httpOk(p.sandbox, id, port).catch(() => false), 'the server to answer');
        await rt.stopContainer(id, 10_000);
      },
      LONG,
    );

    cases.case(
      'stop: a container that handles SIGTERM exits without waiting for the grace period',
      async () => {
        const port = await freePort();
        const c = await run(h.fixtures.server(port));
        // A grace longer than the test's timeout: waiting for it fails the test.
        await rt.stopContainer(c.id, 10 * LONG);
        expect((await rt.inspectContainer(c.id)).state).toBe('exited');
        await rt.stopContainer(c.id, 10 * LONG);
      },
      LONG,
    );

    cases.case(
      'stop: a container that ignores SIGTERM is killed after the grace period',
      async () => {
        const c = await run(h.fixtures.ignoresTerm());
        await eventually(async () => (await collect(rt.logs(c.id))).some((l) => l.line === 'ready'), 'the container to ignore SIGTERM');
        await rt.stopContainer(c.id, 1000);
        const s = await rt.inspectContainer(c.id);
        expect(s.state).toBe('exited');
        expect(s.exitCode).toBe(137);
        expect(s.reason).toBe('Error');
      },
      LONG,
    );

    cases.case(
      'exit codes: 0 is Completed, anything else is Error',
      async () => {
        const ok = await run(h.fixtures.exits(0));
        const bad = await run(h.fixtures.exits(3));
        const a = await exited(rt, ok.id);
        const b = await exited(rt, bad.id);
        expect([a.exitCode, a.reason]).toEqual([0, 'Completed']);
        expect([b.exitCode, b.reason]).toEqual([3, 'Error']);
        expect(b.finishedAt).toBeInstanceOf(Date);
      },
      LONG,
    );

    cases.case(
      'crash and restart: a new container in the same sandbox after the first exited',
      async () => {
        const c = await run(h.fixtures.exits(2));
        await exited(rt, c.id);
        const port = await freePort();
        const id2 = await rt.createContainer(c.sandbox.id, config(c, h.fixtures.server(port), 'main', 1));
        await rt.startContainer(id2);
        expect(id2).not.toBe(c.id);
        const all = await rt.listContainers({ [RUNTIME_LABELS.podUid]: c.uid });
        const byId = new Map(all.map((s) => [s.id, s]));
        expect(byId.get(c.id)?.state).toBe('exited');
        expect(byId.get(id2)?.state).toBe('running');
        expect(byId.get(id2)?.labels[RUNTIME_LABELS.attempt]).toBe('1');
        await rt.stopContainer(id2, 10_000);
      },
      LONG,
    );

    cases.case(
      'logs: order, tail, and follow ends when the container exits',
      async () => {
        const lines = ['first line', 'second line', 'third line'];
        const c = await run(h.fixtures.prints(lines));
        const all = await eventually(async () => {
          const got = (await collect(rt.logs(c.id))).map((l) => l.line);
          return got.length >= 3 ? got : undefined;
        }, 'three log lines');
        expect(all).toEqual(lines);
        const tail = await collect(rt.logs(c.id, { tail: 2 }));
        expect(tail.map((l) => l.line)).toEqual(lines.slice(1));
        expect(tail.every((l) => l.stream === 'stdout')).toBe(true);
        const followed: LogLine[] = [];
        const following = (async () => {
          for await (const l of rt.logs(c.id, { follow: true })) followed.push(l);
        })();
        await eventually(async () => followed.length >= 3, 'followed lines');
        await rt.stopContainer(c.id, 1000);
        await following; // ends on exit, else the test times out
        expect(followed.map((l) => l.line)).toEqual(lines);
      },
      LONG,
    );

    cases.case(
      'logs: follow ends when the signal aborts',
      async () => {
        const c = await run(h.fixtures.prints(['only']));
        const ac = new AbortController();
        const seen: string[] = [];
        const following = (async () => {
          for await (const l of rt.logs(c.id, { follow: true, signal: ac.signal })) seen.push(l.line);
        })();
        await eventually(async () => seen.length >= 1, 'the line');
        ac.abort();
        await following;
        expect(seen).toEqual(['only']);
        expect((await rt.inspectContainer(c.id)).state).toBe('running');
        await rt.stopContainer(c.id, 1000);
      },
      LONG,
    );

    cases.case(
      'exec: exit code and stdout',
      async () => {
        const c = await run(h.fixtures.server(await freePort()));
        const r = await rt.exec(c.id, h.fixtures.execCommand('hello-exec', 3));
        expect(r.exitCode).toBe(3);
        expect(r.stdout).toContain('hello-exec');
        const ok = await rt.exec(c.id, h.fixtures.execCommand('fine', 0));
        expect(ok.exitCode).toBe(0);
        await rt.stopContainer(c.id, 10_000);
      },
      LONG,
    );

    cases.case(
      'stats: numbers for a running container',
      async () => {
        const c = await run(h.fixtures.server(await freePort()));
        const s = await rt.stats(c.id);
        expect(Number.isFinite(s.cpuMillis) && s.cpuMillis >= 0).toBe(true);
        expect(Number.isFinite(s.memoryBytes) && s.memoryBytes >= 0).toBe(true);
        expect(s.at).toBeInstanceOf(Date);
        await rt.stopContainer(c.id, 10_000);
      },
      LONG,
    );

    cases.case(
      'events: start and exit (with its code) arrive without asking',
      async () => {
        const ac = new AbortController();
        const stream = rt.events(ac.signal);
        const p = await pod();
        const id = await rt.createContainer(p.sandbox.id, config(p, h.fixtures.exits(5)));
        const seen: RuntimeEvent[] = [];
        const done = (async () => {
          for await (const e of stream) {
            if (e.containerId !== id) continue;
            seen.push(e);
            if (e.type === 'exit') break;
          }
        })();
        await rt.startContainer(id);
        await done;
        ac.abort();
        expect(seen.map((e) => e.type)).toContain('start');
        const exit = seen.find((e) => e.type === 'exit');
        expect(exit?.exitCode).toBe(5);
        expect(exit?.labels[RUNTIME_LABELS.podUid]).toBe(p.uid);
        expect(exit?.at).toBeInstanceOf(Date);
        expect(seen.findIndex((e) => e.type === 'start')).toBeLessThan(seen.findIndex((e) => e.type === 'exit'));
      },
      LONG,
    );

    cases.case(
      'adoption: a reopened runtime lists the running sandboxes and containers with their labels, and stops them',
      async () => {
        const c = await run(h.fixtures.server(await freePort()));
        const again = bind(await h.reopen());
        extra.push(again);
        const sandboxes = await again.listSandboxes({ [RUNTIME_LABELS.podUid]: c.uid });
        expect(sandboxes.map((s) => [s.id, s.labels[RUNTIME_LABELS.podName]])).toEqual([[c.sandbox.id, c.labels[RUNTIME_LABELS.podName]]]);
        const containers = await again.listContainers({ ...clusterLabel, [RUNTIME_LABELS.podUid]: c.uid });
        expect(containers).toHaveLength(1);
        expect(containers[0]).toMatchObject({ id: c.id, state: 'running', sandboxId: c.sandbox.id, name: 'main' });
        expect(containers[0].labels).toMatchObject({ [RUNTIME_LABELS.container]: 'main', [RUNTIME_LABELS.podUid]: c.uid });
        await again.stopContainer(c.id, 10_000);
        expect((await again.inspectContainer(c.id)).state).toBe('exited');
        expect((await rt.listContainers({ [RUNTIME_LABELS.podUid]: c.uid }))[0]?.state).toBe('exited');
      },
      LONG,
    );

    cases.case(
      'cleanup: removed containers and sandboxes are gone',
      async () => {
        const c = await run(h.fixtures.server(await freePort()));
        const done = await run(h.fixtures.exits(0));
        await exited(rt, done.id);
        await rt.stopContainer(c.id, 10_000);
        for (const x of [c, done]) {
          await rt.removeContainer(x.id);
          await rt.removeContainer(x.id);
          await rt.stopSandbox(x.sandbox.id);
          await rt.removeSandbox(x.sandbox.id);
          expect(await rt.listContainers({ [RUNTIME_LABELS.podUid]: x.uid })).toEqual([]);
          expect(await rt.listSandboxes({ [RUNTIME_LABELS.podUid]: x.uid })).toEqual([]);
          await expect(rt.inspectContainer(x.id)).rejects.toThrow();
        }
      },
      LONG,
    );
    cases.checkSkips();
  });
}
