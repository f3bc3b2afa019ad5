/**
 * Helpers for tests that need a real Docker daemon: whether it answers, the local test images
 * (built by .ci/docker.sh), and cluster names that do not collide between test files.
 *
 * In CI (`process.env.CI` set) a missing daemon or image makes the test file fail; elsewhere the
 * tests are skipped with the reason printed.
 */
import Docker from 'dockerode';

/** Busybox image with /etc/tugboat-version = 1, /www/index.html, CMD sh. */
export const TEST_IMAGE = 'tugboat-test/busybox:1';
/** The same image with /etc/tugboat-version = 2 (rolling updates). */
export const TEST_IMAGE_2 = 'tugboat-test/busybox:2';
/** The default sandbox image. */
export const PAUSE_IMAGE = 'tugboat/pause:1';
/** An image that exists nowhere (policy Never, failed pulls). */
export const MISSING_IMAGE = 'tugboat-test/absent:1';

/** Whether Docker tests can run here, and why not. */
type DockerCheck = { ok: true } | { ok: false; reason: string };

/** True in CI, where Docker is required. */
const dockerRequired = Boolean(process.env.CI);

/** Asks the daemon (DOCKER_HOST or the local socket) whether it answers and has the test images. */
async function checkDocker(images: string[] = [TEST_IMAGE, TEST_IMAGE_2]): Promise<DockerCheck> {
  const docker = new Docker();
  try {
    await withTimeout(docker.ping(), 5000);
  } catch (err) {
    return { ok: false, reason: `the Docker daemon does not answer (${(err as Error).message}); start dockerd or run .ci/docker.sh` };
  }
  for (const ref of images) {
    try {
      await docker.getImage(ref).inspect();
    } catch {
      return { ok: false, reason: `image ${ref} is missing; run .ci/docker.sh` };
    }
  }
  return { ok: true };
}

/**
 * Checks Docker for a test file: resolves true when tests may run, false (with a printed reason)
 * when they should be skipped, and throws in CI, where a Docker test must never skip.
 */
export async function dockerForTests(images?: string[]): Promise<boolean> {
  const check = await checkDocker(images);
  if (check.ok) return true;
  if (dockerRequired) throw new Error(`Docker is required in CI: ${check.reason}`);
  console.warn(`[docker tests skipped] ${check.reason}`);
  return false;
}

/** A cluster name unique to this test file and process, safe in Docker names. */
export function testClusterName(file: string): string {
  return `t-${process.pid}-${file}`
    .toLowerCase()
    .replace(/[^a-z0-9-]/g, '-')
    .slice(0, 40);
}

/** A dockerode client for assertions in tests (what is left on the daemon). */
export function dockerClient(): Docker {
  return new Docker();
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`no answer within ${ms}ms`)), ms);
    p.then(
      (v) => (clearTimeout(t), resolve(v)),
      (e) => (clearTimeout(t), reject(e)),
    );
  });
}
