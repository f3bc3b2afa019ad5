/**
 * The objects of `-f FILE|DIR|-`: every YAML or JSON document of a file, of the .yaml/.yml/.json
 * files of a folder (in name order), or of standard input, each with where it came from.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import type { KubeObject } from '../../model/types.js';
import { CliFailure } from './failure.js';

/** One document of a manifest. */
export interface ManifestDocument {
  /** The file it came from (`-` for standard input). */
  readonly source: string;
  /** Its place in the file, from 1. */
  readonly index: number;
  readonly object: KubeObject;
}

async function readStdin(stdin: NodeJS.ReadableStream): Promise<string> {
  let text = '';
  for await (const chunk of stdin) text += chunk.toString();
  return text;
}

/** The files `path` stands for: itself, or a folder's manifest files. */
async function filesOf(path: string): Promise<string[]> {
  const info = await stat(path).catch(() => {
    throw new CliFailure(`error: the path "${path}" does not exist`);
  });
  if (!info.isDirectory()) return [path];
  const names = (await readdir(path)).filter((n) => /\.(ya?ml|json)$/i.test(n)).sort();
  return names.map((n) => join(path, n));
}

/** Parses the documents of `text` (YAML or JSON), skipping empty ones; a bad one names its file. */
export function parseManifest(source: string, text: string): ManifestDocument[] {
  const docs: ManifestDocument[] = [];
  let index = 0;
  for (const doc of parseAllDocuments(text)) {
    index += 1;
    if (doc.errors.length > 0) throw new CliFailure(`error: ${source}: document ${index}: ${doc.errors[0]?.message}`);
    const value: unknown = doc.toJS();
    if (value === null || value === undefined) continue;
    if (typeof value !== 'object' || Array.isArray(value)) throw new CliFailure(`error: ${source}: document ${index} is not an object`);
    const obj = value as KubeObject & { items?: KubeObject[] };
    if (typeof obj.kind === 'string' && obj.kind.endsWith('List') && Array.isArray(obj.items)) {
      for (const item of obj.items) docs.push({ source, index, object: item });
      continue;
    }
    docs.push({ source, index, object: obj });
  }
  return docs;
}

/** Every document of each of `paths` (`-` reads `stdin`). */
export async function readManifests(paths: readonly string[], stdin: NodeJS.ReadableStream = process.stdin): Promise<ManifestDocument[]> {
  const docs: ManifestDocument[] = [];
  for (const path of paths) {
    if (path === '-') {
      docs.push(...parseManifest('-', await readStdin(stdin)));
      continue;
    }
    for (const file of await filesOf(path)) docs.push(...parseManifest(file, await readFile(file, 'utf8')));
  }
  return docs;
}

/** Why a document cannot be sent (no apiVersion, kind or name), or undefined. */
export function missingIdentity(obj: KubeObject): string | undefined {
  if (typeof obj.apiVersion !== 'string' || obj.apiVersion === '') return 'apiVersion not set';
  if (typeof obj.kind !== 'string' || obj.kind === '') return 'kind not set';
  if (typeof obj.metadata?.name !== 'string' || obj.metadata.name === '') return 'metadata.name not set';
  return undefined;
}
