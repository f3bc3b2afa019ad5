/**
 * The layering rules of .dependency-cruiser.cjs (`npm run lint:deps`) report what they say they
 * forbid: each case writes a small src/ tree under a temporary folder of the repository (so that
 * node_modules resolves) and cruises it with the repository's own rule set.
 */
import { createRequire } from 'node:module';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { cruise, type ICruiseResult, type IConfiguration } from 'dependency-cruiser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../..');
const config = createRequire(import.meta.url)(join(root, '.dependency-cruiser.cjs')) as IConfiguration;

/** The violations (rule name, from, to) the rule set reports for the files given, relative to `dir`. */
async function violations(dir: string, files: Record<string, string>): Promise<string[]> {
  for (const [path, text] of Object.entries(files)) {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), text);
  }
  const { tsConfig: _tsConfig, ...options } = config.options ?? {};
  const result = await cruise(['src'], {
    ...options,
    baseDir: dir,
    validate: true,
    ruleSet: { forbidden: config.forbidden },
    outputType: 'json',
  });
  const output = (typeof result.output === 'string' ? JSON.parse(result.output) : result.output) as ICruiseResult;
  return output.summary.violations.map((v) => `${v.rule.name}: ${v.from} -> ${v.to}`);
}

describe('layering rules (.dependency-cruiser.cjs)', () => {
  let base: string;
  let n = 0;
  const tree = async (): Promise<string> => mkdtemp(join(base, `case-${n++}-`));
  beforeAll(async () => {
    base = await mkdtemp(join(root, '.tmp-layering-'));
  });
  afterAll(async () => {
    await rm(base, { recursive: true, force: true });
  });

  it('an upward import (controllers -> api) is a violation; the allowed ones are not', async () => {
    const found = await violations(await tree(), {
      'src/api/object-api.ts': "import { k } from '../model/kinds.js';\nexport const api = k;\n",
      'src/model/kinds.ts': 'export const k = 1;\n',
      'src/client/types.ts': "import { k } from '../model/kinds.js';\nexport const c = k;\n",
      'src/controllers/bad.ts':
        "import { api } from '../api/object-api.js';\nimport { c } from '../client/types.js';\nexport const b = [api, c];\n",
    });
    expect(found).toEqual(['layer-controllers: src/controllers/bad.ts -> src/api/object-api.ts']);
  });

  it('type-only imports count, and model imports nothing of ours', async () => {
    const found = await violations(await tree(), {
      'src/store/types.ts': 'export interface ObjectStore { x: number }\n',
      'src/model/bad.ts': "import type { ObjectStore } from '../store/types.js';\nexport type M = ObjectStore;\n",
    });
    expect(found).toEqual(['layer-model: src/model/bad.ts -> src/store/types.ts']);
  });

  it('a cycle that leaves its folder is a violation; one inside a folder is not', async () => {
    const found = await violations(await tree(), {
      'src/store/a.ts': "import { b } from './b.js';\nexport const a = () => b;\n",
      'src/store/b.ts': "import { a } from './a.js';\nexport const b = () => a;\n",
      'src/cluster/x.ts': "import { y } from '../testing/y.js';\nexport const x = () => y;\n",
      'src/testing/y.ts': "import { x } from '../cluster/x.js';\nexport const y = () => x;\n",
    });
    // One report per cycle, from whichever module dependency-cruiser meets first.
    expect(found).toEqual([
      expect.stringMatching(/^no-cycle-across-folders: src\/(cluster\/x|testing\/y)\.ts -> src\/(testing\/y|cluster\/x)\.ts$/),
    ]);
  });

  it('no folder imports an entry file, a new folder must be declared, dockerode stays in the Docker adapter', async () => {
    const found = await violations(await tree(), {
      'src/index.ts': "export { z } from './cluster/z.js';\n",
      'src/cluster/z.ts': "import Docker from 'dockerode';\nexport const z = Docker;\n",
      'src/api/bad.ts': "import { z } from '../index.js';\nexport const a = z;\n",
      'src/gadgets/g.ts': "import { z } from '../cluster/z.js';\nexport const g = z;\n",
      'src/runtime-adapters/docker/ok.ts': "import Docker from 'dockerode';\nexport const d = Docker;\n",
    });
    expect(found.sort()).toEqual([
      'dockerode-only-in-docker-adapter: src/cluster/z.ts -> ../../node_modules/dockerode/lib/docker.js',
      'no-entry-imports: src/api/bad.ts -> src/index.ts',
      'undeclared-folder: src/gadgets/g.ts -> src/cluster/z.ts',
    ]);
  });

  it('the streams contract is shared by runtime-adapters and server, and imports nothing of ours', async () => {
    const found = await violations(await tree(), {
      'src/model/kinds.ts': 'export const k = 1;\n',
      'src/streams/types.ts': 'export interface ContainerStreams { x: number }\n',
      'src/streams/bad.ts': "import { k } from '../model/kinds.js';\nexport const s = k;\n",
      'src/runtime-adapters/types.ts': "import type { ContainerStreams } from '../streams/types.js';\nexport type R = ContainerStreams;\n",
      'src/server/types.ts': "import type { ContainerStreams } from '../streams/types.js';\nexport type S = ContainerStreams;\n",
      'src/scheduler/bad.ts': "import type { ContainerStreams } from '../streams/types.js';\nexport type B = ContainerStreams;\n",
    });
    expect(found.sort()).toEqual([
      'layer-scheduler: src/scheduler/bad.ts -> src/streams/types.ts',
      'layer-streams: src/streams/bad.ts -> src/model/kinds.ts',
    ]);
  });
});
