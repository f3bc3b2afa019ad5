/**
 * Bound service-account tokens, as kube-apiserver's TokenRequest REST storage and its
 * service-account token authenticator: `issue` answers serviceaccounts/NAME/token, `authenticate`
 * says whose a bearer token is. Tokens are ES256 JWTs signed with the cluster's key (see
 * signing-key.ts), so every API server on the store issues and accepts the same tokens.
 */
import { randomUUID } from 'node:crypto';
import type { Clock } from '../../clock/types.js';
import { rfc3339 } from '../../clock/time-format.js';
import { fieldError, TugboatError } from '../../model/errors.js';
import type { KubeObject, Node, Pod, Secret, TokenRequest } from '../../model/types.js';
import { SERVICE_ACCOUNT_ISSUER } from '../../model/well-known.js';
import type { ResourceClient, ServiceAccountTokenRequest } from '../../client/types.js';
import { claimsProblem, serviceAccountUser, tokenClaims, LEEWAY_SECONDS, type ClaimRef, type KubernetesClaim } from './claims.js';
import { decodeJwt, signJwt, verifyJwt } from './jwt.js';
import { ensureSigningKey, readSigningKey, type SigningKey } from './signing-key.js';

/** The lifetime the admission plugin asks for: such pod tokens are valid a year (with `warnafter` at the asked time). */
export const WARN_ONLY_EXPIRATION_SECONDS = 3607;
/** How long a {@link WARN_ONLY_EXPIRATION_SECONDS} token really lasts (Kubernetes' ExpirationExtensionSeconds). */
const EXTENDED_EXPIRATION_SECONDS = 365 * 24 * 3600;
const DEFAULT_EXPIRATION_SECONDS = 3600;
const MIN_EXPIRATION_SECONDS = 600;
const MAX_EXPIRATION_SECONDS = 2 ** 32;
const TOKEN_REQUEST = { kind: 'TokenRequest', group: 'authentication.k8s.io' };

/** Whose a token is: a ServiceAccount, and what it is bound to. */
export interface ServiceAccountIdentity {
  /** `system:serviceaccount:NS:NAME` */
  user: string;
  /** `system:serviceaccounts`, `system:serviceaccounts:NS` */
  groups: string[];
  /** The ServiceAccount's uid. */
  uid: string;
  /** As kube-apiserver's user extra: pod name and uid, node name and uid, credential id. */
  extra: Record<string, string[]>;
}

/** Options of {@link ServiceAccountTokens}. */
export interface ServiceAccountTokensOptions {
  /** A client for a kind (the API's own, unauthorized). */
  client<T extends KubeObject>(apiVersion: string, kind: string, namespace?: string): ResourceClient<T>;
  clock: Clock;
  /** @default SERVICE_ACCOUNT_ISSUER */
  issuer?: string;
  /** The API's audiences: tokens for none of them are not accepted. @default [issuer] */
  audiences?: string[];
}

/** Issues and authenticates the cluster's service-account tokens. */
export class ServiceAccountTokens {
  readonly issuer: string;
  readonly audiences: readonly string[];
  private key: Promise<SigningKey> | undefined;

  constructor(private readonly options: ServiceAccountTokensOptions) {
    this.issuer = options.issuer ?? SERVICE_ACCOUNT_ISSUER;
    this.audiences = options.audiences ?? [this.issuer];
  }

