/**
 * NginxIngress: serves one IngressClass through a real nginx of its own (in its own prefix
 * directory, never the system's). Each route change renders nginx.conf, checks it with
 * `nginx -t`, and only then reloads (SIGHUP: new workers take new connections, old ones finish
 * theirs); a configuration nginx rejects is never loaded and apply() rejects with nginx's message.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { get } from 'node:http';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TugboatError } from '../../model/errors.js';
import type { IngressAdapter, IngressAddress, IngressRoutes } from '../types.js';
import { childrenOf } from './proc-children.js';
import { renderNginxConfig } from './render-config.js';

/** Options of {@link NginxIngress}. */
export interface NginxIngressOptions {
  /** The IngressClass it serves (its spec.controller must be `tugboat.io/nginx`). */
  className: string;
  /** The address to listen on. @default '127.0.0.1' */
  host?: string;
  /** The plain HTTP port; 0 picks a free one. @default 0 */
  port?: number;
  /** The HTTPS port; 0 picks a free one. @default 0 */
  tlsPort?: number;
  /** The nginx binary. @default 'nginx' (on PATH, else /usr/sbin/nginx) */
  nginxPath?: string;
  /** The prefix directory; a new temporary one when absent (removed on stop). */
  prefix?: string;
}

/** The spec.controller of IngressClasses served by {@link NginxIngress}. */
export const NGINX_INGRESS_CONTROLLER = 'tugboat.io/nginx';

const EMPTY: IngressRoutes = { hosts: [], tls: [] };

/** An ingress adapter running its own nginx. */
export class NginxIngress implements IngressAdapter {
  /** The IngressClass it serves. */
  readonly className: string;
  /** Always {@link NGINX_INGRESS_CONTROLLER}. */
  readonly controller = NGINX_INGRESS_CONTROLLER;
  private prefix = '';
  private ownsPrefix = false;
  private generation = 0;
  private proc?: ChildProcess;
  private address?: IngressAddress;
  private readonly bin: string;
  private queue: Promise<void> = Promise.resolve();

  /** True when the nginx binary runs (`nginx -v`); for benchmarks and examples that need it. */
  static available(nginxPath = 'nginx'): Promise<boolean> {
    return new Promise((resolve) =>
      execFile(nginxPath, ['-v'], { env: { ...process.env, PATH: `${process.env.PATH ?? ''}:/usr/sbin:/sbin` } }, (err) => resolve(!err)),
    );
  }

  constructor(private readonly options: NginxIngressOptions) {
    if (!options?.className) throw new TypeError('NginxIngress: className is required');
    this.className = options.className;
    this.bin = options.nginxPath ?? 'nginx';
  }

  /** Starts nginx with no routes (every request 404). */
  async start(): Promise<IngressAddress> {
    if (this.address) return this.address;
    this.ownsPrefix = !this.options.prefix;
    this.prefix = this.options.prefix ?? mkdtempSync(join(tmpdir(), 'tugboat-nginx-'));
    for (const d of ['', 'tmp', 'certs']) mkdirSync(join(this.prefix, d), { recursive: true });
    chmodSync(this.prefix, 0o755); // workers (nobody when run as root) reach tmp/
    const host = this.options.host ?? '127.0.0.1';
    const port = this.options.port || (await freePort(host));
    const tlsPort = this.options.tlsPort || (await freePort(host));
    this.address = { ip: host, port, tlsPort };
    const conf = this.write(EMPTY);
    await this.check(conf);
    renameSync(conf, join(this.prefix, 'nginx.conf'));
    const proc = spawn(
      this.bin,
      ['-p', this.prefix, '-c', join(this.prefix, 'nginx.conf'), '-e', join(this.prefix, 'error.log'), '-g', 'daemon off;'],
      {
        stdio: ['ignore', 'ignore', 'pipe'],
        env: { ...process.env, PATH: `${process.env.PATH ?? ''}:/usr/sbin:/sbin` },
      },
    );
    this.proc = proc;
    let stderr = '';
    proc.stderr?.on('data', (c: Buffer) => {
      stderr += c.toString();
    });
    const exited = new Promise<never>((_, reject) =>
      proc.once('exit', (code) =>
        reject(new TugboatError('ServiceUnavailable', `nginx exited (${code}): ${stderr.trim() || this.errorLog()}`)),
      ),
    );
    exited.catch(() => undefined);
    await Promise.race([this.waitForGeneration(this.generation), exited]);
    return this.address;
  }

