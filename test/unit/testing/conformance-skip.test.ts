/** A conformance suite skips the cases an implementation names, with the reason; a skip naming no case fails. */
import { describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

const root = resolve(import.meta.dirname, '../../..');
const config = 'test/unit/testing/fixtures/vitest.config.ts';

interface Report {
  testResults: { assertionResults: { ancestorTitles: string[]; title: string; status: string; failureMessages: string[] }[] }[];
}

async function runFixture(): Promise<Report> {
  const out = await promisify(execFile)(join(root, 'node_modules/.bin/vitest'), ['run', '--config', config, '--reporter=json'], {
    cwd: root,
    timeout: 50_000,
  }).catch((err: { stdout?: string }) => ({ stdout: err.stdout ?? '' }));
  return JSON.parse(out.stdout) as Report;
}

describe('conformance skip-with-reason', () => {
  it('reports a skipped case as skipped with its reason, runs the rest, and fails on a skip naming no case', {
    timeout: 60_000,
  }, async () => {
    const results = (await runFixture()).testResults[0].assertionResults;
    const of = (suite: string) => results.filter((r) => r.ancestorTitles[0] === `ObjectStore conformance: ${suite}`);
    const ok = of('skipping');
    const skipped = ok.filter((r) => r.status === 'skipped' || r.status === 'pending');
    expect(skipped.map((r) => r.title)).toEqual(['requires a name or a generateName (skipped: this store names things itself)']);
    expect(ok.filter((r) => r.status === 'passed').length).toBeGreaterThan(20);
    expect(ok.filter((r) => r.status === 'failed')).toEqual([]);

    const typo = of('typo');
    const failed = typo.filter((r) => r.status === 'failed');
    expect(failed.map((r) => r.title)).toEqual(['names only existing cases in skip']);
    expect(failed[0].failureMessages.join('\n')).toContain('"create > no such case"');
  });
});
