import { describe, expect, it } from 'vitest';
import { Writable } from 'node:stream';
import pino from 'pino';
import { Cluster } from '../../../../src/cluster/cluster.js';
import { terminalError } from '../../../../src/controllers/runtime/terminal-error.js';

describe('a pino logger as the controllers logger', () => {
  it('receives what controllers log, with the controller name bound', async () => {
    const lines: Record<string, unknown>[] = [];
    const sink = new Writable({
      write(chunk, _enc, done) {
        lines.push(JSON.parse(String(chunk)));
        done();
      },
    });
    const logger = pino({ level: 'debug' }, sink);
    await using cluster = await Cluster.start({ scheduler: false, controllers: { logger, builtins: false } });
    cluster.controllers.register({
      name: 'always-fails',
      for: { apiVersion: 'v1', kind: 'ConfigMap' },
      async reconcile(req, ctx) {
        ctx.log.info({ name: req.name }, 'reconciling');
        throw terminalError(new Error('nope'));
      },
    });
    await cluster.configMaps().create({ metadata: { name: 'c' } });
    for (let i = 0; i < 100 && !lines.some((l) => l.msg === 'reconciling'); i++) await new Promise((r) => setTimeout(r, 10));
    const line = lines.find((l) => l.msg === 'reconciling');
    expect(line).toMatchObject({ name: 'c' });
    expect(JSON.stringify(lines)).toContain('always-fails');
  });
});
