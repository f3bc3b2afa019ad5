/**
 * Installs tugboat as a user does and uses it through every entry point: `npm pack` (which builds
 * dist/ through the `prepare` script), `npm install` of the tarball into an empty project, then
 *
 * 1. without dockerode (an optional peer dependency): `require` and `import` of every entry but
 *    `tugboat/docker` work, a mock cluster starts and stops, and `tugboat/docker` fails saying to
 *    install dockerode; the CommonJS run uses `--no-experimental-require-module`, so it behaves as
 *    Node before 20.19 (no `require` of an ES module); `tugboat/containerd` loads and its first call
 *    says to install @grpc/grpc-js (with dockerode, which brings them along, an
 *    unreachable socket is a TugboatError ServiceUnavailable);
 * 2. with dockerode: `tugboat/docker` loads (and `tugboat` alone did not load dockerode); an export
 *    that two entries share is the same object in each; an error from `tugboat/docker` is
 *    `instanceof` the `TugboatError` of `tugboat`;
 * 3. a file importing every entry type-checks under `moduleResolution: node10` and `nodenext`
 *    (CommonJS and ESM); @arethetypeswrong/cli passes on the tarball;
 * 4. the README's first example runs as printed (with tsx) against the installed package;
 * 5. the `tugboat` bin of the tarball runs (`--version`, `up --help`);
 * 6. the process runtime's exec with a TTY runs on a pty (@lydell/node-pty, an optional dependency
 *    installed with the tarball), from `require` and `import`, and so does a `tty` container's main
 *    process; with that package removed, exec with a TTY is refused naming the package and a `tty`
 *    container runs with pipes.
 *
 * `npm run test:pack`; CI runs it. Dependencies come from the npm registry (or npm's cache).
 * Exits non-zero on the first failure.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

const root = resolve(import.meta.dirname, '../..');
const bin = (name: string): string => join(root, 'node_modules/.bin', name);
const pkg = JSON.parse(await readFile(join(root, 'package.json'), 'utf8')) as {
  name: string;
  exports: Record<string, unknown>;
  typesVersions?: Record<string, Record<string, string[]>>;
  devDependencies: Record<string, string>;
};

/** Every file directly in src/ is an entry point (tsup.config.ts builds each): package.json must export each one. */
function checkEntryPoints(sources: string[]): void {
  const names = sources.filter((f) => f.endsWith('.ts')).map((f) => f.slice(0, -3));
  const want = (name: string): unknown => ({
    import: { types: `./dist/${name}.d.ts`, default: `./dist/${name}.js` },
    require: { types: `./dist/${name}.d.cts`, default: `./dist/${name}.cjs` },
  });
  const problems: string[] = [];
  for (const name of names) {
    const key = name === 'index' ? '.' : `./${name}`;
    if (JSON.stringify(pkg.exports[key]) !== JSON.stringify(want(name)))
      problems.push(`package.json exports["${key}"] should be ${JSON.stringify(want(name))}`);
    if (name !== 'index' && JSON.stringify(pkg.typesVersions?.['*']?.[name]) !== JSON.stringify([`./dist/${name}.d.ts`]))
      problems.push(`package.json typesVersions["*"]["${name}"] should be ["./dist/${name}.d.ts"] (moduleResolution node10)`);
  }
  for (const key of Object.keys(pkg.exports)) {
    if (key !== './package.json' && !names.includes(key === '.' ? 'index' : key.slice(2)))
      problems.push(`package.json exports "${key}" but there is no src/${key.slice(2)}.ts`);
  }
  if (problems.length > 0) throw new Error(`entry points and package.json disagree:\n${problems.join('\n')}`);
}

/** Every entry point, as a user spells it: `tugboat`, `tugboat/controllers`, ... */
const entries = Object.keys(pkg.exports)
  .filter((k) => k !== './package.json')
  .map((k) => (k === '.' ? pkg.name : `${pkg.name}/${k.slice(2)}`));
const DOCKER = `${pkg.name}/docker`;
/** vitest registers test cases only inside a vitest run, and cannot be `require`d: this entry is checked from a vitest test. */
const TESTING = `${pkg.name}/testing`;
const plain = entries.filter((e) => e !== DOCKER && e !== TESTING);

