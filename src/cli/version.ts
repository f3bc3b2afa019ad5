import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The version of the installed tugboat package: the `version` of the nearest package.json named
 * `tugboat` above this module (src/cli/ in the repository, dist/ or dist/cli/ once built).
 */
function packageVersion(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'tugboat' && pkg.version) return pkg.version;
    } catch {
      // no package.json here: look one folder up
    }
    dir = dirname(dir);
  }
  return 'unknown';
}

/** The tugboat package's version, e.g. `0.1.0`. */
export const TUGBOAT_VERSION: string = packageVersion();
