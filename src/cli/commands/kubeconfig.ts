import { readFile } from 'node:fs/promises';
import { Command } from 'commander';
import { TugboatError } from '../../model/errors.js';
import { clientKubeconfigPath, defaultUpKubeconfigPath } from '../kubeconfig-file.js';
import type { CliCommand } from '../types.js';

/** `tugboat kubeconfig`: prints the kubeconfig a running `tugboat up` wrote (or its path). */
export const kubeconfigCommand: CliCommand = {
  name: 'kubeconfig',
  create(io) {
    return new Command('kubeconfig')
      .description('print the admin kubeconfig of a running `tugboat up` (to pipe into a file or another tool)')
      .option('--name <name>', "the cluster's name, as given to tugboat up", 'tugboat')
      .option('--kubeconfig <path>', 'the kubeconfig tugboat up wrote (default: ~/.kube/<name>.yaml)')
      .option('--path', 'print only the path of the kubeconfig')
      .action(async (options: { name: string; kubeconfig?: string; path?: boolean }) => {
        const path = options.kubeconfig ? clientKubeconfigPath(options.kubeconfig, io.env) : defaultUpKubeconfigPath(options.name, io.env);
        const text = await readFile(path, 'utf8').catch(() => {
          throw new TugboatError('NotFound', `no kubeconfig at ${path}: is \`tugboat up --name ${options.name}\` running?`);
        });
        io.stdout.write(options.path ? `${path}\n` : text);
      });
  },
};