const started = performance.now();
function step(what: string): void {
  console.log(`[pack ${((performance.now() - started) / 1000).toFixed(1)}s] ${what}`);
}

async function run(cmd: string, args: string[], cwd: string): Promise<string> {
  try {
    const { stdout } = await promisify(execFile)(cmd, args, { cwd, maxBuffer: 64 * 2 ** 20, env: { ...process.env, NODE_OPTIONS: '' } });
    return stdout;
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string; message: string };
    throw new Error(`${cmd} ${args.join(' ')} failed in ${cwd}:\n${e.stdout ?? ''}${e.stderr ?? e.message}`);
  }
}

const npmInstall = (cwd: string, specs: string[]): Promise<string> =>
  run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error', ...specs], cwd);

/** The checks every program runs, CommonJS or ESM: `load(specifier)` is require or import. */
const sharedChecks = `
const assert = (ok, message) => { if (!ok) { console.error('FAIL: ' + message); process.exit(1); } };
const ENTRIES = ${JSON.stringify(plain)};
const DOCKER = ${JSON.stringify(DOCKER)};
const CONTAINERD = ${JSON.stringify(`${pkg.name}/containerd`)};
const DOCKERODE_LOADED = () => Object.keys(nodeRequire.cache).some((p) => p.includes('/node_modules/dockerode/'));

async function main(load, phase, format) {
  const mods = {};
  for (const e of ENTRIES) mods[e] = await load(e);
  const { Cluster, TugboatError, MockRuntime } = mods.tugboat;
  const cluster = await Cluster.start({ nodes: [{ name: 'node-a', runtime: new MockRuntime() }] });
  await cluster.stop();
  assert(!DOCKERODE_LOADED(), 'loading the entries other than ' + DOCKER + ' loaded dockerode');

  // One copy of every module: what two entries both export is the same object.
  const seen = new Map();
  for (const [entry, mod] of Object.entries(mods)) {
    for (const [name, value] of Object.entries(mod)) {
      if (name === 'default' || typeof value !== 'function') continue;
      const first = seen.get(name);
      if (first) assert(first.value === value, name + ' from ' + entry + ' is not the one from ' + first.entry);
      else seen.set(name, { entry, value });
    }
  }

  // tugboat/containerd loads @grpc/grpc-js (an optional peer, which dockerode brings along) on its first call.
  const { ContainerdRuntime } = await load(CONTAINERD);
  const grpcErr = await new ContainerdRuntime({ address: '/nonexistent/tugboat-pack-check.sock' }).ping().then(() => undefined, (e) => e);
  if (phase === 'without-dockerode') {
    assert(String(grpcErr && grpcErr.message).includes('npm install @grpc/grpc-js'), 'the first containerd call does not say to install @grpc/grpc-js: ' + grpcErr);
  } else {
    assert(grpcErr instanceof TugboatError && grpcErr.reason === 'ServiceUnavailable', 'an unreachable containerd is not a TugboatError ServiceUnavailable (' + grpcErr + ')');
  }

  if (phase === 'without-dockerode') {
    let error;
    try { await load(DOCKER); } catch (err) { error = err; }
    assert(error, DOCKER + ' loaded without dockerode installed');
    assert(/npm install dockerode/.test(String(error.message)), 'the error does not say to install dockerode: ' + error.message);
  } else {
    const { DockerRuntime } = await load(DOCKER);
    assert(DOCKERODE_LOADED(), DOCKER + ' did not load dockerode');
    const runtime = new DockerRuntime({ socketPath: '/nonexistent/tugboat-pack-check.sock' });
    const err = await runtime.inspectContainer('nothing').then(() => undefined, (e) => e);
    assert(err instanceof TugboatError, 'an error from ' + DOCKER + ' is not instanceof the TugboatError of tugboat (' + err + ')');
  }
  console.log(format + ' ' + phase + ': ok (' + Object.keys(mods).join(', ') + (phase === 'with-dockerode' ? ', ' + DOCKER : '') + ')');
}
`;

