/**
 * The real kubectl's exec and attach against cluster.serve(), shared by the runtimes that
 * implement execStream/attach (Docker, containerd, processes): stdin piped through `exec -i`, the
 * exit code of the command as kubectl's own, `exec -it` on a pseudo-terminal (script(1)) of the
 * client's size, `attach -i` to a pod that reads its stdin (`stdin: true`), and `attach -it` to a
 * pod with a terminal (`tty: true`). Each runtime's
 * test file passes its cluster and its pod's image (processes run the command on the host).
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Cluster } from '../../../src/cluster/cluster.js';
import type { Pod } from '../../../src/model/types.js';
import type { ServedApi } from '../../../src/server/types.js';
import { eventually } from '../../../src/testing/eventually.js';
import { KUBECTL, Kubectl } from '../../support/kubectl.js';

/** What a runtime's test file gives the cases. */
export interface ExecAttachTarget {
  /** Starts the cluster (its nodes on the runtime under test). */
  start(): Promise<Cluster>;
  /** Stops it and removes what it left. */
  stop(cluster: Cluster | undefined): Promise<void>;
  /** The image of the pods (anything for the process runtime). */
  image: string;
  /** Whether `kubectl cp` (tar through exec -i) runs in the pod's filesystem (not on the process runtime: the host's). */
  cp?: boolean;
}

function pod(name: string, image: string, command: string[], extra: Partial<NonNullable<Pod['spec']>['containers'][number]> = {}): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default' },
    spec: { terminationGracePeriodSeconds: 1, restartPolicy: 'Never', containers: [{ name: 'main', image, command, ...extra }] },
  };
}

async function running(cluster: Cluster, name: string): Promise<void> {
  await eventually(
    async () => {
      const p = await cluster.client<Pod>('v1', 'Pod', 'default').get(name);
      return p.status?.containerStatuses?.[0]?.state?.running ? true : undefined;
    },
    `pod ${name} running`,
    { timeoutMs: 60_000 },
  );
}

/**
 * Runs kubectl under script(1), so it sees a terminal of 91 columns and 27 rows (set by stty in
 * that terminal before kubectl starts: kubectl sends it as its first resize); `input` is typed into it
 * once the output matches `ready` (by default a shell prompt).
 */
