/**
 * Bound service-account tokens: the claims of an issued token (Kubernetes 1.30's), the
 * TokenRequest's validation and bound-object checks, and each reason authentication refuses a
 * token (bad signature, other audience, expired past the leeway, ServiceAccount or pod deleted
 * or replaced). A second API layer on the same store accepts the first one's tokens.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ApiServer } from '../../../../src/cluster/api-server.js';
import { FakeClock } from '../../../../src/clock/fake-clock.js';
import { MemoryStore } from '../../../../src/store/memory-store.js';
import { decodeJwt } from '../../../../src/api/service-account-tokens/jwt.js';
import type { KubeObject, Pod } from '../../../../src/model/types.js';
import { SERVICE_ACCOUNT_ISSUER, SERVICE_ACCOUNT_KEY_SECRET } from '../../../../src/model/well-known.js';
import { rejection } from '../../../support/rejection.js';

let clock: FakeClock;
let store: MemoryStore;
let api: ApiServer;
let sa: KubeObject;

beforeEach(async () => {
  clock = new FakeClock(Date.parse('2026-01-01T00:00:00Z'));
  store = new MemoryStore({ clock });
  api = new ApiServer({ store, clock, recordEvents: false });
  await api.boot();
  sa = await api.client('v1', 'ServiceAccount', 'default').create({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'bot' } });
});
afterEach(async () => {
  await api.stop();
  await store.close();
});

async function runPod(name = 'p', serviceAccountName = 'bot'): Promise<Pod> {
  return (await api.client('v1', 'Pod', 'default').create({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name },
    spec: { serviceAccountName, automountServiceAccountToken: false, containers: [{ name: 'c', image: 'i' }] },
  })) as Pod;
}

const claimsOf = (token: string) => decodeJwt(token)!.payload as Record<string, any>;

describe('issuing', () => {
  it('signs a token with Kubernetes claims and answers the TokenRequest', async () => {
    const tr = await api.context.createToken({ namespace: 'default', serviceAccount: 'bot' });
    expect(tr).toMatchObject({
      apiVersion: 'authentication.k8s.io/v1',
      kind: 'TokenRequest',
      spec: { audiences: [SERVICE_ACCOUNT_ISSUER], expirationSeconds: 3600 },
      status: { expirationTimestamp: '2026-01-01T01:00:00Z' },
    });
    const jwt = decodeJwt(tr.status!.token)!;
    expect(jwt.header).toMatchObject({ alg: 'ES256' });
    expect(typeof jwt.header.kid).toBe('string');
    const now = Date.parse('2026-01-01T00:00:00Z') / 1000;
    expect(jwt.payload).toEqual({
      aud: [SERVICE_ACCOUNT_ISSUER],
      exp: now + 3600,
      iat: now,
      nbf: now,
      iss: SERVICE_ACCOUNT_ISSUER,
      jti: expect.stringMatching(/^[0-9a-f-]{36}$/),
      sub: 'system:serviceaccount:default:bot',
      'kubernetes.io': { namespace: 'default', serviceaccount: { name: 'bot', uid: sa.metadata.uid } },
    });
  });

  it('binds a token to a pod (and its node), and extends the admission 3607 s tokens to a year with warnafter', async () => {
    await api.client('v1', 'Node').create({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1' } });
    const pod = await api.client<Pod>('v1', 'Pod', 'default').create({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'p' },
      spec: { serviceAccountName: 'bot', nodeName: 'n1', automountServiceAccountToken: false, containers: [{ name: 'c', image: 'i' }] },
    } as Pod);
    const tr = await api.context.createToken({
      namespace: 'default',
      serviceAccount: 'bot',
      expirationSeconds: 3607,
      boundObjectRef: { kind: 'Pod', name: 'p', uid: pod.metadata.uid },
    });
    const now = Date.parse('2026-01-01T00:00:00Z') / 1000;
    const claims = claimsOf(tr.status!.token);
    expect(claims.exp).toBe(now + 365 * 24 * 3600);
    expect(claims['kubernetes.io']).toMatchObject({
      pod: { name: 'p', uid: pod.metadata.uid },
      node: { name: 'n1', uid: expect.any(String) },
      warnafter: now + 3607,
    });
    // The status says the time asked for: the kubelet refreshes by it.
    expect(tr.status!.expirationTimestamp).toBe('2026-01-01T01:00:07Z');
    // Any other lifetime is as asked.
    const plain = await api.context.createToken({
      namespace: 'default',
      serviceAccount: 'bot',
      expirationSeconds: 7200,
      boundObjectRef: { kind: 'Pod', name: 'p' },
    });
    expect(claimsOf(plain.status!.token).exp).toBe(now + 7200);
  });

  it('refuses bad requests with Kubernetes reasons', async () => {
    const short = await rejection(api.context.createToken({ namespace: 'default', serviceAccount: 'bot', expirationSeconds: 60 }));
    expect(short.reason).toBe('Invalid');
    expect(short.message).toContain('spec.expirationSeconds: Invalid value: 60: may not specify a duration less than 10 minutes');
    expect((await rejection(api.context.createToken({ namespace: 'default', serviceAccount: 'ghost' }))).reason).toBe('NotFound');
    await runPod('p', 'default');
    const other = await rejection(
      api.context.createToken({ namespace: 'default', serviceAccount: 'bot', boundObjectRef: { kind: 'Pod', name: 'p' } }),
    );
    expect(other.reason).toBe('BadRequest');
    expect(other.message).toBe('cannot bind token for serviceaccount "bot" to pod running with serviceaccount "default"');
    await runPod('q');
    const replaced = await rejection(
      api.context.createToken({ namespace: 'default', serviceAccount: 'bot', boundObjectRef: { kind: 'Pod', name: 'q', uid: 'old' } }),
    );
    expect(replaced.reason).toBe('Conflict');
    const node = await rejection(
      api.context.createToken({ namespace: 'default', serviceAccount: 'bot', boundObjectRef: { kind: 'Node', name: 'n1' } }),
    );
    expect(node.message).toBe('cannot bind token to object of type /v1, Kind=Node');
  });
});

describe('authenticating', () => {
  it('knows a valid token as its ServiceAccount, with the pod in its extra', async () => {
    const pod = await runPod();
    const tr = await api.context.createToken({ namespace: 'default', serviceAccount: 'bot', boundObjectRef: { kind: 'Pod', name: 'p' } });
    const who = await api.tokens.authenticate(tr.status!.token);
    expect(who).toMatchObject({
      user: 'system:serviceaccount:default:bot',
      groups: ['system:serviceaccounts', 'system:serviceaccounts:default'],
      uid: sa.metadata.uid,
      extra: { 'authentication.kubernetes.io/pod-name': ['p'], 'authentication.kubernetes.io/pod-uid': [pod.metadata.uid] },
    });
  });

  it('is not about tokens that are not the cluster’s', async () => {
    expect(await api.tokens.authenticate('not-a-jwt')).toBeUndefined();
    const other = `${Buffer.from('{"alg":"RS256"}').toString('base64url')}.${Buffer.from('{"iss":"elsewhere"}').toString('base64url')}.x`;
    expect(await api.tokens.authenticate(other)).toBeUndefined();
  });

  it('refuses a forged signature and a token for another audience', async () => {
    const tr = await api.context.createToken({ namespace: 'default', serviceAccount: 'bot' });
    const [h, p, s] = tr.status!.token.split('.');
    const payload = { ...claimsOf(tr.status!.token), sub: 'system:serviceaccount:kube-system:admin' };
    const forged = `${h}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.${s}`;
    expect((await rejection(api.tokens.authenticate(forged))).message).toBe('invalid signature');
    expect((await rejection(api.tokens.authenticate(`${h}.${p}.${s.slice(0, -4)}AAAA`))).reason).toBe('Unauthorized');
    const vault = await api.context.createToken({ namespace: 'default', serviceAccount: 'bot', audiences: ['vault'] });
    expect((await rejection(api.tokens.authenticate(vault.status!.token))).message).toContain('is invalid for the target audiences');
  });

  it('refuses an expired token once the leeway has passed', async () => {
    const tr = await api.context.createToken({ namespace: 'default', serviceAccount: 'bot', expirationSeconds: 600 });
    await clock.advance(600_000 + 60_000);
    expect(await api.tokens.authenticate(tr.status!.token)).toBeDefined();
    await clock.advance(1000);
    expect((await rejection(api.tokens.authenticate(tr.status!.token))).message).toBe('service account token has expired');
  });

  it('refuses a token whose ServiceAccount was deleted or replaced', async () => {
    const tr = await api.context.createToken({ namespace: 'default', serviceAccount: 'bot' });
    const accounts = api.client('v1', 'ServiceAccount', 'default');
    await accounts.delete('bot');
    expect((await rejection(api.tokens.authenticate(tr.status!.token))).message).toBe('serviceaccounts "bot" not found');
    await accounts.create({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'bot' } });
    expect((await rejection(api.tokens.authenticate(tr.status!.token))).message).toContain('does not match claim');
  });

  it('refuses a token whose bound pod was deleted, or replaced by one of the same name', async () => {
    await runPod();
    const tr = await api.context.createToken({ namespace: 'default', serviceAccount: 'bot', boundObjectRef: { kind: 'Pod', name: 'p' } });
    const pods = api.client('v1', 'Pod', 'default');
    await pods.delete('p', { gracePeriodSeconds: 0 });
    expect((await rejection(api.tokens.authenticate(tr.status!.token))).message).toBe('service account token has been invalidated');
    await runPod();
    expect((await rejection(api.tokens.authenticate(tr.status!.token))).message).toContain('does not match service account pod ref claim');
  });

  it('keeps the key in the store: another API layer on it accepts the tokens', async () => {
    expect(await api.client('v1', 'Secret', 'kube-system').find(SERVICE_ACCOUNT_KEY_SECRET)).toBeUndefined();
    const tr = await api.context.createToken({ namespace: 'default', serviceAccount: 'bot' });
    expect(await api.client('v1', 'Secret', 'kube-system').find(SERVICE_ACCOUNT_KEY_SECRET)).toBeDefined();
    const second = new ApiServer({ store, clock, recordEvents: false });
    await second.boot();
    try {
      expect((await second.tokens.authenticate(tr.status!.token))?.user).toBe('system:serviceaccount:default:bot');
      // And its tokens are signed with the same key.
      const theirs = await second.context.createToken({ namespace: 'default', serviceAccount: 'bot' });
      expect(decodeJwt(theirs.status!.token)!.header.kid).toBe(decodeJwt(tr.status!.token)!.header.kid);
    } finally {
      await second.stop();
    }
  });
});
