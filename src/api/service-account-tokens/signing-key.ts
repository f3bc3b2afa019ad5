/**
 * The key the cluster signs service-account tokens with (ECDSA P-256, so tokens are ES256: one
 * signature per pod token costs a tenth of RSA-2048's; an RSA key already stored still works), kept in the kube-system Secret
 * {@link SERVICE_ACCOUNT_KEY_SECRET} (key `key.pem`, PKCS #8): made by the first API server that
 * issues a token, read by every other one on the same store and by a restarted control plane.
 */
import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { TugboatError } from '../../model/errors.js';
import type { Secret } from '../../model/types.js';
import { SERVICE_ACCOUNT_KEY_SECRET } from '../../model/well-known.js';
import type { ResourceClient } from '../../client/types.js';
import { keyId } from './jwt.js';

/** A signing key, its public half and its key id. */
export interface SigningKey {
  privateKey: KeyObject;
  publicKey: KeyObject;
  kid: string;
}

const KEY_FIELD = 'key.pem';

/** The key held by the Secret, or undefined when there is none yet. */
export async function readSigningKey(secrets: ResourceClient<Secret>): Promise<SigningKey | undefined> {
  const secret = await secrets.find(SERVICE_ACCOUNT_KEY_SECRET);
  const pem = secret?.data?.[KEY_FIELD];
  if (!pem) return undefined;
  const privateKey = createPrivateKey(Buffer.from(pem, 'base64').toString('utf8'));
  const publicKey = createPublicKey(privateKey);
  return { privateKey, publicKey, kid: keyId(publicKey) };
}

/** The key held by the Secret, made (ECDSA P-256) and stored first when there is none. */
export async function ensureSigningKey(secrets: ResourceClient<Secret>): Promise<SigningKey> {
  const existing = await readSigningKey(secrets);
  if (existing) return existing;
  // Synchronously (once per cluster, under a millisecond): a key made on the thread pool would let a
  // FakeClock cluster look settled while its first pod waits for its token.
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  try {
    await secrets.create({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: SERVICE_ACCOUNT_KEY_SECRET, namespace: secrets.namespace },
      type: 'Opaque',
      data: { [KEY_FIELD]: Buffer.from(pem).toString('base64') },
    });
  } catch (err) {
    // Another API server made it meanwhile: use its key.
    if (!TugboatError.is(err, 'AlreadyExists')) throw err;
    const theirs = await readSigningKey(secrets);
    if (theirs) return theirs;
    throw err;
  }
  const publicKey = createPublicKey(privateKey);
  return { privateKey, publicKey, kid: keyId(publicKey) };
}
