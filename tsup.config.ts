import { defineConfig } from 'tsup';

export default defineConfig({
  entry: {
    index: 'src/index.ts',
    controllers: 'src/controllers.ts',
    scheduler: 'src/scheduler.ts',
    store: 'src/store.ts',
    runtime: 'src/runtime.ts',
    docker: 'src/docker.ts',
    testing: 'src/testing.ts',
  },
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'node20',
  tsconfig: 'tsconfig.build.json',
});
