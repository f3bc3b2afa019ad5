/**
 * Sums a V8 CPU profile (`node --cpu-prof`) by function and prints the top N by self time, with
 * each function's share of the profile and its total (self + callees) time. Asserts nothing.
 * Run: `npx tsx bench/profile-top.ts <file.cpuprofile | dir> [N] [--by-file]` (a directory: its
 * newest .cpuprofile). `--by-file` sums self time per source file instead.
 * Profile the end-to-end bench with
 * `node --cpu-prof --cpu-prof-dir=/tmp/prof --import tsx bench/scheduler.ts 1000 30000`.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

/** One node of a V8 CPU profile's call tree. */
interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

/** The parts of a `.cpuprofile` this script reads. */
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

/** One printed row: a function (or a file) with its self and total time in milliseconds. */
export interface ProfileRow {
  name: string;
  selfMs: number;
  totalMs: number;
}

function shortUrl(url: string): string {
  const i = url.lastIndexOf('/src/');
  if (i >= 0) return url.slice(i + 1);
  const nm = url.lastIndexOf('/node_modules/');
  if (nm >= 0) return url.slice(nm + '/node_modules/'.length);
  const b = url.lastIndexOf('/bench/');
  if (b >= 0) return url.slice(b + 1);
  return url.replace(/^file:\/\//, '');
}

/** Sums a profile's samples by function (or by file) and returns the rows, largest self time first. */
export function profileTop(profile: CpuProfile, byFile = false): { rows: ProfileRow[]; totalMs: number } {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfUs = new Map<number, number>();
  for (let i = 0; i < profile.samples.length; i++) {
    const id = profile.samples[i];
    selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i + 1] ?? 0));
  }
  const keyOf = (n: ProfileNode): string => {
    const f = n.callFrame;
    const file = shortUrl(f.url);
    if (byFile) return file || `(${f.functionName || 'native'})`;
    return `${f.functionName || '(anonymous)'} ${file ? `${file}:${f.lineNumber + 1}` : ''}`.trim();
  };
  const self = new Map<string, number>();
  const total = new Map<string, number>();
  // Total time: each node's subtree, counted once per key on a path (recursion is not double-counted).
  const walk = (id: number, onPath: Set<string>): number => {
    const n = byId.get(id);
    if (!n) return 0;
    const key = keyOf(n);
    const mine = selfUs.get(id) ?? 0;
    self.set(key, (self.get(key) ?? 0) + mine);
    const fresh = !onPath.has(key);
    if (fresh) onPath.add(key);
    let sum = mine;
    for (const c of n.children ?? []) sum += walk(c, onPath);
    if (fresh) {
      onPath.delete(key);
      total.set(key, (total.get(key) ?? 0) + sum);
    }
    return sum;
  };
  const root = profile.nodes[0];
  const totalUs = walk(root.id, new Set());
  const rows = [...self].map(([name, us]) => ({ name, selfMs: us / 1000, totalMs: (total.get(name) ?? 0) / 1000 }));
  rows.sort((a, b) => b.selfMs - a.selfMs);
  return { rows, totalMs: totalUs / 1000 };
}

function newestProfile(path: string): string {
  if (!statSync(path).isDirectory()) return path;
  const files = readdirSync(path)
    .filter((f) => f.endsWith('.cpuprofile'))
    .map((f) => join(path, f))
    .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs);
  if (files.length === 0) throw new Error(`no .cpuprofile in ${path}`);
  return files[0];
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const args = process.argv.slice(2).filter((a) => !a.startsWith('--'));
  const byFile = process.argv.includes('--by-file');
  const file = newestProfile(args[0] ?? '.');
  const count = Number(args[1] ?? 25);
  const { rows, totalMs } = profileTop(JSON.parse(readFileSync(file, 'utf8')) as CpuProfile, byFile);
  const idle = rows.find((r) => r.name.startsWith('(idle)'))?.selfMs ?? 0;
  console.log(`${file}: ${(totalMs / 1000).toFixed(1)} s sampled, ${((totalMs - idle) / 1000).toFixed(1)} s not idle`);
  console.log('   self ms  self%  total ms  function');
  for (const r of rows.slice(0, count)) {
    const pct = ((100 * r.selfMs) / (totalMs - idle)).toFixed(1);
    console.log(`${r.selfMs.toFixed(0).padStart(10)} ${pct.padStart(5)}% ${r.totalMs.toFixed(0).padStart(9)}  ${r.name}`);
  }
}
