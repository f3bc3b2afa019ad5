/**
 * Which runtime the demo runs on, and the web container for it: Docker when a daemon answers
 * (building the demo's busybox image locally when it is missing: there is no registry), else
 * local processes. `TUGBOAT_DEMO_RUNTIME=docker|containerd|process` forces one (containerd only
 * when asked: its images come from dockerd with `docker save | ctr images import`).
 */
import { execFile } from 'node:child_process';
import { access, mkdir, mkdtemp, rm, symlink, copyFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ContainerdRuntime } from '../../src/containerd.js'; // 'tugboat/containerd': loads grpc-js only when used
import { DockerRuntime } from '../../src/docker.js'; // 'tugboat/docker': loads dockerode only for Docker users
import { ProcessRuntime, type ContainerRuntime } from '../../src/index.js';

const run = promisify(execFile);

/** The demo's image, by version. On processes it is only a name shown in the table. */
export const webImage = (version: number): string => `tugboat-demo/web:${version}`;

/** What the demo needs from its runtime choice. */
export interface DemoRuntime {
  kind: 'docker' | 'containerd' | 'process';
  /** Makes the runtime of one node. */
  newRuntime(): ContainerRuntime;
  /** The web container's command: serves "v<N> from <pod name>" on $POD_IP:8080. */
  command: string[];
}

const BUSYBOX = '/bin/busybox';

/** The busybox httpd server: writes its page, then serves it; exits at once on SIGTERM. */
const HTTPD = ['/bin/sh', '-c', 'echo "$VERSION from $POD_NAME" > /www/index.html; trap "exit 0" TERM; httpd -f -p 8080 -h /www & wait'];

/** A node one-liner: the same answer, bound to the pod's own loopback address. */
const NODE_SERVER = [
  process.execPath,
  '-e',
  `require('http').createServer((q, s) => s.end(process.env.VERSION + ' from ' + process.env.POD_NAME + '\\n'))` +
    `.listen(8080, process.env.POD_IP)`,
];

const exists = (path: string): Promise<boolean> =>
  access(path).then(
    () => true,
    () => false,
  );

async function hasImage(runtime: ContainerRuntime, ref: string): Promise<boolean> {
  return runtime.ensureImage(ref, 'Never').then(
    () => true,
    () => false,
  );
}

async function hasDockerCli(): Promise<boolean> {
  return run('docker', ['--version']).then(
    () => true,
    () => false,
  );
}

/**
 * Builds tugboat-demo/web:1 and :2 from the host's static busybox, as `.ci/docker.sh` does:
 * a root filesystem with busybox and its applets, imported with `docker import`.
 */
async function buildWebImages(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'tugboat-demo-rootfs-'));
  try {
    await mkdir(join(dir, 'bin'));
    await mkdir(join(dir, 'www'));
    await mkdir(join(dir, 'tmp'), { mode: 0o1777 });
    await copyFile(BUSYBOX, join(dir, 'bin', 'busybox'));
    for (const applet of ['sh', 'httpd', 'cat', 'echo', 'sleep', 'wget']) await symlink('busybox', join(dir, 'bin', applet));
    await run('sh', [
      '-c',
      `tar -C "$1" -c . | docker import -c 'ENV PATH=/bin' - "$2" >/dev/null && docker tag "$2" "$3"`,
      'sh',
      dir,
      webImage(1),
      webImage(2),
    ]);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function processes(): DemoRuntime {
  return { kind: 'process', newRuntime: () => new ProcessRuntime(), command: NODE_SERVER };
}

/**
 * Docker when a daemon answers and the images are there or can be built (docker CLI and
 * /bin/busybox); else processes. A forced Docker that cannot be had is an error.
 */
export async function chooseRuntime(log: (line: string) => void): Promise<DemoRuntime> {
  const wanted = process.env.TUGBOAT_DEMO_RUNTIME;
  if (wanted && wanted !== 'docker' && wanted !== 'containerd' && wanted !== 'process') {
    throw new Error(`TUGBOAT_DEMO_RUNTIME must be "docker", "containerd" or "process", not "${wanted}"`);
  }
  if (wanted === 'process') return processes();
  if (wanted === 'containerd') {
    const why = await containerdUnusable(log);
    if (why) throw new Error(`TUGBOAT_DEMO_RUNTIME=containerd, but ${why}`);
    return { kind: 'containerd', newRuntime: () => new ContainerdRuntime(), command: HTTPD };
  }
  const why = await dockerUnusable(log);
  if (!why) return { kind: 'docker', newRuntime: () => new DockerRuntime(), command: HTTPD };
  if (wanted === 'docker') throw new Error(`TUGBOAT_DEMO_RUNTIME=docker, but ${why}`);
  log(`Docker is not usable (${why}): running pods as local processes`);
  return processes();
}

/** Why Docker cannot run the demo, or undefined when it can (after building missing images). */
async function dockerUnusable(log: (line: string) => void): Promise<string | undefined> {
  if (!(await DockerRuntime.available())) return 'no Docker daemon answers';
  const probe = new DockerRuntime();
  const haveBusybox = await exists(BUSYBOX);
  if (!haveBusybox && !(await hasImage(probe, 'tugboat/pause:1')))
    return `the sandbox image is missing and ${BUSYBOX} is not there to build it`;
  if ((await hasImage(probe, webImage(1))) && (await hasImage(probe, webImage(2)))) return undefined;
  if (!haveBusybox) return `image ${webImage(1)} is missing and ${BUSYBOX} is not there to build it`;
  if (!(await hasDockerCli())) return `image ${webImage(1)} is missing and there is no docker CLI to import it`;
  log(`building ${webImage(1)} and ${webImage(2)} from ${BUSYBOX} (docker import)`);
  await buildWebImages();
  return undefined;
}

/**
 * Why containerd cannot run the demo, or undefined when it can: it answers, and the sandbox and
 * web images are in its `tugboat` namespace (imported from dockerd, building them there first,
 * when missing).
 */
async function containerdUnusable(log: (line: string) => void): Promise<string | undefined> {
  if (!(await ContainerdRuntime.available())) return 'no containerd answers on /run/containerd/containerd.sock (run .ci/containerd.sh)';
  const probe = new ContainerdRuntime();
  try {
    const wanted = ['tugboat/pause:1', webImage(1), webImage(2)];
    const missing: string[] = [];
    for (const ref of wanted) if (!(await hasImage(probe, ref))) missing.push(ref);
    if (missing.length === 0) return undefined;
    if (!(await hasDockerCli())) return `${missing.join(', ')} missing in containerd and there is no docker CLI to import them from`;
    const why = await dockerUnusable(log);
    if (why) return `${missing.join(', ')} missing in containerd and Docker cannot provide them (${why})`;
    log(`importing ${missing.join(', ')} into containerd (docker save | ctr images import)`);
    await run('sh', ['-c', 'docker save "$@" | ctr -n tugboat images import - >/dev/null', 'sh', ...missing]);
    return undefined;
  } finally {
    await probe.close();
  }
}
