/**
 * `npm run lint` on the tree as it is: no Biome error and no layering violation
 * (.dependency-cruiser.cjs), so the unit set catches what CI's lint step would.
 */
import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { cruise, type ICruiseResult, type IConfiguration } from 'dependency-cruiser';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../..');

describe('lint', () => {
  it('src/ keeps the layering rules', { timeout: 60_000 }, async () => {
    const config = createRequire(import.meta.url)(join(root, '.dependency-cruiser.cjs')) as IConfiguration;
    const { tsConfig: _tsConfig, ...options } = config.options ?? {};
    const result = await cruise(['src'], {
      ...options,
      baseDir: root,
      validate: true,
      ruleSet: { forbidden: config.forbidden },
      outputType: 'json',
    });
    const output = (typeof result.output === 'string' ? JSON.parse(result.output) : result.output) as ICruiseResult;
    expect(output.summary.violations.map((v) => `${v.rule.name}: ${v.from} -> ${v.to}`)).toEqual([]);
  });

  it('Biome reports no error', { timeout: 60_000 }, async () => {
    const biome = join(root, 'node_modules/.bin/biome');
    const { stdout, stderr } = await promisify(execFile)(biome, ['lint', '--diagnostic-level=error', '--max-diagnostics=50', '.'], {
      cwd: root,
    }).catch((err: { stdout: string; stderr: string }) => err);
    expect(`${stdout}${stderr}`).not.toMatch(/Found \d+ errors?/);
  });
});
