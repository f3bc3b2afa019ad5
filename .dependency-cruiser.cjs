// The architecture of tugboat as import rules, checked by dependency-cruiser (`npm run lint:deps`).
//
// One way around the loop: every component reads and writes through the API's client contract, so
// imports run one way. Each folder of src/ is a layer and may import only the layers listed for it
// (plus itself). Type-only imports count: a layer that needs another's types depends on it.
//
//   model             object types, defaults, validation, selectors  imports nothing of ours
//   clock             Clock, RealClock, FakeClock                    imports nothing of ours
//   streams           a process's streams (exec, attach): one shape  imports nothing of ours
//                     for runtimes, node agents and the server
//   store             ObjectStore and MemoryStore                    model, clock
//   client            ResourceClient/ApiContext, list-watch,         model, clock
//                     informers (the contract components talk through)
//   api               the in-process API server                      store, model, clock, client
//   controllers       controller runtime and built-in controllers    client, model, clock, cloud-providers (its contract)
//   scheduler         kube-scheduler's framework and plugins         client, model, clock
//   node-agent        the kubelet                                    client, model, clock, runtime-adapters
//   runtime-adapters  ContainerRuntime and its implementations       model, clock, streams
//   cloud-providers   CloudProvider contract and providers           model, clock, runtime-adapters
//   server            the Kubernetes REST API over HTTP, auth, RBAC  api, client, model, clock, streams
//   ingress-adapters  IngressAdapter, routes, ProxyIngress, nginx    client, model, clock
//   cluster           the Cluster facade, composition root           any folder above
//   testing           what users' tests import (harness, fixtures)   any folder above
//   cli               the `tugboat` command (package.json bin)        any folder above
//   src/*.ts          entry points, one per audience                 anything
//
// No folder imports an entry file, and no import cycle leaves a folder. A new folder of src/ gets a
// row in LAYERS below (the `undeclared-folder` rule fails until it has one).
// See docs/architecture.md for what each part does.

/** For each folder of src/: the other folders it may import. */
const LAYERS = {
  model: [],
  clock: [],
  streams: [],
  store: ['model', 'clock'],
  client: ['model', 'clock'],
  api: ['store', 'model', 'clock', 'client'],
  controllers: ['client', 'model', 'clock', 'cloud-providers'],
  scheduler: ['client', 'model', 'clock'],
  'node-agent': ['client', 'model', 'clock', 'runtime-adapters'],
  'runtime-adapters': ['model', 'clock', 'streams'],
  'cloud-providers': ['model', 'clock', 'runtime-adapters'],
  server: ['api', 'client', 'model', 'clock', 'streams'],
  'ingress-adapters': ['client', 'model', 'clock'],
};

/** Folders that compose the layers: they may import any folder (but not an entry file). */
const COMPOSERS = ['cluster', 'testing', 'cli'];

const FOLDERS = [...Object.keys(LAYERS), ...COMPOSERS];
const alternatives = (names) => names.map((n) => n.replace(/[-/]/g, '\\$&')).join('|');

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    ...Object.entries(LAYERS).map(([layer, allowed]) => ({
      name: `layer-${layer}`,
      severity: 'error',
      comment: allowed.length
        ? `src/${layer}/ may import only ${allowed.map((a) => `src/${a}/`).join(', ')} (and itself).`
        : `src/${layer}/ imports nothing else of ours.`,
      from: { path: `^src/${layer}/` },
      to: { path: '^src/[^/]+/', pathNot: `^src/(${alternatives([layer, ...allowed])})/` },
    })),
    {
      name: 'no-entry-imports',
      severity: 'error',
      comment: 'The entry files (src/*.ts) are the public surface: nothing inside src/ imports them.',
      from: { path: '^src/[^/]+/' },
      to: { path: '^src/[^/]+\\.ts$' },
    },
    {
      name: 'undeclared-folder',
      severity: 'error',
      comment: 'Every folder of src/ is a layer declared in .dependency-cruiser.cjs (LAYERS or COMPOSERS).',
      from: { path: '^src/[^/]+/', pathNot: `^src/(${alternatives(FOLDERS)})/` },
      to: {},
    },
    {
      name: 'no-cycle-across-folders',
      severity: 'error',
      comment: 'An import cycle that leaves its folder ties two layers together.',
      from: { path: '^src/([^/]+)/' },
      to: { circular: true, via: { pathNot: '^src/$1/' } },
    },
    {
      name: 'dockerode-only-in-docker-adapter',
      severity: 'error',
      comment: 'dockerode is an optional peer dependency: only src/runtime-adapters/docker/ (reached from tugboat/docker) loads it.',
      from: { path: '^src/', pathNot: '^src/(runtime-adapters/docker/|docker\\.ts$)' },
      to: { path: '(^|/)node_modules/(dockerode|@types/dockerode)/' },
    },
    {
      name: 'grpc-only-in-containerd-adapter',
      severity: 'error',
      comment:
        '@grpc/grpc-js is an optional peer dependency: only src/runtime-adapters/containerd/ (reached from tugboat/containerd) loads it.',
      from: { path: '^src/', pathNot: '^src/(runtime-adapters/containerd/|containerd\\.ts$)' },
      to: { path: '(^|/)node_modules/@grpc/grpc-js/' },
    },
    {
      name: 'protobufjs-only-in-its-decoders',
      severity: 'error',
      comment:
        'protobufjs decodes the containerd API (src/runtime-adapters/containerd/) and Kubernetes protobuf request bodies (src/server/protobuf/); nothing else hand-decodes or loads it.',
      from: { path: '^src/', pathNot: '^src/(runtime-adapters/containerd/|containerd\\.ts$|server/protobuf/)' },
      to: { path: '(^|/)node_modules/protobufjs/' },
    },
    {
      name: 'better-sqlite3-only-in-sqlite-store',
      severity: 'error',
      comment: 'better-sqlite3 is an optional peer dependency: only src/store/sqlite/ (reached from tugboat/sqlite) loads it.',
      from: { path: '^src/', pathNot: '^src/(store/sqlite/|sqlite\\.ts$)' },
      to: { path: '(^|/)node_modules/(better-sqlite3|@types/better-sqlite3)/' },
    },
    {
      name: 'etcd3-only-in-etcd-store',
      severity: 'error',
      comment: 'etcd3 is an optional peer dependency: only src/store/etcd/ (reached from tugboat/etcd) loads it.',
      from: { path: '^src/', pathNot: '^src/(store/etcd/|etcd\\.ts$)' },
      to: { path: '(^|/)node_modules/etcd3/' },
    },
    {
      name: 'no-dev-dependencies-in-src',
      severity: 'error',
      comment:
        'The library does not import its devDependencies, except (optional) peer dependencies, the ESM-only packages ' +
        'tsup bundles (tsup.config.ts), and in the generator script.',
      from: { path: '^src/', pathNot: '^src/model/schema/generate-known-fields\\.ts$' },
      to: {
        dependencyTypes: ['npm-dev'],
        dependencyTypesNot: ['npm-peer'],
        pathNot: '(^|/)node_modules/(p-queue|p-timeout|@types/dockerode)/',
      },
    },
    {
      name: 'no-tests-from-src',
      severity: 'error',
      comment: 'The library does not import tests, benchmarks or examples.',
      from: { path: '^src/' },
      to: { path: '^(test|bench|examples)/' },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      comment: 'An import that resolves to nothing.',
      from: { path: '^src/' },
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    combinedDependencies: false,
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      mainFields: ['module', 'main', 'types', 'typings'],
    },
  },
};
