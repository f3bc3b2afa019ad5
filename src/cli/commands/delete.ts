import { Command } from 'commander';
import type { CliCommand } from '../types.js';
import { type ClientOptions, namespaceOf, resolveKind, resourceName, withClient, withClientOptions } from './client-context.js';
import { CliFailure, serverErrorLine } from './failure.js';
import { missingIdentity, readManifests } from './manifests.js';

/**
 * `tugboat delete KIND NAME...` or `tugboat delete -f FILE|DIR|-`: deletes the objects, printing
 * `deployment.apps "web" deleted` for each as kubectl does; exit 1 if any failed.
 */
export const deleteCommand: CliCommand = {
  name: 'delete',
  create(io) {
    return withClientOptions(
      new Command('delete')
        .description('delete objects by kind and name, or the objects of manifest files')
        .argument('[kind]', 'the kind: plural, singular, short name or Kind')
        .argument('[names...]', 'the names of the objects')
        .option('-f, --filename <path...>', 'a file, a folder of manifests, or - for standard input')
        .option('--ignore-not-found', 'succeed when an object does not exist'),
    ).action(
      async (kind: string | undefined, names: string[], options: ClientOptions & { filename?: string[]; ignoreNotFound?: boolean }) => {
        if (options.filename && kind) throw new CliFailure('error: give either -f FILE or KIND NAME, not both');
        if (!options.filename && (!kind || names.length === 0)) {
          throw new CliFailure('error: you must provide one or more resources by kind and name, or -f FILE (see tugboat delete --help)');
        }
        let failed = false;
        await withClient(io, options, async (ctx) => {
          const targets: { apiVersion: string; kind: string; namespace: string | undefined; name: string }[] = [];
          if (options.filename) {
            for (const { source, index, object } of await readManifests(options.filename)) {
              const missing = missingIdentity(object);
              if (missing) throw new CliFailure(`error: ${source}: document ${index}: ${missing}`);
              targets.push({
                apiVersion: object.apiVersion,
                kind: object.kind,
                namespace: object.metadata.namespace ?? options.namespace,
                name: object.metadata.name ?? '',
              });
            }
          } else if (kind) {
            const type = await resolveKind(ctx, kind);
            const apiVersion = type.group ? `${type.group}/${type.version}` : type.version;
            for (const name of names) targets.push({ apiVersion, kind: type.kind, namespace: namespaceOf(options), name });
          }
          for (const t of targets) {
            try {
              const client = ctx.client(t.apiVersion, t.kind, t.namespace);
              await client.delete(t.name);
              io.stdout.write(`${resourceName(client.type).replace(/^[^.]+/, client.type.singular)} "${t.name}" deleted\n`);
            } catch (err) {
              if (options.ignoreNotFound && (err as { reason?: string }).reason === 'NotFound') continue;
              failed = true;
              io.stderr.write(`${serverErrorLine(err)}\n`);
            }
          }
        });
        if (failed) throw new CliFailure('');
      },
    );
  },
};
