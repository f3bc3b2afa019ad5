import { Command } from 'commander';
import type { CliCommand } from '../types.js';
import { TUGBOAT_VERSION } from '../version.js';

/** `tugboat version`: the tugboat version and the Kubernetes version whose API it serves. */
export const versionCommand: CliCommand = {
  name: 'version',
  create(io) {
    return new Command('version')
      .description('print the tugboat version and the Kubernetes API version it serves')
      .option('-o, --output <format>', 'json for a machine-readable answer')
      .action((options: { output?: string }) => {
        const info = { tugboat: TUGBOAT_VERSION, kubernetes: KUBERNETES_API_VERSION };
        if (options.output === 'json') io.stdout.write(`${JSON.stringify(info, null, 2)}\n`);
        else io.stdout.write(`tugboat ${info.tugboat} (Kubernetes API ${info.kubernetes})\n`);
      });
  },
};

/** The Kubernetes release whose API and behaviour tugboat follows. */
const KUBERNETES_API_VERSION = '1.30';
