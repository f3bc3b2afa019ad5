/**
 * The corpus of real manifests (`shared/conformance/manifests`: files from public repositories,
 * their sources and licenses in its SOURCES.md), read in place, never copied into this repository.
 *
 * Where it is: `$TUGBOAT_MANIFESTS` when set, else `shared/conformance/manifests` beside the
 * repository root or one of the folders above it (CI clones the repository beside a copy of `shared/`, as /work/main sits
 * beside /work/shared; a worktree elsewhere sets TUGBOAT_MANIFESTS). Under CI a missing corpus
 * fails the test file; elsewhere its tests are skipped with the reason printed.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (two folders above this file). */
const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The corpus folder, resolved as the file comment says. */
export const MANIFEST_CORPUS = process.env.TUGBOAT_MANIFESTS ? resolve(process.env.TUGBOAT_MANIFESTS) : findSharedCorpus(REPO_ROOT);

/**
 * `shared/conformance/manifests` beside the repository root or beside any folder above it (a
 * clone in /work/ci/main finds /work/shared as /work/main does); the first candidate when none exists.
 */
function findSharedCorpus(root: string): string {
  const first = join(root, '..', 'shared', 'conformance', 'manifests');
  for (let dir = resolve(root, '..'); ; dir = dirname(dir)) {
    const candidate = join(dir, 'shared', 'conformance', 'manifests');
    if (existsSync(candidate)) return candidate;
    if (dirname(dir) === dir) return first;
  }
}

/** One manifest file of the corpus. */
export interface CorpusFile {
  /** The file name (the corpus is flat). */
  name: string;
  /** Its absolute path. */
  path: string;
  /** Its text. */
  text: string;
}

/**
 * The corpus files (`*.yaml`, `*.yml`, `*.json`, sorted by name), or undefined when the folder is
 * missing outside CI (with the reason printed); throws under CI, where these tests never skip.
 */
export function manifestCorpus(): CorpusFile[] | undefined {
  if (!existsSync(MANIFEST_CORPUS)) {
    const reason = `the manifest corpus is missing at ${MANIFEST_CORPUS} (set TUGBOAT_MANIFESTS, or clone beside shared/)`;
    if (process.env.CI) throw new Error(`The manifest corpus is required in CI: ${reason}`);
    console.warn(`[manifest corpus tests skipped] ${reason}`);
    return undefined;
  }
  return readdirSync(MANIFEST_CORPUS)
    .filter((f) => /\.(ya?ml|json)$/.test(f))
    .sort()
    .map((name) => {
      const path = join(MANIFEST_CORPUS, name);
      return { name, path, text: readFileSync(path, 'utf8') };
    });
}