const cjsProgram = `'use strict';
const nodeRequire = require;
${sharedChecks}
main(async (e) => require(e), process.argv[2], 'require').catch((err) => { console.error(err); process.exit(1); });
`;

/** A vitest test file: tugboat/testing from the installed package, sharing its modules with tugboat. */
const testingProgram = `import { describe, expect, it } from 'vitest';
import * as tugboat from '${pkg.name}';
import * as testing from '${TESTING}';

describe('${TESTING} installed', () => {
  it('starts a mock cluster; what it shares with ${pkg.name} is the same object', async () => {
    for (const [name, value] of Object.entries(testing)) if (name in tugboat) expect(value, name).toBe(tugboat[name]);
    const mock = await testing.startMockCluster({ nodes: 1 });
    await mock.cluster.apply(testing.makeDeployment('web').replicas(1).obj());
    await mock.cluster.advanceUntil(async () => (await mock.cluster.pods().list()).items.length === 1);
    await mock.stop();
  });
});
`;

/** The process runtime's exec with a TTY from the installed package; argv: the loader's name, then 'with' or 'without' (the pty package). */
const ptyChecks = `
const { mkdtempSync, rmSync } = nodeRequire('node:fs');
const { tmpdir } = nodeRequire('node:os');
const { join } = nodeRequire('node:path');
const fail = (message) => { console.error('FAIL: ' + message); process.exit(1); };

async function main(load, format, expect) {
  const { ProcessRuntime } = await load(${JSON.stringify(pkg.name)});
  const stateDir = mkdtempSync(join(tmpdir(), 'tugboat-pack-pty-'));
  const rt = new ProcessRuntime({ stateDir });
  try {
    const sb = await rt.runSandbox({ podUid: 'u', namespace: 'ns', podName: 'p', hostname: 'p', labels: { app: 'pty' }, ports: [] });
    const id = await rt.createContainer(sb.id, { name: 'c', image: 'i', command: ['sleep', '60'], env: {}, mounts: [], ports: [], resources: {}, labels: { app: 'pty' } });
    await rt.startContainer(id);
    const s = await rt.execStream(id, ['sh', '-c', 'tty'], { stdin: false, tty: true }).catch((err) => err);
    if (expect === 'with') {
      if (s instanceof Error) fail(format + ': exec with a TTY failed: ' + s.message);
      let out = '';
      s.stdout.on('data', (d) => (out += d));
      const { exitCode } = await s.done;
      if (exitCode !== 0 || !/^\\/dev\\/pts\\/\\d+\\r\\n$/.test(out)) fail(format + ': tty on the pty printed ' + JSON.stringify(out) + ', exit ' + exitCode);
      console.log(format + ' exec -t: ok (' + out.trim() + ')');
    } else {
      if (!(s instanceof Error) || !s.message.includes('npm install @lydell/node-pty')) fail(format + ': without @lydell/node-pty, exec with a TTY gave ' + s);
      console.log(format + ' exec -t without @lydell/node-pty: refused (' + s.message.split(':')[0] + ')');
    }
    // A tty container: its main process on a pty, or (without the package) with pipes as before.
    const tty = await rt.createContainer(sb.id, { name: 't', image: 'i', command: ['sh', '-c', 'tty; exec sleep 60'], tty: true, env: {}, mounts: [], ports: [], resources: {}, labels: { app: 'pty' } });
    await rt.startContainer(tty);
    let printed = '';
    for (let i = 0; i < 200 && !printed; i++) {
      for await (const l of rt.logs(tty)) printed += l.line;
      if (!printed) await new Promise((r) => setTimeout(r, 50));
    }
    const want = expect === 'with' ? /^\\/dev\\/pts\\/\\d+\\r?$/ : /^not a tty$/;
    if (!want.test(printed)) fail(format + ': a tty container (' + expect + ' @lydell/node-pty) printed ' + JSON.stringify(printed));
    console.log(format + ' tty container ' + expect + ' @lydell/node-pty: ok (' + printed.trim() + ')');
    await rt.removeContainer(tty);
    await rt.removeContainer(id);
    await rt.removeSandbox(sb.id);
  } finally {
    await rt.close();
    rmSync(stateDir, { recursive: true, force: true });
  }
}
`;