  /** Answers a TokenRequest for a ServiceAccount: validates it, resolves the bound object and signs the token. */
  async issue(request: ServiceAccountTokenRequest): Promise<TokenRequest> {
    const { namespace, serviceAccount: name } = request;
    const expirationSeconds = request.expirationSeconds ?? DEFAULT_EXPIRATION_SECONDS;
    if (!Number.isInteger(expirationSeconds) || expirationSeconds < MIN_EXPIRATION_SECONDS)
      throw TugboatError.invalid(TOKEN_REQUEST, name, [
        fieldError('spec.expirationSeconds', `Invalid value: ${expirationSeconds}: may not specify a duration less than 10 minutes`),
      ]);
    if (expirationSeconds > MAX_EXPIRATION_SECONDS)
      throw TugboatError.invalid(TOKEN_REQUEST, name, [
        fieldError('spec.expirationSeconds', `Invalid value: ${expirationSeconds}: may not specify a duration larger than 2^32 seconds`),
      ]);
    const sa = await this.options.client('v1', 'ServiceAccount', namespace).get(name);
    let pod: Pod | undefined;
    let secret: Secret | undefined;
    let node: Node | undefined;
    const ref = request.boundObjectRef;
    if (ref) {
      const apiVersion = ref.apiVersion ?? 'v1';
      let uid: string | undefined;
      if (apiVersion === 'v1' && ref.kind === 'Pod') {
        pod = await this.options.client<Pod>('v1', 'Pod', namespace).get(ref.name);
        if (pod.spec?.serviceAccountName !== name)
          throw TugboatError.badRequest(
            `cannot bind token for serviceaccount "${name}" to pod running with serviceaccount "${pod.spec?.serviceAccountName ?? ''}"`,
          );
        uid = pod.metadata.uid;
        const nodeName = pod.spec?.nodeName;
        if (nodeName) node = await this.options.client<Node>('v1', 'Node').find(nodeName);
      } else if (apiVersion === 'v1' && ref.kind === 'Secret') {
        secret = await this.options.client<Secret>('v1', 'Secret', namespace).get(ref.name);
        uid = secret.metadata.uid;
      } else {
        const [group, version] = apiVersion.includes('/') ? apiVersion.split('/', 2) : ['', apiVersion];
        throw TugboatError.badRequest(`cannot bind token to object of type ${group}/${version}, Kind=${ref.kind}`);
      }
      if (ref.uid && ref.uid !== uid)
        throw TugboatError.conflict(
          { kind: ref.kind },
          ref.name,
          `the UID in the bound object reference (${ref.uid}) does not match the UID in record (${uid}). The object might have been deleted and then recreated`,
        );
    }
    const audiences = request.audiences?.length ? [...request.audiences] : [...this.audiences];
    // As --service-account-extend-token-expiration (on by default): the admission's 3607 s pod tokens last a year.
    const extend =
      pod !== undefined && expirationSeconds === WARN_ONLY_EXPIRATION_SECONDS && audiences.every((a) => this.audiences.includes(a));
    const nowMs = this.options.clock.nowMs();
    const claims = tokenClaims({
      issuer: this.issuer,
      audiences,
      namespace,
      serviceAccount: refOf(sa),
      ...(pod ? { pod: refOf(pod) } : {}),
      ...(secret ? { secret: refOf(secret) } : {}),
      ...(node ? { node: refOf(node) } : {}),
      nowMs,
      expirationSeconds: extend ? EXTENDED_EXPIRATION_SECONDS : expirationSeconds,
      warnAfterSeconds: extend ? expirationSeconds : 0,
      jti: randomUUID(),
    });
    const key = (await this.signingKey(true))!;
    return {
      apiVersion: 'authentication.k8s.io/v1',
      kind: 'TokenRequest',
      metadata: { name, namespace, creationTimestamp: null as unknown as undefined },
      spec: { audiences, expirationSeconds, ...(ref ? { boundObjectRef: { apiVersion: ref.apiVersion ?? 'v1', ...ref } } : {}) },
      status: {
        token: signJwt(claims, key.privateKey, key.kid),
        // The time asked for, also when the token was extended (the kubelet refreshes by it).
        expirationTimestamp: rfc3339(Math.floor(nowMs / 1000) * 1000 + expirationSeconds * 1000),
      },
    };
  }

