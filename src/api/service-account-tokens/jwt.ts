/**
 * Compact JWS on node:crypto: what the cluster's service-account tokens are, ES256 (ECDSA P-256
 * over SHA-256, the signature as r||s) for an EC key and RS256 (RSASSA-PKCS1-v1_5 over SHA-256)
 * for an RSA key, as kube-apiserver picks the algorithm from its signing key's type. Only what the
 * tokens need: sign, split and check a signature.
 */
import { createHash, sign, verify, type KeyObject } from 'node:crypto';

/** A token split into its parts; the payload is parsed JSON (undefined when it is not). */
export interface DecodedJwt {
  header: { alg?: unknown; kid?: unknown; typ?: unknown };
  payload: Record<string, unknown>;
  signingInput: string;
  signature: Buffer;
}

const b64url = (data: string | Buffer): string => Buffer.from(data).toString('base64url');

/** The key id Kubernetes gives a signing key: base64url of the SHA-256 of its public key's DER (SubjectPublicKeyInfo). */
export function keyId(publicKey: KeyObject): string {
  return createHash('sha256')
    .update(publicKey.export({ type: 'spki', format: 'der' }))
    .digest('base64url');
}

/** The JWS algorithm of a key: ES256 for a P-256 EC key, RS256 for an RSA key. */
export function algorithmOf(key: KeyObject): 'ES256' | 'RS256' | undefined {
  if (key.asymmetricKeyType === 'rsa') return 'RS256';
  if (key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'prime256v1') return 'ES256';
  return undefined;
}

/** Signs `claims` with `privateKey` (ES256 or RS256 by its type), naming the key by `kid` in the header. */
export function signJwt(claims: object, privateKey: KeyObject, kid: string): string {
  const alg = algorithmOf(privateKey);
  if (!alg) throw new TypeError(`unsupported service-account signing key type ${privateKey.asymmetricKeyType}`);
  const input = `${b64url(JSON.stringify({ alg, kid }))}.${b64url(JSON.stringify(claims))}`;
  return `${input}.${sign('sha256', Buffer.from(input), { key: privateKey, dsaEncoding: 'ieee-p1363' }).toString('base64url')}`;
}

/** The parts of a compact JWS, or undefined when `token` is not one. */
export function decodeJwt(token: string): DecodedJwt | undefined {
  const parts = token.split('.');
  if (parts.length !== 3 || parts.some((p) => !/^[A-Za-z0-9_-]*$/.test(p))) return undefined;
  try {
    const header = JSON.parse(Buffer.from(parts[0], 'base64url').toString('utf8'));
    const payload = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8'));
    if (typeof header !== 'object' || !header || typeof payload !== 'object' || !payload || Array.isArray(payload)) return undefined;
    return { header, payload, signingInput: `${parts[0]}.${parts[1]}`, signature: Buffer.from(parts[2], 'base64url') };
  } catch {
    return undefined;
  }
}

/** True when the token names `publicKey`'s algorithm and its signature is `publicKey`'s. */
export function verifyJwt(jwt: DecodedJwt, publicKey: KeyObject): boolean {
  const alg = algorithmOf(publicKey);
  if (!alg || jwt.header.alg !== alg) return false;
  return verify('sha256', Buffer.from(jwt.signingInput), { key: publicKey, dsaEncoding: 'ieee-p1363' }, jwt.signature);
}