const ptyCjs = `'use strict';
const nodeRequire = require;
${ptyChecks}
main(async (e) => require(e), 'require', process.argv[2]).catch((err) => { console.error(err); process.exit(1); });
`;

const ptyEsm = `import { createRequire } from 'node:module';
const nodeRequire = createRequire(import.meta.url);
${ptyChecks}
await main((e) => import(e), 'import', process.argv[2]);
`;

const esmProgram = `import { createRequire } from 'node:module';
const nodeRequire = createRequire(import.meta.url);
${sharedChecks}
await main((e) => import(e), process.argv[2], 'import');
`;

/**
 * The value exports of an entry, read from its installed ESM file's closing `export { ... }`
 * (esbuild writes one), since some entries (tugboat/testing) cannot be imported outside vitest.
 */
async function valueExports(project: string, entry: string): Promise<string[]> {
  const sub = entry === pkg.name ? '.' : `./${entry.slice(pkg.name.length + 1)}`;
  const file = (pkg.exports[sub] as { import: { default: string } }).import.default;
  const code = await readFile(join(project, 'node_modules', pkg.name, file), 'utf8');
  const list = /export\s*\{([^}]*)\};?\s*(\/\/# sourceMappingURL=\S+\s*)?$/.exec(code)?.[1];
  if (list === undefined) throw new Error(`no closing export list in ${file}`);
  return list
    .split(',')
    .map(
      (part) =>
        part
          .trim()
          .split(/\s+as\s+/)
          .at(-1)!,
    )
    .filter((name) => name && name !== 'default');
}

/** A TypeScript file naming every value export of every entry (read from the installed package). */
async function typesProgram(project: string): Promise<string> {
  const lines: string[] = [];
  const names: string[] = [];
  for (const entry of entries) {
    const exported = await valueExports(project, entry);
    const alias = (n: string): string => `${n} as ${entry.replace(/\W/g, '_')}_${n}`;
    lines.push(`import { ${exported.map(alias).join(', ')} } from '${entry}';`);
    names.push(...exported.map((n) => `${entry.replace(/\W/g, '_')}_${n}`));
  }
  lines.push(`import type { ClusterOptions, Pod, ObjectStore } from '${pkg.name}';`);
  lines.push(`import type { DockerRuntimeOptions } from '${DOCKER}';`);
  lines.push(`export const options: ClusterOptions = { nodes: [] };`);
  lines.push(`export const docker: DockerRuntimeOptions = { socketPath: '/var/run/docker.sock' };`);
  lines.push(`export type Seen = [Pod, ObjectStore];`);
  lines.push(`export const all: unknown[] = [${names.join(', ')}];`);
  return `${lines.join('\n')}\n`;
}

const tsconfig = (options: Record<string, unknown>, files: string[]): string =>
  JSON.stringify({
    compilerOptions: {
      strict: true,
      noEmit: true,
      skipLibCheck: false,
      target: 'ES2022',
      lib: ['ES2022', 'esnext.disposable'],
      types: ['node'],
      ...options,
    },
    files,
  });

