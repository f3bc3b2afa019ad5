/**
 * Every command of the `tugboat` CLI, in the order `tugboat --help` lists them. A new command is a
 * file in this folder exporting a {@link CliCommand}, and one line here.
 */
import type { CliCommand } from '../types.js';
import { agentCommand } from './agent.js';
import { apiserverCommand } from './apiserver.js';
import { applyCommand } from './apply.js';
import { controllerManagerCommand } from './controller-manager.js';
import { deleteCommand } from './delete.js';
import { describeCommand } from './describe.js';
import { getCommand } from './get.js';
import { kubeconfigCommand } from './kubeconfig.js';
import { logsCommand } from './logs.js';
import { rolloutCommand } from './rollout.js';
import { schedulerCommand } from './scheduler.js';
import { upCommand } from './up.js';
import { versionCommand } from './version.js';

/** The commands `tugboat` offers. */
export const COMMANDS: readonly CliCommand[] = [
  upCommand,
  kubeconfigCommand,
  versionCommand,
  // The control plane's parts, each in its own process (as kube-apiserver, kube-controller-manager, kube-scheduler, kubelet).
  apiserverCommand,
  controllerManagerCommand,
  schedulerCommand,
  agentCommand,
  // The client verbs, over the API server a kubeconfig names.
  applyCommand,
  getCommand,
  deleteCommand,
  rolloutCommand,
  logsCommand,
  describeCommand,
];
