/**
 * Every command of the `tugboat` CLI, in the order `tugboat --help` lists them. A new command is a
 * file in this folder exporting a {@link CliCommand}, and one line here.
 */
import type { CliCommand } from '../types.js';
import { applyCommand } from './apply.js';
import { deleteCommand } from './delete.js';
import { describeCommand } from './describe.js';
import { getCommand } from './get.js';
import { kubeconfigCommand } from './kubeconfig.js';
import { logsCommand } from './logs.js';
import { rolloutCommand } from './rollout.js';
import { upCommand } from './up.js';
import { versionCommand } from './version.js';

/** The commands `tugboat` offers. */
export const COMMANDS: readonly CliCommand[] = [
  upCommand,
  kubeconfigCommand,
  versionCommand,
  // The client verbs, over the API server a kubeconfig names.
  applyCommand,
  getCommand,
  deleteCommand,
  rolloutCommand,
  logsCommand,
  describeCommand,
];
