/**
 * Carries one exec or attach session over an upgraded WebSocket, in the remote-command channel
 * protocol (remote-command.ts): client messages to the process's stdin and terminal size, its
 * stdout and stderr back, and the final Status on the error channel before the socket closes.
 */
import type { Readable } from 'node:stream';
import type { WebSocket } from 'ws';
import { statusOf } from './http-status.js';
import { Channel, decodeFrame, decodeResize, encodeFrame, exitStatus, type RemoteCommandStatus } from './remote-command.js';
import type { ContainerStreams } from '../streams/types.js';

function ended(stream: Readable | undefined): Promise<void> {
  if (!stream || stream.readableEnded || stream.destroyed) return Promise.resolve();
  return new Promise((resolve) => {
    stream.once('end', resolve);
    stream.once('close', resolve);
    stream.once('error', () => resolve());
  });
}

/**
 * Runs the session `open` makes on `ws`: messages that come while it opens are kept and
 * delivered in order. When it cannot be opened, its error is the final Status.
 */
export async function streamSession(ws: WebSocket, open: () => Promise<ContainerStreams>): Promise<void> {
  const send = (channel: number, data: string | Uint8Array) => {
    if (ws.readyState === ws.OPEN) ws.send(encodeFrame(channel, data));
  };
  const finish = (status: RemoteCommandStatus) => {
    send(Channel.error, JSON.stringify(status));
    if (ws.readyState === ws.OPEN) ws.close(1000);
  };
  let session: ContainerStreams | undefined;
  const early: Buffer[] = [];
  // Resizes are applied one after the other, in the order they came: kubectl attach sends the
  // size plus one and then the size (to make the program redraw), and two runtime calls in flight
  // at once may land the other way round, leaving the terminal at the wrong size.
  let resizing: Promise<void> = Promise.resolve();
  const deliver = (message: Buffer) => {
    const frame = decodeFrame(message);
    if (!frame || !session) return;
    if (frame.channel === Channel.stdin) session.stdin?.write(frame.data);
    else if (frame.channel === Channel.resize) {
      const size = decodeResize(frame.data);
      const s = session;
      if (size) resizing = resizing.then(() => s.resize(size)).catch(() => undefined);
    } else if (frame.channel === Channel.close && frame.data[0] === Channel.stdin) session.stdin?.end();
  };
  ws.on('message', (data: Buffer | ArrayBuffer | Buffer[]) => {
    const message = Array.isArray(data) ? Buffer.concat(data) : Buffer.isBuffer(data) ? data : Buffer.from(data);
    if (session) deliver(message);
    else early.push(message);
  });
  let gone = false;
  ws.once('close', () => {
    gone = true;
    session?.stdin?.end();
    session?.close();
  });
  try {
    session = await open();
  } catch (err) {
    const s = statusOf(err);
    finish({ metadata: {}, status: 'Failure', message: s.message, reason: s.reason, code: s.code });
    return;
  }
  if (gone) {
    session.close();
    return;
  }
  const s = session;
  s.stdout.on('data', (d: Buffer | string) => send(Channel.stdout, typeof d === 'string' ? Buffer.from(d) : d));
  s.stderr?.on('data', (d: Buffer | string) => send(Channel.stderr, typeof d === 'string' ? Buffer.from(d) : d));
  s.stdin?.on('error', () => undefined);
  for (const m of early.splice(0)) deliver(m);
  try {
    const { exitCode } = await s.done;
    await Promise.all([ended(s.stdout), ended(s.stderr)]);
    finish(exitStatus(exitCode));
  } catch (err) {
    const st = statusOf(err);
    finish({ metadata: {}, status: 'Failure', message: st.message, reason: st.reason, code: st.code });
  }
}
