/**
 * Who a request is from: a bearer token of the server's table, a service-account token signed
 * by the cluster, or a client certificate signed by the server's CA (CN is the user, O fields are
 * the groups). Every authenticated user is in `system:authenticated`, as in Kubernetes.
 */
import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';
import { timingSafeEqual } from 'node:crypto';
import type { TokenUser, UserInfo } from './types.js';
import { HttpError } from './http-status.js';

/** The groups of the admin user. */
export const ADMIN_GROUPS = ['system:masters', 'system:authenticated'];

/** Knows the server's tokens and reads a request's credentials. */
export class Authenticator {
  private readonly tokens = new Map<string, UserInfo>();

  constructor(
    adminToken: string,
    tokens: readonly TokenUser[],
    private readonly serviceAccounts?: (token: string) => Promise<UserInfo | undefined>,
  ) {
    this.tokens.set(adminToken, { name: 'admin', groups: ADMIN_GROUPS });
    for (const t of tokens) {
      if (!t.token || typeof t.token !== 'string') throw new TypeError('tokens[].token: Required value: a non-empty string');
      if (!t.user || typeof t.user !== 'string') throw new TypeError('tokens[].user: Required value: a non-empty string');
      this.tokens.set(t.token, { name: t.user, groups: withAuthenticated(t.groups ?? []) });
    }
  }

  /** The user of a request, or undefined when it carries no credentials; a bad token fails 401. */
  async authenticate(req: IncomingMessage): Promise<UserInfo | undefined> {
    const header = req.headers.authorization;
    if (header) {
      const m = /^Bearer\s+(.+)$/i.exec(header.trim());
      if (!m) throw unauthorized();
      const token = m[1].trim();
      const user = this.lookup(token) ?? (await this.serviceAccount(token));
      if (!user) throw unauthorized();
      return user;
    }
    const socket = req.socket as TLSSocket;
    if (socket.encrypted && socket.authorized) {
      const cert = socket.getPeerCertificate();
      const cn = cert?.subject?.CN;
      if (cn) {
        const o = cert.subject.O;
        const groups = Array.isArray(o) ? o : o ? [o] : [];
        return { name: Array.isArray(cn) ? cn[0] : cn, groups: withAuthenticated(groups) };
      }
    }
    return undefined;
  }

  /** A service-account token's user; any failure is the same 401 (kube-apiserver does not say why). */
  private async serviceAccount(token: string): Promise<UserInfo | undefined> {
    if (!this.serviceAccounts) return undefined;
    try {
      const user = await this.serviceAccounts(token);
      return user && { ...user, groups: withAuthenticated(user.groups) };
    } catch {
      return undefined;
    }
  }

  private lookup(token: string): UserInfo | undefined {
    const given = Buffer.from(token);
    for (const [known, user] of this.tokens) {
      const k = Buffer.from(known);
      if (k.length === given.length && timingSafeEqual(k, given)) return user;
    }
    return undefined;
  }
}

function withAuthenticated(groups: readonly string[]): string[] {
  return groups.includes('system:authenticated') ? [...groups] : [...groups, 'system:authenticated'];
}

/** The 401 kube-apiserver answers for missing or bad credentials. */
export function unauthorized(): HttpError {
  return new HttpError(401, 'Unauthorized', 'Unauthorized');
}
