/**
 * Every command of the `tugboat` CLI, in the order `tugboat --help` lists them. A new command is a
 * file in this folder exporting a {@link CliCommand}, and one line here.
 */
import type { CliCommand } from '../types.js';
import { kubeconfigCommand } from './kubeconfig.js';
import { upCommand } from './up.js';
import { versionCommand } from './version.js';

/** The commands `tugboat` offers. */
export const COMMANDS: readonly CliCommand[] = [upCommand, kubeconfigCommand, versionCommand];
