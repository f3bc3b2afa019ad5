import { spawn } from 'node:child_process';
import { mkdtemp, rm, stat, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eventually } from '../../../../src/testing.js';
import { TugboatError } from '../../../../src/model/errors.js';
import { procStat } from '../../../../src/runtime-adapters/process/proc.js';
import { ProcessRuntime } from '../../../../src/runtime-adapters/process/index.js';
import type { ContainerConfig, Mount } from '../../../../src/runtime-adapters/types.js';

let dir: string;
let rt: ProcessRuntime;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tugboat-proc-unit-'));
  rt = new ProcessRuntime({ stateDir: dir });
});
afterEach(async () => {
  for (const c of await rt.listContainers()) await rt.removeContainer(c.id);
  await rm(dir, { recursive: true, force: true });
});

async function run(command: string[], extra: Partial<ContainerConfig> = {}) {
  const sb = await rt.runSandbox({ podUid: 'u', namespace: 'ns', podName: 'p', hostname: 'p', labels: { app: 'x' }, ports: [] });
  const id = await rt.createContainer(sb.id, {
    name: 'c',
    image: 'ignored:1',
    command,
    env: {},
    mounts: [],
    ports: [],
    resources: {},
    labels: { app: 'x' },
    ...extra,
  });
  await rt.startContainer(id);
  return id;
}

async function writeRecord(id: string, fields: { pid: number; pidStartTicks: number }): Promise<void> {
  const cdir = join(dir, 'containers', id);
  await mkdir(cdir, { recursive: true });
  await writeFile(
    join(cdir, 'record.json'),
    JSON.stringify({
      id,
      sandboxId: 'sb',
      name: 'c',
      image: 'i',
      labels: { app: 'old' },
      argv: ['x'],
      env: {},
      cwd: dir,
      stdoutPath: join(cdir, 'stdout.log'),
      stderrPath: join(cdir, 'stderr.log'),
      state: 'running',
      ...fields,
      createdAt: new Date().toISOString(),
      startedAt: new Date().toISOString(),
    }),
  );
}

const lines = async (id: string) => {
  const out: string[] = [];
  for await (const l of rt.logs(id)) out.push(l.line);
  return out;
};