async function main(): Promise<void> {
  checkEntryPoints(await readdir(join(root, 'src')));
  const work = await mkdtemp(join(tmpdir(), 'tugboat-pack-'));
  try {
    step('npm pack (the prepare script builds dist/)');
    await run('npm', ['pack', '--loglevel=error', '--pack-destination', work], root);
    const tarball = join(work, (await readdir(work)).find((f) => f.endsWith('.tgz'))!);
    // @arethetypeswrong/cli reads only the tarball: it runs beside the steps below.
    const attw = run(bin('attw'), [tarball], root);
    attw.catch(() => undefined);

    const project = join(work, 'project');
    await run('mkdir', ['-p', project], work);
    await writeFile(join(project, 'package.json'), JSON.stringify({ name: 'pack-check', private: true, type: 'commonjs' }));
    await writeFile(join(project, 'check.cjs'), cjsProgram);
    await writeFile(join(project, 'check.mjs'), esmProgram);
    await writeFile(join(project, 'pty.cjs'), ptyCjs);
    await writeFile(join(project, 'pty.mjs'), ptyEsm);
    const checkTesting = entries.includes(TESTING);
    if (checkTesting) await writeFile(join(project, 'testing.test.mjs'), testingProgram);

    step('npm install the tarball into an empty project (no dockerode)');
    await npmInstall(project, [tarball]);
    if (existsSync(join(project, 'node_modules/dockerode')))
      throw new Error('dockerode was installed with tugboat: it must be an optional peer dependency');

    step('the tugboat bin from the tarball: --version, and up --help');
    const binVersion = (await run(join(project, 'node_modules/.bin/tugboat'), ['--version'], project)).trim();
    if (binVersion !== (pkg as { version?: string }).version) throw new Error(`tugboat --version printed "${binVersion}"`);
    if (!(await run(join(project, 'node_modules/.bin/tugboat'), ['up', '--help'], project)).includes('Usage: tugboat up'))
      throw new Error('tugboat up --help printed no usage');

    // Node before 20.19 cannot require an ES module; --no-experimental-require-module makes this one behave so.
    const oldNode = process.allowedNodeEnvironmentFlags.has('--no-experimental-require-module') ? ['--no-experimental-require-module'] : [];
    for (const phase of ['without-dockerode', 'with-dockerode']) {
      if (phase === 'with-dockerode') {
        const peers = ['dockerode', '@types/node', ...(checkTesting ? ['vitest'] : [])];
        step(`npm install ${peers.join(', ')}`);
        await npmInstall(
          project,
          peers.map((name) => `${name}@${pkg.devDependencies[name]}`),
        );
      }
      step(`require() and import of every entry, ${phase}`);
      process.stdout.write(await run(process.execPath, [...oldNode, 'check.cjs', phase], project));
      process.stdout.write(await run(process.execPath, ['check.mjs', phase], project));
    }

    if (checkTesting) {
      step(`${TESTING} in a vitest test`);
      await run(join(project, 'node_modules/.bin/vitest'), ['run', '--reporter=dot'], project);
    }

    step('type check under moduleResolution node10 and nodenext (CommonJS and ESM)');
    const program = await typesProgram(project);
    for (const ext of ['ts', 'cts', 'mts']) await writeFile(join(project, `check-types.${ext}`), program);
    await writeFile(
      join(project, 'tsconfig.node10.json'),
      tsconfig({ module: 'commonjs', moduleResolution: 'node10' }, ['check-types.ts']),
    );
    await writeFile(
      join(project, 'tsconfig.nodenext.json'),
      // The declarations themselves are checked once, under node10 (skipLibCheck false there).
      tsconfig({ module: 'nodenext', moduleResolution: 'nodenext', skipLibCheck: true }, ['check-types.cts', 'check-types.mts']),
    );
    await Promise.all([
      run(bin('tsc'), ['-p', 'tsconfig.node10.json'], project),
      run(bin('tsc'), ['-p', 'tsconfig.nodenext.json'], project),
    ]);

    step('the process runtime exec with a TTY, with @lydell/node-pty (installed with the tarball) and without it');
    if (!existsSync(join(project, 'node_modules/@lydell/node-pty')))
      throw new Error('@lydell/node-pty was not installed with tugboat: it must be an optional dependency');
    for (const program of ['pty.cjs', 'pty.mjs']) process.stdout.write(await run(process.execPath, [...oldNode, program, 'with'], project));
    await rm(join(project, 'node_modules/@lydell'), { recursive: true, force: true });
    for (const program of ['pty.cjs', 'pty.mjs'])
      process.stdout.write(await run(process.execPath, [...oldNode, program, 'without'], project));

    step("the README's first example, as printed, with tsx");
    const readme = await readFile(join(root, 'README.md'), 'utf8');
    const example = /```ts\n([\s\S]*?)```/.exec(readme)?.[1];
    if (!example) throw new Error('README.md has no ts example');
    await writeFile(join(project, 'readme-example.mts'), example);
    await run(bin('tsx'), ['readme-example.mts'], project);

    step('@arethetypeswrong/cli on the tarball');
    await attw;
    step('passed');
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

await main();
