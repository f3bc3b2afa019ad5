import { Command } from 'commander';
import { stringify } from 'yaml';
import type { Event, KubeObject } from '../../model/types.js';
import type { CliCommand } from '../types.js';
import { type ClientOptions, namespaceOf, resolveKind, withClient, withClientOptions } from './client-context.js';
import { age } from '../../server/human-duration.js';

function labelsText(map: Record<string, string> | undefined, indent: number): string {
  const entries = Object.entries(map ?? {});
  if (entries.length === 0) return '<none>';
  return entries.map(([k, v], i) => `${i === 0 ? '' : ' '.repeat(indent)}${k}=${v}`).join('\n');
}

function indented(value: unknown): string {
  return stringify(value)
    .trimEnd()
    .split('\n')
    .map((l) => `  ${l}`)
    .join('\n');
}

/** The Events section: kubectl's table of Type, Reason, Age, From and Message, or `<none>`. */
export function eventsText(events: readonly Event[], now = Date.now()): string {
  if (events.length === 0) return 'Events:  <none>\n';
  const rows = events.map((e) => [
    e.type ?? '',
    e.reason ?? '',
    age(e.lastTimestamp ?? e.eventTime ?? e.metadata.creationTimestamp, now),
    e.source?.component ?? '',
    e.message ?? '',
  ]);
  const header = ['Type', 'Reason', 'Age', 'From', 'Message'];
  const all = [header, header.map((h) => '-'.repeat(h.length)), ...rows];
  const widths = header.map((_, i) => Math.max(...all.map((r) => (r[i] ?? '').length)));
  const lines = all.map((r) => `  ${r.map((c, i) => (i === r.length - 1 ? c : c.padEnd((widths[i] ?? 0) + 2))).join('')}`.trimEnd());
  return `Events:\n${lines.join('\n')}\n`;
}

/**
 * `tugboat describe KIND NAME`: the object's name, namespace, labels, annotations and creation
 * time, its spec and status, and the Events about it (oldest first).
 */
export const describeCommand: CliCommand = {
  name: 'describe',
  create(io) {
    return withClientOptions(
      new Command('describe')
        .description('show an object in detail, with the Events about it')
        .argument('<kind>', 'the kind: plural, singular, short name or Kind')
        .argument('<name>', 'the object'),
    ).action(async (kind: string, name: string, options: ClientOptions) => {
      await withClient(io, options, async (ctx) => {
        const type = await resolveKind(ctx, kind);
        const apiVersion = type.group ? `${type.group}/${type.version}` : type.version;
        const obj = (await ctx.client(apiVersion, type.kind, namespaceOf(options)).get(name)) as KubeObject & {
          spec?: unknown;
          status?: unknown;
        };
        const m = obj.metadata;
        const out: string[] = [`Name:         ${m.name}`];
        if (type.namespaced) out.push(`Namespace:    ${m.namespace}`);
        out.push(`Labels:       ${labelsText(m.labels, 14)}`);
        out.push(`Annotations:  ${labelsText(m.annotations, 14)}`);
        out.push(`CreationTimestamp:  ${m.creationTimestamp ?? '<unknown>'}`);
        const rest = obj as unknown as Record<string, unknown>;
        for (const key of Object.keys(rest)) {
          if (['apiVersion', 'kind', 'metadata'].includes(key) || rest[key] === undefined) continue;
          out.push(`${key[0]?.toUpperCase()}${key.slice(1)}:`, indented(rest[key]));
        }
        const eventNs = m.namespace ?? 'default';
        const events = (await ctx.client<Event>('v1', 'Event', eventNs).list()).items
          .filter(
            (e) =>
              e.involvedObject?.kind === type.kind &&
              e.involvedObject?.name === m.name &&
              (!e.involvedObject.uid || e.involvedObject.uid === m.uid),
          )
          .sort(
            (a, b) =>
              Date.parse(a.lastTimestamp ?? a.metadata.creationTimestamp ?? '') -
              Date.parse(b.lastTimestamp ?? b.metadata.creationTimestamp ?? ''),
          );
        io.stdout.write(`${out.join('\n')}\n${eventsText(events)}`);
      });
    });
  },
};
