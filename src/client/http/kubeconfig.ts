import { parse } from 'yaml';
import { TugboatError } from '../../model/errors.js';

/** Where the API server is and how to prove who we are: what a kubeconfig's current context names. */
export interface ClusterConnection {
  /** The server's URL, e.g. `https://127.0.0.1:6443`. */
  server: string;
  /** PEM of the CA that signs the server's certificate (the system's CAs when absent). */
  ca?: string;
  /** A bearer token. */
  token?: string;
  /** PEM of a client certificate and its key. */
  cert?: string;
  key?: string;
  /** The context's namespace. @default 'default' */
  namespace: string;
}

const fromB64 = (text: unknown): string | undefined =>
  typeof text === 'string' ? Buffer.from(text, 'base64').toString('utf8') : undefined;

/**
 * Reads the current context of a kubeconfig (YAML text): server, CA and credentials (token or
 * client certificate, inline `*-data` fields). Fails BadRequest naming the missing field.
 */
export function parseKubeconfig(text: string): ClusterConnection {
  const doc = (parse(text) ?? {}) as Record<string, any>;
  const ctxName = doc['current-context'];
  const named = (list: unknown, name: unknown, field: string): Record<string, any> => {
    const hit = Array.isArray(list) ? list.find((e) => e?.name === name) : undefined;
    if (!hit) throw TugboatError.badRequest(`kubeconfig: ${field}: no entry named ${JSON.stringify(name)}`);
    return hit;
  };
  const context = named(doc.contexts, ctxName, 'contexts').context ?? {};
  const cluster = named(doc.clusters, context.cluster, 'clusters').cluster ?? {};
  const user = context.user === undefined ? {} : (named(doc.users, context.user, 'users').user ?? {});
  if (typeof cluster.server !== 'string') throw TugboatError.badRequest('kubeconfig: clusters[].cluster.server: Required value');
  return {
    server: cluster.server.replace(/\/+$/, ''),
    ...(cluster['certificate-authority-data'] ? { ca: fromB64(cluster['certificate-authority-data']) } : {}),
    ...(typeof user.token === 'string' ? { token: user.token } : {}),
    ...(user['client-certificate-data'] ? { cert: fromB64(user['client-certificate-data']), key: fromB64(user['client-key-data']) } : {}),
    namespace: typeof context.namespace === 'string' ? context.namespace : 'default',
  };
}
