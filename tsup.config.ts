import { copyFile, mkdir } from 'node:fs/promises';
import { defineConfig } from 'tsup';

/**
 * Dependencies published only as ESM. They are bundled into both builds, so the CommonJS build
 * never `require`s an ES module (Node before 20.19 cannot), and they are devDependencies.
 */
const ESM_ONLY = ['p-queue', 'p-timeout'];

export default defineConfig({
  // Every file directly in src/ is an entry point (dist/<name>.js, .cjs, .d.ts, .d.cts); package.json's
  // exports and typesVersions name each one (test/packaging/pack-install.ts checks they agree).
  // src/cli/bin.ts is the `tugboat` executable (package.json `bin`: dist/cli/bin.js).
  entry: ['src/*.ts', 'src/cli/bin.ts'],
  format: ['esm', 'cjs'],
  // Shared chunks in both formats: one copy of each module (TugboatError, the model, ...) however
  // many entry points a program loads, so `instanceof` holds across them.
  splitting: true,
  noExternal: ESM_ONLY,
  // `import.meta.url` (src/runtime-adapters/docker/connection.ts) in the CommonJS build.
  shims: true,
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'node20',
  tsconfig: 'tsconfig.build.json',
  async onSuccess() {
    // The bundled packages' licences travel with the code taken from them.
    await mkdir('dist/licenses', { recursive: true });
    for (const name of ESM_ONLY) await copyFile(`node_modules/${name}/license`, `dist/licenses/${name}.LICENSE`);
  },
});
