import { Command } from 'commander';
import { HttpTransport } from '../../client/http/transport.js';
import type { CliCommand } from '../types.js';
import { type ClientOptions, connectionOf, namespaceOf, withClientOptions } from './client-context.js';
import { CliFailure, serverErrorLine } from './failure.js';

/**
 * `tugboat logs POD [-c CONTAINER] [-f]`: the pod's container output (GET pods/log), followed
 * while the container runs with `-f`, until it ends or Ctrl-C.
 */
export const logsCommand: CliCommand = {
  name: 'logs',
  create(io) {
    return withClientOptions(
      new Command('logs')
        .description("print a pod's container output")
        .argument('<pod>', 'the pod (or pod/NAME)')
        .option('-c, --container <name>', 'the container (needed when the pod has several)')
        .option('-f, --follow', 'keep printing new output until the container ends')
        .option('--tail <lines>', 'only the last lines')
        .option('-p, --previous', "the previous instance's output"),
    ).action(async (pod: string, options: ClientOptions & { container?: string; follow?: boolean; tail?: string; previous?: boolean }) => {
      const name = pod.replace(/^(pods?|po)\//, '');
      if (options.tail !== undefined && !/^-?\d+$/.test(options.tail))
        throw new CliFailure(`error: invalid --tail "${options.tail}": give a number of lines`);
      const http = new HttpTransport(await connectionOf(io, options));
      const stop = new AbortController();
      const onSignal = (): void => stop.abort();
      io.signal.addEventListener('abort', onSignal);
      try {
        const res = await http.open({
          method: 'GET',
          path: `/api/v1/namespaces/${encodeURIComponent(namespaceOf(options))}/pods/${encodeURIComponent(name)}/log`,
          query: {
            container: options.container,
            follow: options.follow ? 'true' : undefined,
            tailLines: options.tail,
            previous: options.previous ? 'true' : undefined,
          },
          signal: stop.signal,
        });
        for await (const chunk of res.body) io.stdout.write(chunk as Buffer);
      } catch (err) {
        if (stop.signal.aborted) return;
        throw new CliFailure(serverErrorLine(err));
      } finally {
        io.signal.removeEventListener('abort', onSignal);
        await http.close();
      }
    });
  },
};
