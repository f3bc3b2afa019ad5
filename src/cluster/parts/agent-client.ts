/**
 * The API server's side of the agents' endpoints (agent-endpoint.ts): pods/log, pods/exec,
 * pods/attach and pods/portforward of a pod go to the agent of its node, found from the Node's InternalIP address
 * and status.daemonEndpoints.kubeletEndpoint.Port, as kube-apiserver reaches a kubelet. It
 * presents a client certificate signed by the cluster CA ({@link KUBELET_CLIENT_USER}); the
 * agent's self-signed serving certificate is not verified (kube-apiserver's default).
 */
import https from 'node:https';
import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import { createInterface } from 'node:readline';
import type { ApiContext } from '../../client/types.js';
import { TugboatError } from '../../model/errors.js';
import type { Node, Pod, Status } from '../../model/types.js';
import type { CertificatePair } from '../../server/certificates.js';
import type { PodAttach, PodExec, PodLogSource, PodPortDialer } from '../../server/types.js';
import type { ContainerStreams } from '../../streams/types.js';
import { Channel, decodeFrame, encodeFrame, REMOTE_COMMAND_PROTOCOLS, type RemoteCommandStatus } from '../../server/remote-command.js';
import { PassThrough, Writable } from 'node:stream';
import { WebSocket } from 'ws';
import { AGENT_TCP_UPGRADE } from './agent-endpoint.js';

/** Where pods/log, pods/exec, pods/attach and pods/portforward go (the agents' endpoints). */
export interface AgentPodBackend {
  logs: PodLogSource;
  exec: PodExec;
  attach: PodAttach;
  portForward: PodPortDialer;
}

/** The end of a session from its final Status: an exit code, or the error it failed with. */
function outcomeOf(data: Buffer, exec: boolean): { exitCode?: number } | TugboatError {
  try {
    const status = JSON.parse(data.toString('utf8')) as RemoteCommandStatus;
    if (status.status === 'Success') return exec ? { exitCode: 0 } : {};
    if (status.reason === 'NonZeroExitCode') {
      const code = Number(status.details?.causes.find((c) => c.reason === 'ExitCode')?.message);
      if (Number.isInteger(code)) return { exitCode: code };
    }
    return new TugboatError((status.reason as never) || 'InternalError', status.message ?? 'the node agent failed the stream');
  } catch {
    return new TugboatError('InternalError', 'the node agent sent a final status that is not JSON');
  }
}

/** The agent endpoint of the node a pod is bound to. */
async function endpointOf(ctx: ApiContext, namespace: string, name: string): Promise<{ host: string; port: number }> {
  const pod = await ctx.client<Pod>('v1', 'Pod', namespace).get(name);
  const nodeName = pod.spec?.nodeName;
  if (!nodeName) throw TugboatError.badRequest(`pod ${name} is not scheduled to a node yet`);
  const node = await ctx.client<Node>('v1', 'Node').find(nodeName);
  const addresses = node?.status?.addresses ?? [];
  const host = (addresses.find((a) => a.type === 'InternalIP') ?? addresses.find((a) => a.type === 'Hostname'))?.address;
  const port = node?.status?.daemonEndpoints?.kubeletEndpoint?.Port;
  if (!host || !port) throw new TugboatError('ServiceUnavailable', `node ${nodeName} has no agent endpoint (no address or kubelet port)`);
  return { host, port };
}

/** The agent's error Status (or a 502 naming the agent) as a TugboatError. */
async function agentError(res: IncomingMessage, where: string): Promise<TugboatError> {
  const chunks: Buffer[] = [];
  for await (const c of res) chunks.push(c as Buffer);
  try {
    const status = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Status;
    if (status.kind === 'Status' && status.reason) return new TugboatError(status.reason as never, status.message ?? '', status.details);
  } catch {
    /* not a Status */
  }
  return new TugboatError('InternalError', `the node agent at ${where} answered ${res.statusCode}`);
}

