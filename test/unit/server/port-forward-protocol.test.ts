import type { Duplex } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { RstStatus, rstStreamFrame } from '../../../src/server/spdy/frames.js';
import { SpdyServerSession } from '../../../src/server/spdy/session.js';
import { PortForwardStreams } from '../../../src/server/port-forward-protocol.js';
import { SpdyTestClient, duplexPair } from '../../support/spdy-client.js';

/** A server whose pod "port" is an in-memory connection the test holds the other end of. */
function setup(dialError?: Error) {
  const [serverEnd, clientEnd] = duplexPair();
  const pods: Duplex[] = [];
  const dialed: number[] = [];
  const forwards = new PortForwardStreams('web', 'uid-1', async (port) => {
    dialed.push(port);
    if (dialError) throw dialError;
    const [ours, pods_] = duplexPair();
    pods.push(pods_);
    return ours;
  });
  const session = new SpdyServerSession(serverEnd, (s) => forwards.add(s));
  session.onClose(() => forwards.closeAll());
  return { client: new SpdyTestClient(clientEnd), pods, dialed, session };
}

async function openPair(client: SpdyTestClient, first: number, port: string, requestID = '0') {
  await client.open(first, { streamType: 'error', port, requestID });
  client.send(first, '', true); // kubectl closes its side of the error stream at once
  await client.open(first + 2, { streamType: 'data', port, requestID });
}

function read(d: Duplex): { text: () => string; ended: Promise<void> } {
  let text = '';
  d.on('data', (c) => (text += c));
  return { text: () => text, ended: new Promise((r) => d.once('end', () => r())) };
}

describe('PortForwardStreams', () => {
  it('joins a data stream to a connection to its port once its error stream is open', async () => {
    const { client, pods, dialed } = setup();
    await openPair(client, 1, '8080');
    await client.until(() => pods.length === 1);
    expect(dialed).toEqual([8080]);
    const pod = pods[0] as Duplex;
    const fromClient = read(pod);
    client.send(3, 'GET / HTTP/1.0\r\n\r\n');
    client.send(3, '', true);
    await fromClient.ended;
    expect(fromClient.text()).toBe('GET / HTTP/1.0\r\n\r\n');
    pod.end('HTTP/1.0 200 OK\r\n\r\nhi');
    // The pod's side ends: the data stream ends, then the error stream, with no message.
    await client.until(() => client.received(3).fin && client.received(1).fin);
    expect(client.received(3)).toEqual({ text: 'HTTP/1.0 200 OK\r\n\r\nhi', fin: true });
    expect(client.received(1)).toEqual({ text: '', fin: true });
  });

  it('pairs streams by requestID, whatever order their streams interleave in', async () => {
    const { client, pods } = setup();
    await client.open(1, { streamType: 'error', port: '80', requestID: '0' });
    await client.open(3, { streamType: 'error', port: '81', requestID: '1' });
    await client.open(5, { streamType: 'data', port: '81', requestID: '1' });
    await client.open(7, { streamType: 'data', port: '80', requestID: '0' });
    await client.until(() => pods.length === 2);
    const [p81, p80] = pods as [Duplex, Duplex];
    p81.write('eighty-one');
    p80.write('eighty');
    await client.until(() => client.received(5).text === 'eighty-one' && client.received(7).text === 'eighty');
  });

  it('pairs the streams of a client that sends no requestID by their ids, as the kubelet does', async () => {
    const { client, pods, dialed } = setup();
    await client.open(1, { streamType: 'error', port: '80' });
    await client.open(3, { streamType: 'data', port: '80' });
    await client.until(() => pods.length === 1);
    expect(dialed).toEqual([80]);
  });

  it('a refused connection is the message on the error stream, then both streams end', async () => {
    const { client } = setup(new Error('connect ECONNREFUSED 127.1.0.1:8080'));
    await openPair(client, 1, '8080');
    await client.until(() => client.received(1).fin && client.received(3).fin);
    expect(client.received(1).text).toBe('error forwarding port 8080 to pod web, uid uid-1: connect ECONNREFUSED 127.1.0.1:8080');
  });

  it('a bad port is the message on the error stream, and nothing is dialed', async () => {
    for (const port of ['0', '70000', 'http', '']) {
      const { client, dialed } = setup();
      await openPair(client, 1, port);
      await client.until(() => client.received(1).fin);
      expect(client.received(1).text).toMatch(
        /^error forwarding port .* to pod web, uid uid-1: port: Invalid value: .*: must be an integer between 1 and 65535$/,
      );
      expect(dialed).toEqual([]);
    }
  });

  it('a stream of another type is reset', async () => {
    const { client } = setup();
    await client.open(1, { streamType: 'stdin', port: '80', requestID: '0' });
    await client.until((f) => f.some((x) => x.type === 'rstStream'));
    expect(client.frames.find((x) => x.type === 'rstStream')).toMatchObject({ streamId: 1, status: RstStatus.Cancel });
  });

  it('the client resetting the data stream closes the pod connection and ends the error stream', async () => {
    const { client, pods } = setup();
    await openPair(client, 1, '80');
    await client.until(() => pods.length === 1);
    const pod = pods[0] as Duplex;
    const closed = new Promise((r) => pod.once('close', r));
    pod.resume();
    client.raw(rstStreamFrame(3, RstStatus.Cancel));
    await client.until(() => client.received(1).fin);
    expect(client.received(1).text).toBe('');
    await closed;
  });

  it('the connection ending closes every forwarded connection', async () => {
    const { client, pods } = setup();
    await openPair(client, 1, '80');
    await openPair(client, 5, '80', '1');
    await client.until(() => pods.length === 2);
    const closed = pods.map((p) => new Promise((r) => p.once('close', r)));
    for (const p of pods) p.resume();
    client.transport.end();
    await Promise.all(closed);
  });
});