function onTerminal(k: Kubectl, args: string[], input: string, ready = /[#$] /): Promise<{ code: number | null; output: string }> {
  const command = `stty cols 91 rows 27; exec ${[KUBECTL, ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ')}`;
  const child = spawn('script', ['-qec', command, '/dev/null'], {
    env: { PATH: process.env.PATH, HOME: k.dir, KUBECONFIG: k.kubeconfig, TERM: 'xterm' },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  // Typed once the remote shell is up (it prints its prompt), as a user would.
  let typed = false;
  child.stdout.on('data', () => {
    if (!typed && ready.test(output)) {
      typed = true;
      child.stdin.write(input);
    }
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
  return new Promise((resolve) =>
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    }),
  );
}

/** The kubectl exec/attach cases against one runtime. */
export function execAttachCases(name: string, target: ExecAttachTarget): void {
  describe(`kubectl exec and attach on ${name}`, { timeout: 120_000 }, () => {
    let cluster: Cluster | undefined;
    let api: ServedApi | undefined;
    let k: Kubectl | undefined;

    beforeAll(async () => {
      cluster = await target.start();
      api = await cluster.serve();
      k = new Kubectl(api.kubeconfig);
      await cluster.apply(pod('shell', target.image, ['sh', '-c', 'trap "exit 0" TERM; sleep 3600 & wait $!']));
      await running(cluster, 'shell');
    });
    afterAll(async () => {
      await target.stop(cluster);
      k?.cleanup();
    });

    it('exec -i pipes stdin to the command and its end to the command as end of file', async () => {
      const r = await k!.run(['exec', '-i', 'shell', '--', 'sh', '-c', 'cat; echo done'], 'one\ntwo\n');
      expect(r).toMatchObject({ code: 0, stdout: 'one\ntwo\ndone\n' });
    });

    it('exec exits with the exit code of the command, and keeps stdout and stderr apart', async () => {
      const r = await k!.run(['exec', 'shell', '--', 'sh', '-c', 'echo out; echo err >&2; exit 3']);
      expect(r.code).toBe(3);
      expect(r.stdout).toBe('out\n');
      expect(r.stderr).toContain('err\n');
      expect(r.stderr).toContain('command terminated with exit code 3');
    });

    it('exec of a command that is not there fails with the runtime saying so', async () => {
      const r = await k!.run(['exec', 'shell', '--', 'no-such-command-here']);
      expect(r.code).not.toBe(0);
    });

    it("exec -it runs the command on a terminal of the client's size, with what is typed as its input", async () => {
      const r = await onTerminal(k!, ['exec', '-it', 'shell', '--', 'sh'], 'tty; stty size; echo sum-$((1+2)); exit 4\n');
      expect(r.output).toMatch(/\/dev\/pts\/\d+/);
      expect(r.output).toMatch(/\b27 91\r?\n/); // kubectl's resize reached the terminal (it starts at 80x24)
      expect(r.output).toContain('sum-3');
      expect(r.code).toBe(4);
    });

    it.runIf(target.cp)('cp copies a file into the pod and back (tar through exec with stdin)', async () => {
      const local = k!.file('up.txt', 'copied up\n');
      await k!.ok(['cp', local, 'shell:/tmp/up.txt']);
      expect(await k!.ok(['exec', 'shell', '--', 'cat', '/tmp/up.txt'])).toBe('copied up\n');
      const back = `${k!.dir}/down.txt`;
      await k!.ok(['cp', 'shell:/tmp/up.txt', back]);
      expect(readFileSync(back, 'utf8')).toBe('copied up\n');
    });

    it('attach -i to a pod that reads its stdin: lines go in, its answers come out, stdinOnce ends it', async () => {
      const c = cluster!;
      await c.apply(
        pod('echo', target.image, ['sh', '-c', 'while read l; do echo got $l; done; echo bye'], { stdin: true, stdinOnce: true }),
      );
      await running(c, 'echo');
      const r = await k!.run(['attach', '-i', 'echo'], 'a\nb\n');
      expect(r.stdout, r.stderr).toContain('got a\ngot b\nbye\n');
      expect(r.code).toBe(0);
      await eventually(
        async () => {
          const p = await c.client<Pod>('v1', 'Pod', 'default').get('echo');
          return p.status?.containerStatuses?.[0]?.state?.terminated?.exitCode === 0 ? true : undefined;
        },
        'the echo pod completed',
        { timeoutMs: 30_000 },
      );
    });

    it("attach -it to a pod with tty: true joins its terminal: what is typed runs there, at the client's size", async () => {
      const c = cluster!;
      await c.apply(pod('term', target.image, ['sh'], { stdin: true, tty: true }));
      await running(c, 'term');
      // kubectl attach sends the client's size plus one, then the size (so the program redraws):
      // the shell waits (bounded, 5 s) for the second before it prints it.
      const typed =
        'tty; i=0; while [ "$(stty size)" != "27 91" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i+1)); done; stty size; echo sum-$((2+3)); exit 5\n';
      const r = await onTerminal(k!, ['attach', '-it', 'term'], typed, /see a command prompt/);
      expect(r.output).toMatch(/\/dev\/pts\/\d+/);
      expect(r.output).toMatch(/\n27 91\r?\n/);
      expect(r.output).toContain('sum-5');
      await eventually(
        async () => {
          const p = await c.client<Pod>('v1', 'Pod', 'default').get('term');
          return p.status?.containerStatuses?.[0]?.state?.terminated?.exitCode === 5 ? true : undefined;
        },
        'the term pod exited 5',
        { timeoutMs: 30_000 },
      );
    });

    it('attach without -i follows the output of the main process until it exits', async () => {
      const c = cluster!;
      await c.apply(pod('ticker', target.image, ['sh', '-c', 'sleep 1; for i in 1 2 3; do echo tick-$i; sleep 0.2; done']));
      await running(c, 'ticker');
      const r = await k!.run(['attach', 'ticker'], undefined, 30_000);
      expect(r.stdout).toContain('tick-3\n');
      expect(r.code).toBe(0);
    });
  });
}
