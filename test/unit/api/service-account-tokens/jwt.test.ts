import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { algorithmOf, decodeJwt, signJwt, verifyJwt } from '../../../../src/api/service-account-tokens/jwt.js';

const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });

describe('service-account JWTs', () => {
  it('signs ES256 with an EC P-256 key and RS256 with an RSA key, as kube-apiserver picks by key type', () => {
    for (const [pair, alg] of [
      [ec, 'ES256'],
      [rsa, 'RS256'],
    ] as const) {
      const jwt = decodeJwt(signJwt({ sub: 'x' }, pair.privateKey, 'kid-1'))!;
      expect(jwt.header).toEqual({ alg, kid: 'kid-1' });
      expect(verifyJwt(jwt, pair.publicKey)).toBe(true);
    }
    // An ES256 signature is r||s (64 bytes), as JWS requires, not DER.
    expect(decodeJwt(signJwt({}, ec.privateKey, 'k'))!.signature).toHaveLength(64);
  });

  it("refuses a token whose algorithm is not its key's, or signed by another key", () => {
    const token = signJwt({ sub: 'x' }, ec.privateKey, 'k');
    const [, payload, signature] = token.split('.');
    const relabelled = decodeJwt(`${Buffer.from('{"alg":"RS256","kid":"k"}').toString('base64url')}.${payload}.${signature}`)!;
    expect(verifyJwt(relabelled, ec.publicKey)).toBe(false);
    expect(verifyJwt(decodeJwt(token)!, generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey)).toBe(false);
    expect(verifyJwt(decodeJwt(token)!, rsa.publicKey)).toBe(false);
  });

  it('has no algorithm for other key types', () => {
    expect(algorithmOf(generateKeyPairSync('ec', { namedCurve: 'P-384' }).publicKey)).toBeUndefined();
    expect(() => signJwt({}, generateKeyPairSync('ed25519').privateKey, 'k')).toThrow(
      /unsupported service-account signing key type ed25519/,
    );
  });
});
