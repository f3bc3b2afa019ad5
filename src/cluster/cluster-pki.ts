/**
 * The cluster's CA and admin token kept in its store, in the kube-system Secret
 * {@link CLUSTER_PKI_SECRET} (`ca.crt`, `ca.key`, `admin.token`), beside the service-account
 * signing key: made by the first `tugboat apiserver` on a store, read by every later one (a
 * restart, or another API server on the same etcd). So a restarted API server serves a
 * certificate signed by the same CA and accepts the same admin token: kubeconfigs, client
 * certificates and service-account tokens issued before the restart still work.
 *
 * In the store rather than in files next to it: it works the same for every store (memory,
 * SQLite, etcd shared by several API servers, which must share one CA), and the store is what
 * already holds the cluster's other secrets. Only the admin (system:masters) reads kube-system
 * Secrets through RBAC.
 */
import { randomBytes } from 'node:crypto';
import type { ApiContext } from '../client/types.js';
import { TugboatError } from '../model/errors.js';
import type { Secret } from '../model/types.js';
import { CLUSTER_PKI_SECRET } from '../model/well-known.js';
import { type CertificatePair, createCertificateAuthority } from '../server/certificates.js';

/** The cluster's kept CA and admin token. */
export interface ClusterPki {
  /** The CA's certificate and key (PEM). */
  authority: CertificatePair;
  /** The admin's bearer token. */
  adminToken: string;
}

const b64 = (text: string): string => Buffer.from(text).toString('base64');
const text = (data: Record<string, string> | undefined, key: string): string | undefined =>
  data?.[key] ? Buffer.from(data[key], 'base64').toString('utf8') : undefined;

/** The PKI the Secret holds; undefined when there is none or it is incomplete. */
function parse(secret: Secret | undefined): ClusterPki | undefined {
  const cert = text(secret?.data, 'ca.crt');
  const key = text(secret?.data, 'ca.key');
  const adminToken = text(secret?.data, 'admin.token');
  return cert && key && adminToken ? { authority: { cert, key }, adminToken } : undefined;
}

/**
 * The cluster's CA and admin token from the store; made (a new CA named after `clusterName`, a
 * random token) and stored first when there are none. Through a privileged context.
 */
export async function ensureClusterPki(ctx: ApiContext, clusterName = 'tugboat'): Promise<ClusterPki> {
  const secrets = ctx.client<Secret>('v1', 'Secret', 'kube-system');
  const kept = parse(await secrets.find(CLUSTER_PKI_SECRET));
  if (kept) return kept;
  const made: ClusterPki = { authority: createCertificateAuthority(clusterName), adminToken: randomBytes(24).toString('base64url') };
  try {
    await secrets.create({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: CLUSTER_PKI_SECRET, namespace: 'kube-system' },
      type: 'Opaque',
      data: { 'ca.crt': b64(made.authority.cert), 'ca.key': b64(made.authority.key), 'admin.token': b64(made.adminToken) },
    });
    return made;
  } catch (err) {
    // Another API server on the store made it meanwhile: use its.
    if (!TugboatError.is(err, 'AlreadyExists')) throw err;
    const theirs = parse(await secrets.find(CLUSTER_PKI_SECRET));
    if (!theirs) throw err;
    return theirs;
  }
}
