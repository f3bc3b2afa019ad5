import { describe, expect, it } from 'vitest';
import { ControlType, RstStatus, pingFrame, rstStreamFrame } from '../../../../src/server/spdy/frames.js';
import { SpdyServerSession, type SpdyStream } from '../../../../src/server/spdy/session.js';
import { SpdyTestClient, control, duplexPair } from '../../../support/spdy-client.js';

function setup() {
  const [serverEnd, clientEnd] = duplexPair();
  const streams: SpdyStream[] = [];
  const session = new SpdyServerSession(serverEnd, (s) => streams.push(s));
  return { session, streams, client: new SpdyTestClient(clientEnd) };
}

describe('SpdyServerSession', () => {
  it('answers each SYN_STREAM with an empty SYN_REPLY and hands the stream over with its headers', async () => {
    const { streams, client } = setup();
    await client.open(1, { streamType: 'error', port: '80' });
    await client.open(3, { streamType: 'data', port: '80' });
    await client.until((f) => f.filter((x) => x.type === 'synReply').length === 2);
    expect(client.frames.filter((f) => f.type === 'synReply').map((f) => (f as { streamId: number }).streamId)).toEqual([1, 3]);
    expect(client.replyHeaders().map((h) => h.size)).toEqual([0, 0]);
    expect(streams.map((s) => [s.id, s.header('StreamType'), s.header('port')])).toEqual([
      [1, 'error', '80'],
      [3, 'data', '80'],
    ]);
  });

  it('carries data both ways, with FIN as the end of each side', async () => {
    const { streams, client } = setup();
    await client.open(1, { a: 'b' });
    await client.until(() => streams.length === 1);
    const stream = streams[0] as SpdyStream;
    const got: Buffer[] = [];
    stream.on('data', (c: Buffer) => got.push(c));
    const ended = new Promise((r) => stream.once('end', r));
    client.send(1, 'ping?');
    client.send(1, '', true);
    await ended;
    expect(Buffer.concat(got).toString()).toBe('ping?');
    stream.end('pong!');
    await client.until(() => client.received(1).fin);
    expect(client.received(1)).toEqual({ text: 'pong!', fin: true });
  });

  it('echoes the client’s PINGs and ignores SETTINGS and WINDOW_UPDATE', async () => {
    const { client } = setup();
    client.raw(control(ControlType.Settings, 0, Buffer.alloc(4)));
    client.raw(control(ControlType.WindowUpdate, 0, Buffer.alloc(8)));
    client.raw(pingFrame(5));
    await client.until((f) => f.some((x) => x.type === 'ping'));
    expect(client.frames).toMatchObject([{ type: 'ping', id: 5 }]);
  });

  it('destroys a stream the client resets, and sends nothing more on it', async () => {
    const { streams, client } = setup();
    await client.open(1, {});
    await client.until(() => streams.length === 1);
    const stream = streams[0] as SpdyStream;
    const closed = new Promise((r) => stream.once('close', r));
    client.raw(rstStreamFrame(1, RstStatus.Cancel));
    await closed;
    expect(stream.remoteReset).toBe(true);
    expect(client.frames.some((f) => f.type === 'rstStream')).toBe(false);
  });

  it('resets a stream the server gives up on', async () => {
    const { streams, client } = setup();
    await client.open(1, {});
    await client.until(() => streams.length === 1);
    streams[0]?.destroy();
    await client.until((f) => f.some((x) => x.type === 'rstStream'));
    expect(client.frames.find((f) => f.type === 'rstStream')).toMatchObject({ streamId: 1, status: RstStatus.Cancel });
  });

  it('refuses a stream id of the server’s (even) or one not above the last', async () => {
    const { streams, client } = setup();
    await client.open(2, {});
    await client.open(3, {});
    await client.open(1, {});
    await client.until((f) => f.filter((x) => x.type === 'rstStream').length === 2);
    expect(streams.map((s) => s.id)).toEqual([3]);
    expect(client.frames.filter((f) => f.type === 'rstStream')).toMatchObject([
      { streamId: 2, status: RstStatus.ProtocolError },
      { streamId: 1, status: RstStatus.ProtocolError },
    ]);
  });

  it('GOAWAY ends the connection and its streams', async () => {
    const { session, streams, client } = setup();
    await client.open(1, {});
    await client.until(() => streams.length === 1);
    const closed = new Promise<void>((r) => session.onClose(r));
    client.raw(control(ControlType.GoAway, 0, Buffer.alloc(8)));
    await closed;
    expect(streams[0]?.destroyed).toBe(true);
  });

  it('a malformed frame ends the connection with a GOAWAY', async () => {
    const { session, client } = setup();
    const closed = new Promise<void>((r) => session.onClose(r));
    const v2 = control(ControlType.Ping, 0, Buffer.alloc(4));
    v2.writeUInt16BE(0x8002, 0);
    client.raw(v2);
    await closed;
    await client.until((f) => f.some((x) => x.type === 'goAway'));
  });
});
