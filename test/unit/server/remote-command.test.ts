import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TugboatError } from '../../../src/model/errors.js';
import { Channel, decodeFrame, decodeResize, encodeFrame, exitStatus, remoteCommandOptions } from '../../../src/server/remote-command.js';

describe('remote-command channel framing', () => {
  it('a frame is its channel byte and its payload, and decodes back', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 255 }), fc.uint8Array({ maxLength: 64 }), (channel, data) => {
        const frame = encodeFrame(channel, data);
        expect(frame[0]).toBe(channel);
        expect(frame.length).toBe(data.length + 1);
        const back = decodeFrame(frame);
        expect(back?.channel).toBe(channel);
        expect([...(back?.data ?? [])]).toEqual([...data]);
      }),
    );
    expect([...encodeFrame(Channel.stdout, 'hi')]).toEqual([1, 0x68, 0x69]);
    expect(decodeFrame(new Uint8Array())).toBeUndefined();
    expect(decodeFrame(new Uint8Array([Channel.close, Channel.stdin]))).toEqual({ channel: 255, data: Buffer.from([0]) });
  });

  it('reads resize messages as kubectl sends them, and ignores what is not one', () => {
    expect(decodeResize(Buffer.from('{"Width":120,"Height":40}'))).toEqual({ cols: 120, rows: 40 });
    for (const bad of [
      '',
      'nope',
      '{"Width":"80","Height":24}',
      '{"Width":80}',
      '{"Width":-1,"Height":2}',
      '{"Width":1.5,"Height":2}',
      '[]',
    ]) {
      expect(decodeResize(Buffer.from(bad)), bad).toBeUndefined();
    }
  });

  it('the final Status: Success for 0 (or an attach without a code), else NonZeroExitCode with the ExitCode cause', () => {
    expect(exitStatus(0)).toEqual({ metadata: {}, status: 'Success' });
    expect(exitStatus(undefined)).toEqual({ metadata: {}, status: 'Success' });
    expect(exitStatus(3)).toEqual({
      metadata: {},
      status: 'Failure',
      message: 'command terminated with non-zero exit code: exit status 3',
      reason: 'NonZeroExitCode',
      details: { causes: [{ reason: 'ExitCode', message: '3' }] },
    });
  });
});

describe('remoteCommandOptions', () => {
  const parse = (q: string) => remoteCommandOptions(new URLSearchParams(q));

  it('reads the stream flags as kubectl sends them (true or 1), and the container', () => {
    expect(parse('stdin=true&stdout=true&stderr=true&container=main')).toEqual({
      stdin: true,
      stdout: true,
      stderr: true,
      tty: false,
      container: 'main',
    });
    expect(parse('stdout=1')).toEqual({ stdin: false, stdout: true, stderr: false, tty: false });
  });

  it('with a TTY there is no stderr (the terminal has one output), as the kubelet', () => {
    expect(parse('stdin=true&stdout=true&stderr=true&tty=true')).toMatchObject({ stderr: false, tty: true });
  });

  it('refuses a request for no stream, and a flag that is not a boolean, naming it', () => {
    expect(() => parse('tty=true')).toThrow(/you must specify at least 1 of stdin, stdout, stderr/);
    const err = (() => {
      try {
        parse('stdout=yes');
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(TugboatError);
    expect((err as TugboatError).status.reason).toBe('BadRequest');
    expect((err as TugboatError).message).toMatch(/^stdout: Invalid value: "yes"/);
  });
});
