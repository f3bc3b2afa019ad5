import { Command } from 'commander';
import { TugboatError } from '../../model/errors.js';
import type { KubeObject } from '../../model/types.js';
import { LAST_APPLIED } from '../../model/well-known.js';
import type { CliCommand } from '../types.js';
import { type ClientOptions, kindName, withClient, withClientOptions } from './client-context.js';
import { CliFailure, serverErrorLine } from './failure.js';
import { missingIdentity, readManifests } from './manifests.js';

interface ApplyOptions extends ClientOptions {
  filename: string[];
  serverSide?: boolean;
  forceConflicts?: boolean;
  fieldManager: string;
}

/**
 * `tugboat apply -f FILE|DIR|-`: creates each object of the manifests, or patches it to the
 * manifest when it exists, printing `deployment.apps/web created|configured|unchanged` per object
 * as kubectl does; a rejected document is named and the others still go; exit 1 if any failed.
 * With `--server-side` the server applies each (`serverside-applied`), owning fields per
 * `--field-manager`; a field another manager owns is a Conflict unless `--force-conflicts`.
 */
export const applyCommand: CliCommand = {
  name: 'apply',
  create(io) {
    return withClientOptions(
      new Command('apply')
        .description('create or update the objects of manifest files (YAML or JSON, several documents each)')
        .requiredOption('-f, --filename <path...>', 'a file, a folder of .yaml/.yml/.json files, or - for standard input')
        .option('--server-side', 'apply on the server (server-side apply): it merges and records field ownership')
        .option('--force-conflicts', 'with --server-side: take fields other field managers own instead of failing')
        .option('--field-manager <name>', 'with --server-side: the field manager to apply as', 'tugboat'),
    ).action(async (options: ApplyOptions) => {
      if (options.forceConflicts && !options.serverSide) throw new CliFailure('error: --force-conflicts only works with --server-side');
      const docs = await readManifests(options.filename);
      if (docs.length === 0) throw new CliFailure('error: no objects passed to apply');
      let failed = false;
      await withClient(io, options, async (ctx) => {
        for (const { source, index, object } of docs) {
          const missing = missingIdentity(object);
          if (missing) {
            io.stderr.write(`error: ${source}: document ${index}: ${missing}\n`);
            failed = true;
            continue;
          }
          const name = object.metadata.name ?? '';
          try {
            if (options.serverSide) {
              const applied = await ctx.applyServerSide(
                object,
                { fieldManager: options.fieldManager, force: options.forceConflicts },
                options.namespace,
              );
              io.stdout.write(`${kindName(ctx.client(object.apiVersion, object.kind).type)}/${applied.metadata.name} serverside-applied\n`);
              continue;
            }
            const client = ctx.client(object.apiVersion, object.kind, object.metadata.namespace ?? options.namespace);
            const manifest: KubeObject = structuredClone(object);
            const { [LAST_APPLIED]: _, ...annotations } = manifest.metadata.annotations ?? {};
            manifest.metadata.annotations = { ...annotations, [LAST_APPLIED]: `${JSON.stringify(object)}\n` };
            if (client.namespace !== undefined) manifest.metadata.namespace = client.namespace;
            const existing = await client.find(name);
            const label = `${kindName(client.type)}/${name}`;
            if (!existing) {
              await client.create(manifest);
              io.stdout.write(`${label} created\n`);
              continue;
            }
            const { metadata, ...rest } = manifest;
            const { name: _n, namespace: _ns, ...meta } = metadata;
            const patched = await client.patch(name, { ...rest, metadata: meta }, 'strategic');
            const same = patched.metadata.resourceVersion === existing.metadata.resourceVersion;
            io.stdout.write(`${label} ${same ? 'unchanged' : 'configured'}\n`);
          } catch (err) {
            failed = true;
            const verb = err instanceof TugboatError && err.reason === 'NotFound' ? 'retrieving' : 'applying';
            io.stderr.write(`${serverErrorLine(err, `error when ${verb} "${source}" (${object.kind} "${name}")`)}\n`);
          }
        }
      });
      if (failed) throw new CliFailure('');
    });
  },
};