describe('ProcessRuntime', () => {
  it('stop kills the whole process group, grandchildren included', async () => {
    const id = await run(['sh', '-c', 'sleep 1000 & echo $!; wait']);
    const child = Number(await eventually(async () => (await lines(id))[0], 'the process state', { timeoutMs: 20_000 })); // the grandchild's pid
    expect((await procStat(child))?.state).toBeDefined();
    await rt.stopContainer(id, 5000);
    await eventually(
      async () => {
        const s = await procStat(child);
        return s === undefined || s.state === 'Z';
      },
      'the process state',
      { timeoutMs: 20_000 },
    );
    expect((await rt.inspectContainer(id)).state).toBe('exited');
  });

  it('a signal exit is 128 + the signal number', async () => {
    const id = await run(['sh', '-c', 'kill -USR1 $$']);
    const s = await eventually(
      async () => {
        const x = await rt.inspectContainer(id);
        return x.state === 'exited' && x;
      },
      'the process state',
      { timeoutMs: 20_000 },
    );
    expect([s.exitCode, s.reason]).toEqual([138, 'Error']);
  });

  it('pid reuse guard: a record whose pid now belongs to another process is not adopted, and that process is not killed', async () => {
    const stranger = spawn('sleep', ['1000'], { detached: true, stdio: 'ignore' });
    try {
      const pid = stranger.pid as number;
      const real = await eventually(() => procStat(pid), 'the process state', { timeoutMs: 20_000 });
      await writeRecord('old', { pid, pidStartTicks: real.startTicks - 1 });
      const fresh = new ProcessRuntime({ stateDir: dir });
      const [s] = await fresh.listContainers({ app: 'old' });
      expect([s.state, s.exitCode, s.reason]).toEqual(['exited', undefined, 'Unknown']);
      await fresh.stopContainer('old', 0);
      expect((await procStat(pid))?.state).not.toBe('Z');
      expect(stranger.exitCode).toBe(null);
      await fresh.close();
    } finally {
      stranger.kill('SIGKILL');
    }
  });

  it('adoption: a process left by a crashed agent is running; when it dies its exit code is unknown (Unknown, exit event)', async () => {
    const orphan = spawn('sleep', ['1000'], { detached: true, stdio: 'ignore' });
    const pid = orphan.pid as number;
    const real = await eventually(() => procStat(pid), 'the process state', { timeoutMs: 20_000 });
    await writeRecord('left', { pid, pidStartTicks: real.startTicks });
    const fresh = new ProcessRuntime({ stateDir: dir, adoptedPollMs: 50 });
    const [s] = await fresh.listContainers({ app: 'old' });
    expect([s.id, s.state]).toEqual(['left', 'running']);
    const ac = new AbortController();
    const events = fresh.events(ac.signal);
    orphan.kill('SIGKILL');
    for await (const e of events) {
      if (e.containerId === 'left' && e.type === 'exit') {
        expect(e.exitCode).toBeUndefined();
        break;
      }
    }
    ac.abort();
    const after = await fresh.inspectContainer('left');
    expect([after.state, after.exitCode, after.reason]).toEqual(['exited', undefined, 'Unknown']);
    await fresh.close();
  });

  it('env is only the given env plus PATH, HOME and POD_IP; workingDir is honoured', async () => {
    process.env.TUGBOAT_SHOULD_NOT_LEAK = '1';
    const id = await run(['sh', '-c', 'env; pwd; exec sleep 1000'], { env: { GREETING: 'hi' }, workingDir: tmpdir() });
    const out = await eventually(
      async () => {
        const l = await lines(id);
        return l.some((x) => x === tmpdir()) && l;
      },
      'the process state',
      { timeoutMs: 20_000 },
    );
    delete process.env.TUGBOAT_SHOULD_NOT_LEAK;
    const names = out
      .filter((l) => l.includes('='))
      .map((l) => l.split('=')[0])
      .filter((n) => n !== 'PWD' && n !== 'SHLVL' && n !== '_');
    expect(names.sort()).toEqual(['GREETING', 'HOME', 'PATH', 'POD_IP'].filter((n) => n !== 'HOME' || process.env.HOME !== undefined));
    const r = await rt.exec(id, ['sh', '-c', 'echo "$GREETING"; pwd']);
    expect(r.stdout).toBe(`hi\n${tmpdir()}\n`);
  });

  it('execStream with tty runs the command on a pty with the container env and working directory', async () => {
    const id = await run(['sleep', '1000'], { env: { GREETING: 'hi' }, workingDir: tmpdir() });
    const s = await rt.execStream(id, ['sh', '-c', 'tty; echo "$GREETING $TERM $POD_IP"; pwd; read l; echo "read $l"; exit 5'], {
      stdin: true,
      tty: true,
    });
    expect(s.stderr).toBeUndefined();
    let out = '';
    s.stdout.on('data', (d: Buffer) => (out += d.toString()));
    s.stdin!.write('typed\n');
    expect(await s.done).toEqual({ exitCode: 5 });
    const podIp = (await rt.listSandboxes())[0].ip;
    expect(out).toMatch(/\/dev\/pts\/\d+\r\n/);
    expect(out).toContain(`\r\nhi xterm ${podIp}\r\n${tmpdir()}\r\n`);
    expect(out).toContain('\r\nread typed\r\n');
  });

  it('a tty container runs on a pty: attach joins its terminal (raw output, typed input, resize), its log keeps the output, done gives the exit code', async () => {
    const id = await run(['sh'], { tty: true, stdin: true, stdinOnce: false });
    const a = await rt.attach(id, { stdin: true, tty: true });
    expect(a.stderr).toBeUndefined();
    let out = '';
    const seen = new Promise<void>((resolve) =>
      a.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        if (out.includes('mark-1\r\n')) resolve();
      }),
    );
    await a.resize({ cols: 91, rows: 27 });
    a.stdin!.write('tty; stty size; echo mark-$((0+1))\n');
    await seen;
    expect(out).toMatch(/\/dev\/pts\/\d+\r\n/);
    expect(out).toMatch(/\b27 91\r\n/);
    a.stdin!.write('exit 6\n');
    expect(await a.done).toEqual({ exitCode: 6 });
    await eventually(async () => (await rt.inspectContainer(id)).state === 'exited', 'the container exited');
    expect((await rt.inspectContainer(id)).exitCode).toBe(6);
    expect((await lines(id)).join('\n')).toContain('mark-1');
  });

  it("a tty container's log keeps its whole output, up to its exit", async () => {
    const ids = [];
    for (let i = 0; i < 4; i++) ids.push(await run(['head', '-c', '200000', '/dev/zero'], { tty: true }));
    for (const id of ids) {
      await eventually(async () => (await rt.inspectContainer(id)).state === 'exited', 'the container exited');
      expect((await stat(join(dir, 'containers', id, 'stdout.log'))).size).toBe(200_000);
    }
  });

  it('attach to a tty container: a client that detaches leaves it running; without stdin: true there is no stdin to attach to', async () => {
    const id = await run(['sh', '-c', 'echo ready; exec sleep 1000'], { tty: true });
    const a = await rt.attach(id, { stdin: false, tty: true });
    a.close();
    expect(await a.done).toEqual({});
    expect((await rt.inspectContainer(id)).state).toBe('running');
    await expect(rt.attach(id, { stdin: true, tty: true })).rejects.toThrow(/has no stdin to attach to/);
  });

  it('execStream checks the command before choosing pipes or a terminal, and needs a running container', async () => {
    const id = await run(['sleep', '1000']);
    for (const tty of [false, true]) {
      const err = await rt.execStream(id, [], { stdin: false, tty }).catch((e: unknown) => e);
      expect(TugboatError.is(err, 'Invalid')).toBe(true);
      expect((err as TugboatError).causes.map((c) => c.field)).toEqual(['command']);
    }
    await rt.stopContainer(id, 0);
    await expect(rt.execStream(id, ['sh'], { stdin: true, tty: true })).rejects.toThrow(/is not running/);
  });

  it('volumes: emptyDir and files are host folders exported as TUGBOAT_VOLUME_<NAME>', async () => {
    const mounts: Mount[] = [
      { kind: 'emptyDir', volume: 'scratch', containerPath: '/scratch' },
      { kind: 'files', volume: 'app-config', containerPath: '/etc/app', files: { 'key.txt': new TextEncoder().encode('value') } },
    ];
    const id = await run(['sleep', '1000'], { mounts });
    const r = await rt.exec(id, ['sh', '-c', 'cat "$TUGBOAT_VOLUME_APP_CONFIG/key.txt"; touch "$TUGBOAT_VOLUME_SCRATCH/x" && echo ok']);
    expect(r.stdout).toBe('valueok\n');
    expect(r.exitCode).toBe(0);
  });

  it('a missing executable fails the start with StartError; no command is Invalid naming the field', async () => {
    await expect(run(['/no/such/binary'])).rejects.toThrow(/no\/such\/binary/);
    const [s] = (await rt.listContainers()).filter((c) => c.state === 'exited');
    expect(s.reason).toBe('StartError');
    const err = await run([]).catch((e: unknown) => e);
    expect(TugboatError.is(err, 'Invalid')).toBe(true);
    expect((err as TugboatError).causes.map((c) => c.field)).toEqual(['command']);
  });
});
