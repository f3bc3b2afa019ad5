import { Command } from 'commander';
import { stringify } from 'yaml';
import type { KubeObject } from '../../model/types.js';
import type { CliCommand } from '../types.js';
import { type ClientOptions, kindName, namespaceOf, resolveKind, withClient, withClientOptions } from './client-context.js';
import { CliFailure } from './failure.js';
import { tableOf } from './table.js';

const FORMATS = ['wide', 'name', 'yaml', 'json'];

interface GetOptions extends ClientOptions {
  output?: string;
  allNamespaces?: boolean;
  selector?: string;
  fieldSelector?: string;
}

/**
 * `tugboat get KIND [NAME] [-o wide|name|yaml|json] [-l SELECTOR] [--field-selector SELECTOR]`:
 * the objects of a kind (or one), as kubectl's table (its wide columns with `-o wide`), its
 * `kind.group/name` lines, or the objects as YAML or JSON.
 */
export const getCommand: CliCommand = {
  name: 'get',
  create(io) {
    return withClientOptions(
      new Command('get')
        .description('show the objects of a kind, or one of them')
        .argument('<kind>', 'the kind: plural, singular, short name or Kind (deployments, deploy, Deployment)')
        .argument('[name]', 'one object by name')
        .option('-o, --output <format>', `the output format: ${FORMATS.join(', ')} (default: a table)`)
        .option('-A, --all-namespaces', 'list across all namespaces')
        .option('-l, --selector <selector>', 'a label selector (app=web, tier in (a,b), !canary)')
        .option('--field-selector <selector>', 'a field selector (status.phase=Running, spec.nodeName=n1)'),
    ).action(async (kind: string, name: string | undefined, options: GetOptions) => {
      if (options.output !== undefined && !FORMATS.includes(options.output)) {
        throw new CliFailure(
          `error: unable to match a printer suitable for the output format "${options.output}", allowed formats are: ${FORMATS.join(',')}`,
        );
      }
      if (name && (options.selector !== undefined || options.fieldSelector !== undefined)) {
        throw new CliFailure('error: name cannot be provided when a selector is specified');
      }
      await withClient(io, options, async (ctx) => {
        const type = await resolveKind(ctx, kind);
        const ns = options.allNamespaces && !name ? '' : namespaceOf(options);
        const client = ctx.client(type.group ? `${type.group}/${type.version}` : type.version, type.kind, ns);
        const items: KubeObject[] = name
          ? [await client.get(name)]
          : (await client.list({ labelSelector: options.selector, fieldSelector: options.fieldSelector })).items;
        const apiVersion = type.group ? `${type.group}/${type.version}` : type.version;
        const full = items.map((o) => ({ ...o, apiVersion, kind: type.kind }));
        if (options.output === 'name') {
          for (const o of full) io.stdout.write(`${kindName(type)}/${o.metadata.name}\n`);
        } else if (options.output === 'json' || options.output === 'yaml') {
          const value = name ? full[0] : { apiVersion: 'v1', kind: 'List', items: full, metadata: { resourceVersion: '' } };
          io.stdout.write(options.output === 'json' ? `${JSON.stringify(value, null, 4)}\n` : stringify(value));
        } else if (full.length === 0) {
          io.stderr.write(type.namespaced && ns !== '' ? `No resources found in ${ns} namespace.\n` : 'No resources found\n');
        } else {
          io.stdout.write(tableOf(type, full, { withNamespace: ns === '' && type.namespaced, wide: options.output === 'wide' }));
        }
      });
    });
  },
};