/** The pods' streams through their agents, presenting `client` (cert and key, PEM). */
export function agentPodBackend(ctx: ApiContext, client: CertificatePair): AgentPodBackend {
  const agent = new https.Agent({ cert: client.cert, key: client.key, rejectUnauthorized: false, keepAlive: true });
  const request = async (
    namespace: string,
    pod: string,
    method: string,
    path: string,
    body?: string,
    signal?: AbortSignal,
  ): Promise<IncomingMessage> => {
    const { host, port } = await endpointOf(ctx, namespace, pod);
    const where = `${host}:${port}`;
    return new Promise<IncomingMessage>((resolve, reject) => {
      const req = https.request(
        { host, port, method, path, agent, ...(signal ? { signal } : {}), headers: body ? { 'Content-Type': 'application/json' } : {} },
        (res) => {
          if ((res.statusCode ?? 500) < 300) resolve(res);
          else agentError(res, where).then(reject, reject);
        },
      );
      req.on('error', (err) =>
        reject(signal?.aborted ? err : new TugboatError('ServiceUnavailable', `cannot reach the node agent at ${where}: ${err.message}`)),
      );
      req.end(body);
    });
  };
  const seg = encodeURIComponent;
  /** Opens an exec or attach session on the agent: a WebSocket in the remote-command protocol. */
  const remoteSession = async (namespace: string, pod: string, path: string, tty: boolean, exec: boolean): Promise<ContainerStreams> => {
    const { host, port } = await endpointOf(ctx, namespace, pod);
    const where = `${host}:${port}`;
    const ws = new WebSocket(`wss://${host}:${port}${path}`, [...REMOTE_COMMAND_PROTOCOLS], {
      cert: client.cert,
      key: client.key,
      rejectUnauthorized: false,
    });
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('unexpected-response', (_req, res) => agentError(res, where).then(reject, reject));
      ws.once('error', (err) => reject(new TugboatError('ServiceUnavailable', `cannot reach the node agent at ${where}: ${err.message}`)));
    });
    const stdout = new PassThrough();
    const stderr = tty ? undefined : new PassThrough();
    const send = (channel: number, data: string | Uint8Array) => {
      if (ws.readyState === ws.OPEN) ws.send(encodeFrame(channel, data));
    };
    let settle: (r: { exitCode?: number }) => void = () => {};
    let fail: (err: unknown) => void = () => {};
    const done = new Promise<{ exitCode?: number }>((resolve, reject) => {
      settle = resolve;
      fail = reject;
    });
    let outcome: { exitCode?: number } | TugboatError | undefined;
    ws.on('message', (data: Buffer | ArrayBuffer | Buffer[]) => {
      const message = Array.isArray(data) ? Buffer.concat(data) : Buffer.isBuffer(data) ? data : Buffer.from(data);
      const frame = decodeFrame(message);
      if (!frame) return;
      if (frame.channel === Channel.stdout) stdout.write(frame.data);
      else if (frame.channel === Channel.stderr) stderr?.write(frame.data);
      else if (frame.channel === Channel.error) outcome = outcomeOf(frame.data, exec);
    });
    ws.once('close', () => {
      stdout.end();
      stderr?.end();
      if (outcome instanceof TugboatError) fail(outcome);
      else settle(outcome ?? {});
    });
    ws.on('error', () => undefined);
    const stdin = new Writable({
      write(chunk: Buffer, _encoding, callback) {
        send(Channel.stdin, chunk);
        callback();
      },
      final(callback) {
        send(Channel.close, Buffer.from([Channel.stdin]));
        callback();
      },
    });
    return {
      stdout,
      ...(stderr ? { stderr } : {}),
      ...(path.includes('stdin=true') ? { stdin } : {}),
      resize: async ({ cols, rows }) => send(Channel.resize, JSON.stringify({ Width: cols, Height: rows })),
      done,
      close: () => ws.close(1000),
    };
  };
  return {
    logs: async function* (namespace, pod, options) {
      const q = new URLSearchParams();
      if (options.follow) q.set('follow', 'true');
      if (options.timestamps) q.set('timestamps', 'true');
      if (options.previous) q.set('previous', 'true');
      if (options.tail !== undefined) q.set('tailLines', String(options.tail));
      const path = `/containerLogs/${seg(namespace)}/${seg(pod)}/${seg(options.container ?? '')}?${q}`;
      const res = await request(namespace, pod, 'GET', path, undefined, options.signal);
      try {
        for await (const text of createInterface({ input: res, crlfDelay: Number.POSITIVE_INFINITY })) {
          if (!text) continue;
          const l = JSON.parse(text) as { stream: 'stdout' | 'stderr'; line: string; time?: string };
          yield { stream: l.stream, line: l.line, ...(l.time ? { time: new Date(l.time) } : {}) };
        }
      } finally {
        res.destroy();
      }
    },
    exec: (namespace, pod, { command, container, stdin, tty }) => {
      const q = new URLSearchParams({ stdin: String(stdin), tty: String(tty) });
      for (const c of command) q.append('command', c);
      return remoteSession(namespace, pod, `/exec/${seg(namespace)}/${seg(pod)}/${seg(container ?? '')}?${q}`, tty, true);
    },
    attach: (namespace, pod, { container, stdin, tty }) => {
      const q = new URLSearchParams({ stdin: String(stdin), tty: String(tty) });
      return remoteSession(namespace, pod, `/attach/${seg(namespace)}/${seg(pod)}/${seg(container ?? '')}?${q}`, tty, false);
    },
    portForward: async (namespace, pod, port) => {
      const { host, port: agentPort } = await endpointOf(ctx, namespace, pod);
      const where = `${host}:${agentPort}`;
      return new Promise<Socket>((resolve, reject) => {
        const req = https.request({
          host,
          port: agentPort,
          path: `/portForward/${seg(namespace)}/${seg(pod)}?port=${port}`,
          cert: client.cert,
          key: client.key,
          rejectUnauthorized: false,
          headers: { Connection: 'Upgrade', Upgrade: AGENT_TCP_UPGRADE },
        });
        req.on('upgrade', (_res, socket, head) => {
          if (head.length) socket.unshift(head);
          resolve(socket as Socket);
        });
        req.on('response', (res) => agentError(res, where).then(reject, reject));
        req.on('error', (err) => reject(new TugboatError('ServiceUnavailable', `cannot reach the node agent at ${where}: ${err.message}`)));
        req.end();
      });
    },
  };
}
