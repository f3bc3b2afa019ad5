/**
 * The remote-command channel protocol of pods/exec and pods/attach over WebSockets, as the
 * kubelet and kube-apiserver speak it (`v5.channel.k8s.io`, and `v4.channel.k8s.io` before it):
 * every binary message starts with its channel byte. Pure: framing, the final Status, resize
 * messages and the request's options.
 */
import { TugboatError } from '../model/errors.js';
import type { TerminalSize } from '../streams/types.js';

/** The subprotocols served, preferred first. v5 adds the close message (channel 255). */
export const REMOTE_COMMAND_PROTOCOLS = ['v5.channel.k8s.io', 'v4.channel.k8s.io'] as const;

/** The channels of the protocol. */
export const Channel = {
  stdin: 0,
  stdout: 1,
  stderr: 2,
  /** The final Status (JSON), written once at the end. */
  error: 3,
  /** Terminal size messages from the client (JSON `{"Width":80,"Height":24}`). */
  resize: 4,
  /** v5: the client closes one of its channels; the payload is that channel's number. */
  close: 255,
} as const;

/** One decoded message. */
export interface ChannelMessage {
  channel: number;
  data: Buffer;
}

/** Prefixes `data` with its channel byte. */
export function encodeFrame(channel: number, data: string | Uint8Array): Buffer {
  const body = typeof data === 'string' ? Buffer.from(data) : data;
  return Buffer.concat([Buffer.from([channel]), body]);
}

/** Splits a message into its channel and payload; undefined for an empty message. */
export function decodeFrame(message: Uint8Array): ChannelMessage | undefined {
  if (message.length === 0) return undefined;
  const buf = Buffer.isBuffer(message) ? message : Buffer.from(message);
  return { channel: buf[0], data: buf.subarray(1) };
}

/** The payload of a resize message as a size; undefined when it is not one (ignored, as the kubelet logs and goes on). */
export function decodeResize(data: Uint8Array): TerminalSize | undefined {
  try {
    const size = JSON.parse(Buffer.from(data).toString('utf8')) as { Width?: unknown; Height?: unknown };
    const cols = size.Width;
    const rows = size.Height;
    if (typeof cols !== 'number' || typeof rows !== 'number' || !Number.isInteger(cols) || !Number.isInteger(rows)) return undefined;
    if (cols < 0 || rows < 0 || cols > 65535 || rows > 65535) return undefined;
    return { cols, rows };
  } catch {
    return undefined;
  }
}

/** A metav1.Status for the error channel. */
export interface RemoteCommandStatus {
  metadata: Record<string, never>;
  status: 'Success' | 'Failure';
  message?: string;
  reason?: string;
  code?: number;
  details?: { causes: Array<{ reason: string; message: string }> };
}

/**
 * The Status that ends a stream: Success for exit code 0 (or an attach that ended without one),
 * else NonZeroExitCode with an ExitCode cause (kubectl exits with that code).
 */
export function exitStatus(exitCode: number | undefined): RemoteCommandStatus {
  if (exitCode === undefined || exitCode === 0) return { metadata: {}, status: 'Success' };
  return {
    metadata: {},
    status: 'Failure',
    message: `command terminated with non-zero exit code: exit status ${exitCode}`,
    reason: 'NonZeroExitCode',
    details: { causes: [{ reason: 'ExitCode', message: String(exitCode) }] },
  };
}

/** The streams a pods/exec or pods/attach request asks for (PodExecOptions / PodAttachOptions). */
export interface RemoteCommandOptions {
  stdin: boolean;
  stdout: boolean;
  stderr: boolean;
  tty: boolean;
  container?: string;
}

function flag(params: URLSearchParams, name: string): boolean {
  const value = params.get(name);
  if (value === null || value === '' || value === 'false' || value === '0') return false;
  if (value === 'true' || value === '1') return true;
  throw TugboatError.badRequest(`${name}: Invalid value: "${value}": must be a boolean`);
}

/**
 * Reads the stream flags of a request's query. As the kubelet: with a TTY there is no stderr
 * (the terminal has one output), and at least one of stdin, stdout and stderr is asked for.
 */
export function remoteCommandOptions(params: URLSearchParams): RemoteCommandOptions {
  const tty = flag(params, 'tty');
  const stdin = flag(params, 'stdin');
  const stdout = flag(params, 'stdout');
  const stderr = flag(params, 'stderr') && !tty;
  if (!stdin && !stdout && !stderr) {
    throw TugboatError.badRequest('you must specify at least 1 of stdin, stdout, stderr');
  }
  const container = params.get('container') || undefined;
  return { stdin, stdout, stderr, tty, ...(container ? { container } : {}) };
}
