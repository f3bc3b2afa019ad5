import { defineConfig } from 'tsup';

export default defineConfig({
  entry: { index: 'src/index.ts', docker: 'src/docker.ts' },
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'node20',
  tsconfig: 'tsconfig.build.json',
});
