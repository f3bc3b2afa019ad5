/**
 * The kubelet's token manager: the service-account tokens of projected volumes, requested
 * through the API (serviceaccounts/token, bound to the pod) and cached per pod, ServiceAccount,
 * audience and lifetime. A token is requested again once 80% of its life has passed, or it is
 * older than 24 hours; a failed refresh keeps a token that has not expired yet. (The kubelet adds
 * up to 10 s of jitter to these times; tugboat does not, so a FakeClock test can rely on them.)
 */
import type { ApiContext } from '../client/types.js';
import type { core, Pod, TokenRequest } from '../model/types.js';

const MAX_TTL_MS = 24 * 3600 * 1000;

/** True when a cached token should be requested again at `nowMs`. */
export function requiresRefresh(tr: TokenRequest, nowMs: number): boolean {
  return nowMs > refreshAt(tr);
}

/** When a token should be requested again (ms): at 80% of its life or 24 hours after issue; at once when its times are unknown. */
function refreshAt(tr: TokenRequest): number {
  const seconds = tr.spec.expirationSeconds;
  const exp = Date.parse(tr.status?.expirationTimestamp ?? '');
  if (!seconds || !Number.isFinite(exp)) return -Infinity;
  const issued = exp - seconds * 1000;
  return Math.min(issued + MAX_TTL_MS, exp - seconds * 200);
}

/** A cached token with its times parsed once (every sync of every pod asks for it). */
interface CachedToken {
  token: string;
  refreshAtMs: number;
  expiresAtMs: number;
}

/** Tokens of the pods of one node agent. */
export class TokenManager {
  private readonly cache = new Map<string, CachedToken>();

  constructor(private readonly ctx: ApiContext) {}

  /** The token a pod's serviceAccountToken projection writes (fails as the TokenRequest does). */
  async token(pod: Pod, projection: core.ServiceAccountTokenProjection): Promise<string> {
    const namespace = pod.metadata.namespace ?? 'default';
    const serviceAccount = pod.spec?.serviceAccountName || 'default';
    const audiences = projection.audience ? [projection.audience] : [];
    const expirationSeconds = projection.expirationSeconds ?? 3600;
    const key = `${pod.metadata.uid}|${namespace}|${serviceAccount}|${audiences.join(',')}|${expirationSeconds}`;
    const cached = this.cache.get(key);
    const now = this.ctx.clock.nowMs();
    if (cached && now <= cached.refreshAtMs) return cached.token;
    try {
      const tr = await this.ctx.createToken({
        namespace,
        serviceAccount,
        ...(audiences.length ? { audiences } : {}),
        expirationSeconds,
        boundObjectRef: { apiVersion: 'v1', kind: 'Pod', name: pod.metadata.name ?? '', uid: pod.metadata.uid ?? '' },
      });
      const token = tr.status!.token;
      this.cache.set(key, { token, refreshAtMs: refreshAt(tr), expiresAtMs: Date.parse(tr.status!.expirationTimestamp) });
      return token;
    } catch (err) {
      // As the kubelet: a token that is still valid is kept when its refresh fails.
      if (cached && cached.expiresAtMs > now) return cached.token;
      throw err;
    }
  }

  /** Drops the tokens of a pod that is gone. */
  forget(podUid: string): void {
    for (const key of this.cache.keys()) if (key.startsWith(`${podUid}|`)) this.cache.delete(key);
  }
}
