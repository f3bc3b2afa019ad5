import { EventEmitter } from 'node:events';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { WebSocket } from 'ws';
import { TugboatError } from '../../../src/model/errors.js';
import { encodeFrame } from '../../../src/server/remote-command.js';
import { streamSession } from '../../../src/server/remote-command-stream.js';
import type { ContainerStreams, TerminalSize } from '../../../src/streams/types.js';

/** The part of a ws WebSocket that streamSession uses, recording what is sent. */
class FakeSocket extends EventEmitter {
  readonly OPEN = 1;
  readyState = 1;
  readonly sent: Array<{ channel: number; text: string }> = [];
  readonly closed = new Promise<number>((resolve) => this.once('closed', resolve));
  send(frame: Buffer): void {
    this.sent.push({ channel: frame[0], text: frame.subarray(1).toString() });
  }
  close(code: number): void {
    this.readyState = 3;
    this.emit('closed', code);
  }
  /** A client message. */
  receive(channel: number, data: string | Uint8Array): void {
    this.emit('message', encodeFrame(channel, data));
  }
  output(channel: number): string {
    return this.sent
      .filter((m) => m.channel === channel)
      .map((m) => m.text)
      .join('');
  }
}

/** A session whose process echoes stdin to stdout in upper case, and exits with `code` once stdin ends. */
function echoSession(code: number) {
  const stdin = new PassThrough();
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const resizes: TerminalSize[] = [];
  let closed = false;
  stdin.on('data', (d: Buffer) => stdout.write(d.toString().toUpperCase()));
  const done = new Promise<{ exitCode?: number }>((resolve) =>
    stdin.on('end', () => {
      stderr.end('bye\n');
      stdout.end();
      resolve({ exitCode: code });
    }),
  );
  const session: ContainerStreams = {
    stdin,
    stdout,
    stderr,
    done,
    resize: async (s) => {
      resizes.push(s);
    },
    close: () => {
      closed = true;
    },
  };
  return { session, resizes, closed: () => closed };
}

const asSocket = (s: FakeSocket) => s as unknown as WebSocket;

describe('streamSession', () => {
  it('delivers messages sent while the session opens, in order; stdin, resize and the v5 close reach it', async () => {
    const ws = new FakeSocket();
    const echo = echoSession(0);
    let open!: (s: ContainerStreams) => void;
    const running = streamSession(asSocket(ws), () => new Promise((r) => (open = r)));
    ws.receive(0, 'ab');
    ws.receive(4, '{"Width":100,"Height":30}');
    ws.receive(0, 'c\n');
    ws.receive(255, new Uint8Array([0]));
    open(echo.session);
    await running;
    expect(await ws.closed).toBe(1000);
    expect(ws.output(1)).toBe('ABC\n');
    expect(ws.output(2)).toBe('bye\n');
    expect(echo.resizes).toEqual([{ cols: 100, rows: 30 }]);
    expect(JSON.parse(ws.output(3))).toEqual({ metadata: {}, status: 'Success' });
    // The Status comes last, after all output.
    expect(ws.sent.at(-1)?.channel).toBe(3);
  });

  it('applies resizes one after the other, in the order they came, whatever each call takes', async () => {
    const ws = new FakeSocket();
    const echo = echoSession(0);
    const applied: TerminalSize[] = [];
    let inFlight = 0;
    let overlapped = false;
    const pending: Array<() => void> = [];
    echo.session.resize = async (size) => {
      overlapped ||= inFlight > 0;
      inFlight++;
      // The first call is the slow one: it finishes only when the test says so.
      if (applied.length === 0 && pending.length === 0) await new Promise<void>((r) => pending.push(r));
      applied.push(size);
      inFlight--;
    };
    const running = streamSession(asSocket(ws), async () => echo.session);
    await Promise.resolve();
    await Promise.resolve();
    ws.receive(4, '{"Width":92,"Height":28}');
    ws.receive(4, '{"Width":91,"Height":27}');
    for (let i = 0; i < 5; i++) await Promise.resolve();
    pending.shift()?.();
    ws.receive(255, new Uint8Array([0]));
    await running;
    expect(applied).toEqual([
      { cols: 92, rows: 28 },
      { cols: 91, rows: 27 },
    ]);
    expect(overlapped).toBe(false);
  });

  it('ends with the NonZeroExitCode Status of the exit code', async () => {
    const ws = new FakeSocket();
    const echo = echoSession(7);
    const running = streamSession(asSocket(ws), async () => echo.session);
    await Promise.resolve();
    ws.receive(255, new Uint8Array([0]));
    await running;
    expect(JSON.parse(ws.output(3))).toMatchObject({
      status: 'Failure',
      reason: 'NonZeroExitCode',
      details: { causes: [{ reason: 'ExitCode', message: '7' }] },
    });
  });

  it('a session that cannot be opened ends with its error as the Status', async () => {
    const ws = new FakeSocket();
    await streamSession(asSocket(ws), async () => {
      throw TugboatError.badRequest('the containerd runtime cannot exec with a TTY: it runs commands to completion');
    });
    expect(JSON.parse(ws.output(3))).toMatchObject({
      status: 'Failure',
      reason: 'BadRequest',
      code: 400,
      message: 'the containerd runtime cannot exec with a TTY: it runs commands to completion',
    });
    expect(await ws.closed).toBe(1000);
  });

  it('a client that goes away closes the session', async () => {
    const ws = new FakeSocket();
    const echo = echoSession(0);
    const running = streamSession(asSocket(ws), async () => echo.session);
    await Promise.resolve();
    await Promise.resolve();
    ws.readyState = 3;
    ws.emit('close');
    await running;
    expect(echo.closed()).toBe(true);
    expect(ws.sent.filter((m) => m.channel === 3)).toEqual([]);
  });
});
