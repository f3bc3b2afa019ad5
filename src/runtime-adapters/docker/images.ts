import { readFile } from 'node:fs/promises';
import { ImagePullError, type ImageInfo, type PullPolicy } from '../types.js';
import { dockerMessage, isNotFound, toTugboatError } from './errors.js';
import type { DockerScope } from './scope.js';
import { buildTar } from './tar.js';
import { DEFAULT_SANDBOX_IMAGE } from './types.js';

/** The image's id when the daemon has it, else undefined. */
async function findImage(scope: DockerScope, ref: string): Promise<ImageInfo | undefined> {
  try {
    const info = await scope.docker.getImage(ref).inspect();
    return { ref, id: info.Id };
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw toTugboatError(err, 'inspect', { kind: 'Image', name: ref });
  }
}

/**
 * Makes sure an image is present as the pull policy says: Always pulls, IfNotPresent pulls when
 * missing, Never fails with ErrImageNeverPull when missing. A failed pull throws ImagePullError
 * ('ErrImagePull') carrying the daemon's message. Concurrent pulls of one ref are shared.
 */
export async function ensureImage(scope: DockerScope, ref: string, policy: PullPolicy, signal?: AbortSignal): Promise<ImageInfo> {
  if (policy !== 'Always') {
    const found = await findImage(scope, ref);
    if (found) return found;
    if (policy === 'Never') {
      throw new ImagePullError(ref, `Container image "${ref}" is not present with pull policy of Never`, 'ErrImageNeverPull');
    }
  }
  return scope.once(`pull:${ref}`, () => pull(scope, ref, signal));
}

/** Resolves once a pull or import progress stream is done; rejects with its error. */
function finished(scope: DockerScope, stream: NodeJS.ReadableStream): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    scope.docker.modem.followProgress(stream, (err: Error | null) => (err ? reject(err) : resolve()));
  });
}

async function pull(scope: DockerScope, ref: string, signal?: AbortSignal): Promise<ImageInfo> {
  try {
    const stream = (await scope.docker.pull(ref, signal ? { abortSignal: signal } : {})) as NodeJS.ReadableStream;
    await finished(scope, stream);
  } catch (err) {
    throw new ImagePullError(ref, `failed to pull image "${ref}": ${dockerMessage(err)}`, 'ErrImagePull');
  }
  const found = await findImage(scope, ref);
  if (!found) throw new ImagePullError(ref, `image "${ref}" is absent after its pull`, 'ErrImagePull');
  return found;
}

/**
 * The sandbox image, present on the daemon. A configured image is pulled if missing; the
 * default `tugboat/pause:1` (any `tugboat/pause:<tag>`) is built from the host's static busybox when missing.
 */
export function ensureSandboxImage(scope: DockerScope): Promise<ImageInfo> {
  // Once present it is not looked for again; a sandbox create that finds it gone calls forgetSandboxImage.
  return scope.remember(SANDBOX_IMAGE_KEY, () => findOrMakeSandboxImage(scope));
}

/** Forgets that the sandbox image is present (a create found it missing): the next ensureSandboxImage looks again. */
export function forgetSandboxImage(scope: DockerScope): void {
  scope.forget(SANDBOX_IMAGE_KEY);
}

const SANDBOX_IMAGE_KEY = 'sandbox-image';

async function findOrMakeSandboxImage(scope: DockerScope): Promise<ImageInfo> {
  const ref = scope.sandboxImage;
  if (!isBuildablePauseImage(ref)) return ensureImage(scope, ref, 'IfNotPresent');
  const found = await findImage(scope, ref);
  if (found) return found;
  return scope.once(`import:${ref}`, () => importPauseImage(scope, ref));
}

/** True for the sandbox images the adapter builds itself: `tugboat/pause:<tag>` (the default among them). */
function isBuildablePauseImage(ref: string): boolean {
  return ref === DEFAULT_SANDBOX_IMAGE || ref.startsWith('tugboat/pause:');
}

/** The command of the default sandbox image: sleep forever, exit 0 at once on SIGTERM/SIGINT. */
const PAUSE_COMMAND = ['/bin/sh', '-c', 'trap "exit 0" TERM INT; while :; do sleep 3600 & wait $!; done'];

async function importPauseImage(scope: DockerScope, ref: string): Promise<ImageInfo> {
  let busybox: Buffer;
  try {
    busybox = await readFile(scope.busyboxPath);
  } catch {
    throw new ImagePullError(
      ref,
      `sandbox image "${ref}" is missing and ${scope.busyboxPath} is not there to build it: install busybox-static, ` +
        `or set the sandboxImage option (e.g. "registry.k8s.io/pause:3.9")`,
    );
  }
  const tar = buildTar([
    { type: 'dir', path: 'bin' },
    { type: 'dir', path: 'tmp', mode: 0o1777 },
    { type: 'file', path: 'bin/busybox', content: busybox, mode: 0o755 },
    { type: 'symlink', path: 'bin/sh', target: 'busybox' },
    { type: 'symlink', path: 'bin/sleep', target: 'busybox' },
  ]);
  const [repo, tag] = splitRef(ref);
  try {
    const { Readable } = await import('node:stream');
    const stream = (await scope.docker.importImage(Readable.from([tar]), {
      repo,
      tag,
      changes: ['ENV PATH=/bin', `CMD ${JSON.stringify(PAUSE_COMMAND)}`],
    } as object)) as NodeJS.ReadableStream;
    await finished(scope, stream);
  } catch (err) {
    throw new ImagePullError(ref, `could not build sandbox image "${ref}": ${dockerMessage(err)}`);
  }
  const found = await findImage(scope, ref);
  if (!found) throw new ImagePullError(ref, `sandbox image "${ref}" is absent after its import`);
  return found;
}

/** Splits `repo:tag` (a registry port is not a tag). */
export function splitRef(ref: string): [string, string] {
  const at = ref.lastIndexOf(':');
  if (at > ref.lastIndexOf('/') && at > 0) return [ref.slice(0, at), ref.slice(at + 1)];
  return [ref, 'latest'];
}
