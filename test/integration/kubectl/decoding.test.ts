/**
 * tugboat decodes every manifest of the corpus as kubectl does: the same objects, or a failure
 * where kubectl fails. kubectl's decoder (sigs.k8s.io/yaml over go-yaml v2, YAML 1.1) is the
 * reference: octal `0755`, `yes`/`on` booleans, `\'` in double quotes, repeated keys.
 *
 * kubectl reads the files offline with `kubectl label --local -f FILE -o json KEY-` (removing a
 * label no object has): the same resource builder and YAML decoder as `kubectl create -f`, which
 * needs a server for its REST mapping even under `--dry-run=client`. Its only change to an
 * object is an empty `metadata.labels`, removed before comparing. Under CI a missing kubectl or
 * corpus fails the file (test/support/manifest-corpus.ts says where the corpus is).
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { decodeManifests } from '../../../src/api/manifest.js';
import type { KubeObject } from '../../../src/model/types.js';
import { manifestCorpus, type CorpusFile } from '../../support/manifest-corpus.js';

const run = promisify(execFile);
const KUBECTL = process.env.KUBECTL ?? 'kubectl';
const PARALLEL = 3;

/** kubectl's reading of a file: its objects, or its error. */
type Reading = { ok: true; objects: unknown[] } | { ok: false; error: string };

/** An empty kubeconfig: `--local` asks no server, and none of the machine's configs is read. */
function emptyKubeconfig(): string {
  const path = join(mkdtempSync(join(tmpdir(), 'tugboat-kubectl-')), 'config');
  writeFileSync(path, 'apiVersion: v1\nkind: Config\nclusters: []\ncontexts: []\nusers: []\n');
  return path;
}

async function kubectlAvailable(): Promise<boolean> {
  try {
    await run(KUBECTL, ['version', '--client'], { timeout: 20_000 });
    return true;
  } catch (err) {
    if (process.env.CI) throw new Error(`kubectl is required in CI: ${(err as Error).message}`);
    console.warn(`[kubectl tests skipped] kubectl does not run: ${(err as Error).message}`);
    return false;
  }
}

async function kubectlReads(file: CorpusFile, kubeconfig: string): Promise<Reading> {
  try {
    const { stdout } = await run(KUBECTL, ['label', '--local', '-f', file.path, '-o', 'json', 'tugboat.dev/decode-probe-'], {
      env: { ...process.env, KUBECONFIG: kubeconfig },
      maxBuffer: 64 * 1024 * 1024,
      timeout: 60_000,
    });
    // kubectl prints one indented JSON object per object: a top-level `}` starts a line.
    const text = stdout.trim();
    return { ok: true, objects: text ? JSON.parse(`[${text.replace(/\n}\n{/g, '\n},\n{')}]`) : [] };
  } catch (err) {
    return { ok: false, error: String((err as { stderr?: string }).stderr || (err as Error).message).trim() };
  }
}

function tugboatReads(file: CorpusFile): Reading {
  try {
    return { ok: true, objects: decodeManifests(file.text) };
  } catch (err) {
    return { ok: false, error: (err as Error).message };
  }
}

/** kubectl's objects without the empty labels its label verb adds where tugboat's object has none. */
function withoutProbe(objects: unknown[], ours: unknown[]): unknown[] {
  return objects.map((o, i) => {
    const obj = o as KubeObject;
    const mine = ours[i] as KubeObject | undefined;
    const labels = obj.metadata?.labels;
    if (labels && Object.keys(labels).length === 0 && mine?.metadata?.labels === undefined) {
      const { labels: _added, ...metadata } = obj.metadata;
      return { ...obj, metadata };
    }
    return obj;
  });
}

/** The first path where two JSON values differ, with both values; undefined when equal. */
function firstDifference(ours: unknown, theirs: unknown, path: string): string | undefined {
  if (Object.is(ours, theirs)) return undefined;
  const bothObjects = typeof ours === 'object' && typeof theirs === 'object' && ours !== null && theirs !== null;
  if (!bothObjects || Array.isArray(ours) !== Array.isArray(theirs)) {
    return `${path || '(root)'}: tugboat ${JSON.stringify(ours)}, kubectl ${JSON.stringify(theirs)}`;
  }
  const a = ours as Record<string, unknown>;
  const b = theirs as Record<string, unknown>;
  for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) {
    const d = firstDifference(a[k], b[k], Array.isArray(ours) ? `${path}[${k}]` : path ? `${path}.${k}` : k);
    if (d !== undefined) return d;
  }
  return undefined;
}

const corpus = manifestCorpus();
const hasKubectl = corpus ? await kubectlAvailable() : false;

describe.skipIf(!corpus || !hasKubectl)('decoding the manifest corpus as kubectl does', () => {
  it('reads every file as kubectl reads it', { timeout: 300_000 }, async () => {
    const files = corpus ?? [];
    const kubeconfig = emptyKubeconfig();
    const readings = new Map<string, Reading>();
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < files.length) {
        const file = files[next++];
        readings.set(file.name, await kubectlReads(file, kubeconfig));
      }
    };
    await Promise.all(Array.from({ length: PARALLEL }, worker));
    const mismatches: string[] = [];
    let failures = 0;
    for (const file of files) {
      const theirs = readings.get(file.name) as Reading;
      const ours = tugboatReads(file);
      if (!theirs.ok) failures++;
      if (theirs.ok !== ours.ok) {
        mismatches.push(
          `${file.name}: kubectl ${theirs.ok ? 'reads it' : `fails (${theirs.error})`}, tugboat ${ours.ok ? 'reads it' : `fails (${ours.error})`}`,
        );
        continue;
      }
      if (theirs.ok && ours.ok) {
        const where = firstDifference(ours.objects, withoutProbe(theirs.objects, ours.objects), '');
        if (where !== undefined) mismatches.push(`${file.name}: ${where}`);
      }
    }
    console.log(`[kubectl decoding] ${files.length} files, ${files.length - failures} read by kubectl, ${failures} rejected by both`);
    expect(mismatches).toEqual([]);
    expect(files.length).toBeGreaterThan(0);
  });
});