  /**
   * Renders, checks (`nginx -t`) and reloads; rejects keeping the old configuration when nginx refuses it.
   * Resolves once every new connection gets the new routes: nginx's previous worker keeps accepting
   * until it has taken its quit signal, so one answer from the new routes is not enough.
   */
  apply(routes: IngressRoutes): Promise<void> {
    const run = this.queue.then(() => this.reload(routes));
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** Stops nginx gracefully (SIGQUIT: requests in flight finish) and removes its prefix when it made it. */
  async stop(): Promise<void> {
    const proc = this.proc;
    this.proc = undefined;
    this.address = undefined;
    if (proc && proc.exitCode === null) {
      const done = new Promise<void>((r) => proc.once('exit', () => r()));
      proc.kill('SIGQUIT');
      const timer = setTimeout(() => proc.kill('SIGKILL'), 5_000);
      await done;
      clearTimeout(timer);
    }
    if (this.ownsPrefix && this.prefix) rmSync(this.prefix, { recursive: true, force: true });
  }

  private async reload(routes: IngressRoutes): Promise<void> {
    if (!this.proc || !this.address) throw new TugboatError('ServiceUnavailable', 'NginxIngress: not started');
    const conf = this.write(routes);
    await this.check(conf);
    renameSync(conf, join(this.prefix, 'nginx.conf'));
    this.proc.kill('SIGHUP');
    await this.waitForGeneration(this.generation);
  }

  /** Writes the next configuration (and its certificates) beside the live one; returns its path. */
  private write(routes: IngressRoutes): string {
    const address = this.address as IngressAddress;
    this.generation++;
    const certFiles = routes.tls.map((c, i) => {
      const cert = join(this.prefix, 'certs', `${this.generation}-${i}.crt`);
      const key = join(this.prefix, 'certs', `${this.generation}-${i}.key`);
      writeFileSync(cert, c.cert);
      writeFileSync(key, c.key, { mode: 0o600 });
      return { cert, key };
    });
    const text = renderNginxConfig(routes, {
      host: address.ip,
      port: address.port,
      tlsPort: address.tlsPort,
      prefix: this.prefix,
      generation: this.generation,
      certFiles,
    });
    const file = join(this.prefix, `nginx.conf.${this.generation}`);
    writeFileSync(file, text);
    return file;
  }

  private check(conf: string): Promise<void> {
    return new Promise((resolve, reject) => {
      execFile(
        this.bin,
        ['-t', '-q', '-p', this.prefix, '-c', conf, '-e', join(this.prefix, 'check.log')],
        { env: { ...process.env, PATH: `${process.env.PATH ?? ''}:/usr/sbin:/sbin` } },
        (err, _stdout, stderr) => {
          if (!err) return resolve();
          if ((err as NodeJS.ErrnoException).code === 'ENOENT')
            return reject(
              new TugboatError('ServiceUnavailable', `NginxIngress: nginx not found (${this.bin}); install nginx (Debian: nginx-light)`),
            );
          rmSync(conf, { force: true });
          const why =
            stderr
              .split('\n')
              .filter((l) => l.includes('[emerg]') || l.includes('failed'))
              .join('; ') || stderr.trim();
          reject(new TugboatError('Invalid', `nginx -t rejected the configuration: ${why}`));
        },
      );
    });
  }

  /** Waits until the control socket answers `generation` on three fresh connections in a row. */
  private async waitForGeneration(generation: number): Promise<void> {
    const socketPath = join(this.prefix, 'control.sock');
    const deadline = Date.now() + 15_000;
    let streak = 0;
    while (streak < 3) {
      if (Date.now() > deadline)
        throw new TugboatError('Timeout', `NginxIngress: nginx did not load configuration ${generation}: ${this.errorLog()}`);
      const got = await new Promise<string>((resolve) => {
        const req = get({ socketPath, path: '/generation', agent: false }, (res) => {
          let body = '';
          res.on('data', (c: Buffer) => {
            body += c.toString();
          });
          res.on('end', () => resolve(body));
        });
        req.on('error', () => resolve(''));
      });
      // Loaded only once no worker of an older generation still accepts: until the old worker has
      // taken its quit signal it shares the listening sockets and serves the old routes.
      streak = got === String(generation) && this.acceptingWorkers() <= 1 ? streak + 1 : 0;
      if (streak < 3) await new Promise((r) => setTimeout(r, streak > 0 ? 5 : 20));
    }
  }

  /**
   * The master's workers that still accept connections (process title `nginx: worker process`;
   * an old one that took its quit signal is `... is shutting down`). Only the master's children
   * are read (/proc/<master>/task/<tid>/children, Linux); elsewhere 0, and the generation check
   * alone decides.
   */
  private acceptingWorkers(): number {
    const master = this.proc?.pid;
    if (!master) return 0;
    let count = 0;
    for (const pid of childrenOf(master)) {
      try {
        const title = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ').trim();
        if (title.includes('worker process') && !title.includes('shutting down')) count++;
      } catch {
        // The process ended meanwhile.
      }
    }
    return count;
  }

  private errorLog(): string {
    try {
      return readFileSync(join(this.prefix, 'error.log'), 'utf8').trim().split('\n').slice(-3).join('; ');
    } catch {
      return '';
    }
  }
}

function freePort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, host, () => {
      const port = (s.address() as AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}
