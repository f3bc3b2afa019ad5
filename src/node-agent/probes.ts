/**
 * Running one probe or lifecycle hook: a Kubernetes probe/handler turned into a ProbeAction,
 * run natively by the runtime when it can (runtime.probe), else through exec or the network.
 */
import * as http from 'node:http';
import * as https from 'node:https';
import * as net from 'node:net';
import type { core } from '../model/types.js';
import type { ContainerRuntime, ProbeAction, ProbeOutcome, SandboxStatus } from '../runtime-adapters/types.js';

/** Resolves a port (number, numeric string, or a named container port). */
function resolvePort(port: number | string | undefined, container: core.Container): number {
  if (typeof port === 'number') return port;
  if (port === undefined) return 0;
  if (/^\d+$/.test(port)) return Number(port);
  return container.ports?.find((p) => p.name === port)?.containerPort ?? 0;
}

/** The ProbeAction of a probe or a lifecycle handler; undefined when it has no supported action. */
export function probeAction(handler: core.Probe | core.LifecycleHandler, container: core.Container): ProbeAction | undefined {
  if (handler.exec) return { type: 'exec', command: [...(handler.exec.command ?? [])] };
  if (handler.httpGet) {
    const g = handler.httpGet;
    const headers: Record<string, string> = {};
    for (const h of g.httpHeaders ?? []) headers[h.name] = h.value;
    return {
      type: 'http',
      port: resolvePort(g.port, container),
      path: g.path || '/',
      ...(g.host ? { host: g.host } : {}),
      scheme: g.scheme === 'HTTPS' ? 'HTTPS' : 'HTTP',
      ...(Object.keys(headers).length ? { headers } : {}),
    };
  }
  if (handler.tcpSocket)
    return {
      type: 'tcp',
      port: resolvePort(handler.tcpSocket.port, container),
      ...(handler.tcpSocket.host ? { host: handler.tcpSocket.host } : {}),
    };
  const grpc = (handler as core.Probe).grpc;
  if (grpc) return { type: 'tcp', port: grpc.port };
  return undefined;
}

/**
 * Why a lifecycle hook's handler cannot run, else undefined. As the kubelet of 1.30 (lifecycle
 * handlers.go) runs only exec, httpGet and sleep: tcpSocket, deprecated and kept in the API for
 * backward compatibility only, passes validation but fails the hook when it runs ("Cannot run
 * handler: invalid handler"), so a postStart kills the container and a preStop is reported.
 */
export function unrunnableLifecycleHandler(handler: core.LifecycleHandler): string | undefined {
  if (handler.exec || handler.httpGet || handler.sleep || !handler.tcpSocket) return undefined;
  return 'Cannot run handler: invalid handler: tcpSocket is not supported as a lifecycle handler (deprecated, kept in the API for backward compatibility only)';
}

/** Runs an action against a container: natively, by exec, or over HTTP/TCP at the runtime's endpoint. */
export async function runProbe(
  runtime: ContainerRuntime,
  containerId: string,
  sandbox: SandboxStatus | undefined,
  action: ProbeAction,
  timeoutMs: number,
): Promise<ProbeOutcome> {
  try {
    if (runtime.probe) return await runtime.probe(containerId, action, timeoutMs);
    if (action.type === 'exec') {
      const r = await runtime.exec(containerId, action.command, { timeoutMs });
      return r.exitCode === 0
        ? { result: 'success' }
        : { result: 'failure', message: (r.stdout + r.stderr).trim() || `command exited with ${r.exitCode}` };
    }
    const target = endpoint(runtime, sandbox, action.port, action.host);
    return action.type === 'http' ? await httpProbe(target, action, timeoutMs) : await tcpProbe(target, timeoutMs);
  } catch (err) {
    return { result: 'failure', message: err instanceof Error ? err.message : String(err) };
  }
}

function endpoint(
  runtime: ContainerRuntime,
  sandbox: SandboxStatus | undefined,
  port: number,
  host?: string,
): { host: string; port: number } {
  if (host) return { host, port };
  if (sandbox && runtime.endpointFor) return runtime.endpointFor(sandbox, port);
  return { host: sandbox?.ip || '127.0.0.1', port };
}

function httpProbe(
  target: { host: string; port: number },
  action: Extract<ProbeAction, { type: 'http' }>,
  timeoutMs: number,
): Promise<ProbeOutcome> {
  const lib = action.scheme === 'HTTPS' ? https : http;
  return new Promise((resolve) => {
    const req = lib.request(
      {
        host: target.host,
        port: target.port,
        path: action.path,
        method: 'GET',
        headers: { 'User-Agent': 'kube-probe/1.30', ...(action.headers ?? {}) },
        timeout: timeoutMs,
        ...(action.scheme === 'HTTPS' ? { rejectUnauthorized: false } : {}),
      },
      (res) => {
        res.resume();
        const code = res.statusCode ?? 0;
        resolve(
          code >= 200 && code < 400 ? { result: 'success' } : { result: 'failure', message: `HTTP probe failed with statuscode: ${code}` },
        );
      },
    );
    req.on('timeout', () => {
      req.destroy();
      resolve({ result: 'failure', message: `Get "http://${target.host}:${target.port}${action.path}": context deadline exceeded` });
    });
    req.on('error', (e) => resolve({ result: 'failure', message: e.message }));
    req.end();
  });
}

function tcpProbe(target: { host: string; port: number }, timeoutMs: number): Promise<ProbeOutcome> {
  return new Promise((resolve) => {
    const sock = net.connect({ host: target.host, port: target.port });
    const done = (o: ProbeOutcome): void => {
      sock.destroy();
      resolve(o);
    };
    sock.setTimeout(timeoutMs, () => done({ result: 'failure', message: `dial tcp ${target.host}:${target.port}: i/o timeout` }));
    sock.on('connect', () => done({ result: 'success' }));
    sock.on('error', (e) => done({ result: 'failure', message: e.message }));
  });
}
