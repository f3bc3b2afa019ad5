import { stringify } from 'yaml';

/** How a kubeconfig user proves who it is: a bearer token or a client certificate. */
export type KubeconfigCredentials = { token: string } | { cert: string; key: string };

/** What a kubeconfig names: the server, its CA, the user and its credentials. */
export interface KubeconfigSpec {
  server: string;
  /** PEM of the CA (omitted over plain HTTP). */
  ca?: string;
  clusterName: string;
  user: string;
  credentials: KubeconfigCredentials;
  /** @default 'default' */
  namespace?: string;
}

const b64 = (text: string): string => Buffer.from(text).toString('base64');

/** The YAML text of a kubeconfig with one cluster, one user and one current context. */
export function kubeconfigYaml(spec: KubeconfigSpec): string {
  const context = `${spec.user}@${spec.clusterName}`;
  const user =
    'token' in spec.credentials
      ? { token: spec.credentials.token }
      : { 'client-certificate-data': b64(spec.credentials.cert), 'client-key-data': b64(spec.credentials.key) };
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [
      { name: spec.clusterName, cluster: { server: spec.server, ...(spec.ca ? { 'certificate-authority-data': b64(spec.ca) } : {}) } },
    ],
    users: [{ name: spec.user, user }],
    contexts: [{ name: context, context: { cluster: spec.clusterName, user: spec.user, namespace: spec.namespace ?? 'default' } }],
    'current-context': context,
    preferences: {},
  });
}
