/**
 * The claims of a bound service-account token, as kube-apiserver writes them (pkg/serviceaccount
 * claims.go, Kubernetes 1.30 with ServiceAccountTokenJTI and ServiceAccountTokenPodNodeInfo on),
 * and the time checks a token's claims must pass. Pure: the time is given.
 */

/** A name and uid in the `kubernetes.io` claim. */
export interface ClaimRef {
  name: string;
  uid: string;
}

/** The private `kubernetes.io` claim. */
export interface KubernetesClaim {
  namespace: string;
  serviceaccount: ClaimRef;
  pod?: ClaimRef;
  secret?: ClaimRef;
  node?: ClaimRef;
  /** Seconds since the epoch after which the API server would warn (tokens whose lifetime was extended). */
  warnafter?: number;
}

/** Every claim of a service-account token. */
export interface ServiceAccountClaims {
  aud: string[];
  exp: number;
  iat: number;
  iss: string;
  jti: string;
  'kubernetes.io': KubernetesClaim;
  nbf: number;
  sub: string;
}

/** The user name of a ServiceAccount: `system:serviceaccount:NS:NAME`. */
export function serviceAccountUser(namespace: string, name: string): string {
  return `system:serviceaccount:${namespace}:${name}`;
}

/** What a token is made of. */
export interface ClaimsInput {
  issuer: string;
  audiences: string[];
  namespace: string;
  serviceAccount: ClaimRef;
  pod?: ClaimRef;
  secret?: ClaimRef;
  node?: ClaimRef;
  /** Now, in ms since the epoch. */
  nowMs: number;
  expirationSeconds: number;
  /** Seconds after now for `warnafter`; 0 for none. */
  warnAfterSeconds: number;
  jti: string;
}

/** The claims of a new token. */
export function tokenClaims(input: ClaimsInput): ServiceAccountClaims {
  const now = Math.floor(input.nowMs / 1000);
  const k8s: KubernetesClaim = { namespace: input.namespace, serviceaccount: input.serviceAccount };
  // A token is bound to one object: a pod (with its node) or a secret.
  if (input.pod) {
    k8s.pod = input.pod;
    if (input.node) k8s.node = input.node;
  } else if (input.secret) k8s.secret = input.secret;
  if (input.warnAfterSeconds) k8s.warnafter = now + input.warnAfterSeconds;
  return {
    aud: input.audiences,
    exp: now + input.expirationSeconds,
    iat: now,
    iss: input.issuer,
    jti: input.jti,
    'kubernetes.io': k8s,
    nbf: now,
    sub: serviceAccountUser(input.namespace, input.serviceAccount.name),
  };
}

/** The leeway go-jose gives exp and nbf (jwt.DefaultLeeway), which Kubernetes keeps. */
export const LEEWAY_SECONDS = 60;

/**
 * Why the claims of a token signed by the cluster are not acceptable now, or undefined when they
 * are: the issuer, an audience of the API, the shape of the `kubernetes.io` claim, exp and nbf
 * (with {@link LEEWAY_SECONDS}).
 */
export function claimsProblem(
  payload: Record<string, unknown>,
  issuer: string,
  apiAudiences: readonly string[],
  nowMs: number,
): string | undefined {
  if (payload.iss !== issuer) return 'token issuer is not this cluster';
  const aud = typeof payload.aud === 'string' ? [payload.aud] : Array.isArray(payload.aud) ? payload.aud : [];
  if (!aud.some((a) => apiAudiences.includes(a))) return `token audiences ${JSON.stringify(aud)} is invalid for the target audiences`;
  const k8s = payload['kubernetes.io'] as Partial<KubernetesClaim> | undefined;
  if (!k8s || typeof k8s.namespace !== 'string' || typeof k8s.serviceaccount?.name !== 'string')
    return 'service account token claims could not be validated due to unexpected private claim';
  const now = nowMs / 1000;
  if (typeof payload.exp !== 'number' || now > payload.exp + LEEWAY_SECONDS) return 'service account token has expired';
  if (typeof payload.nbf === 'number' && now < payload.nbf - LEEWAY_SECONDS) return 'service account token is not valid yet';
  return undefined;
}
