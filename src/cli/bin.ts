#!/usr/bin/env node
/**
 * The `tugboat` executable (package.json `bin`): runs the CLI on this process's arguments and
 * streams, stops the running command on SIGINT or SIGTERM (a second signal exits at once), and
 * exits with the CLI's code.
 */
import { runCli } from './program.js';

const controller = new AbortController();
let signals = 0;
const stop = (signal: NodeJS.Signals): void => {
  signals += 1;
  if (signals > 1) process.exit(130);
  process.stderr.write(`\n${signal}: stopping (again to exit at once)\n`);
  controller.abort(signal);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);

void runCli(process.argv, { stdout: process.stdout, stderr: process.stderr, env: process.env, signal: controller.signal }).then((code) =>
  process.exit(code),
);