  /**
   * Whose `token` is: undefined when it is not one of this cluster's service-account tokens (not
   * a JWT, or another issuer); throws Unauthorized, saying why, when it is one but is not valid
   * now (bad signature, expired, its ServiceAccount or bound object deleted or replaced).
   */
  async authenticate(token: string): Promise<ServiceAccountIdentity | undefined> {
    const jwt = decodeJwt(token);
    if (!jwt || jwt.payload.iss !== this.issuer) return undefined;
    let key = await this.signingKey(false);
    // A key made by another API server after this one looked.
    if (!key || key.kid !== jwt.header.kid) key = await this.reloadKey();
    if (!key || !verifyJwt(jwt, key.publicKey)) throw unauthorized('invalid signature');
    const nowMs = this.options.clock.nowMs();
    const problem = claimsProblem(jwt.payload, this.issuer, this.audiences, nowMs);
    if (problem) throw unauthorized(problem);
    const k8s = jwt.payload['kubernetes.io'] as KubernetesClaim;
    const ns = k8s.namespace;
    // Objects deleted before now - leeway no longer back a token.
    const deletedBefore = nowMs - LEEWAY_SECONDS * 1000;
    const gone = (o: KubeObject) => !!o.metadata.deletionTimestamp && Date.parse(o.metadata.deletionTimestamp) < deletedBefore;
    const sa = await this.options.client('v1', 'ServiceAccount', ns).find(k8s.serviceaccount.name);
    if (!sa) throw unauthorized(`serviceaccounts "${k8s.serviceaccount.name}" not found`);
    if (gone(sa)) throw unauthorized(`service account ${ns}/${k8s.serviceaccount.name} has been deleted`);
    if (sa.metadata.uid !== k8s.serviceaccount.uid)
      throw unauthorized(`service account UID (${sa.metadata.uid}) does not match claim (${k8s.serviceaccount.uid})`);
    const extra: Record<string, string[]> = {};
    if (k8s.secret) {
      const s = await this.options.client('v1', 'Secret', ns).find(k8s.secret.name);
      if (!s || gone(s)) throw unauthorized('service account token has been invalidated');
      if (s.metadata.uid !== k8s.secret.uid)
        throw unauthorized(`secret UID (${s.metadata.uid}) does not match service account secret ref claim (${k8s.secret.uid})`);
    }
    if (k8s.pod) {
      const p = await this.options.client('v1', 'Pod', ns).find(k8s.pod.name);
      if (!p || gone(p)) throw unauthorized('service account token has been invalidated');
      if (p.metadata.uid !== k8s.pod.uid)
        throw unauthorized(`pod UID (${p.metadata.uid}) does not match service account pod ref claim (${k8s.pod.uid})`);
      extra['authentication.kubernetes.io/pod-name'] = [k8s.pod.name];
      extra['authentication.kubernetes.io/pod-uid'] = [k8s.pod.uid];
    }
    if (k8s.node) {
      extra['authentication.kubernetes.io/node-name'] = [k8s.node.name];
      extra['authentication.kubernetes.io/node-uid'] = [k8s.node.uid];
    }
    if (typeof jwt.payload.jti === 'string') extra['authentication.kubernetes.io/credential-id'] = [`JTI=${jwt.payload.jti}`];
    return {
      user: serviceAccountUser(ns, k8s.serviceaccount.name),
      groups: ['system:serviceaccounts', `system:serviceaccounts:${ns}`],
      uid: k8s.serviceaccount.uid,
      extra,
    };
  }

  private secrets(): ResourceClient<Secret> {
    return this.options.client<Secret>('v1', 'Secret', 'kube-system');
  }

  /** The cached key; `create` makes one when the store has none (verification never does). */
  private async signingKey(create: boolean): Promise<SigningKey | undefined> {
    if (this.key) return this.key;
    if (!create) return this.reloadKey();
    const made = ensureSigningKey(this.secrets());
    this.key = made;
    made.catch(() => {
      if (this.key === made) this.key = undefined;
    });
    return made;
  }

  private async reloadKey(): Promise<SigningKey | undefined> {
    const key = await readSigningKey(this.secrets());
    if (key) this.key = Promise.resolve(key);
    return key;
  }
}

function refOf(o: KubeObject): ClaimRef {
  return { name: o.metadata.name ?? '', uid: o.metadata.uid ?? '' };
}

function unauthorized(why: string): TugboatError {
  return new TugboatError('Unauthorized', why);
}
