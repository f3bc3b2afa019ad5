/**
 * The nat rules of one cluster's Service virtual IPs, in a chain of its own (`TUGBOAT-<hash of
 * its network id>`), jumped to from PREROUTING only for traffic arriving on the cluster's
 * own bridge: each `clusterIP:port` is REDIRECTed to the cluster process's listener for it.
 * The chain is rewritten whole with `iptables-restore --noflush` (atomic; no other chain is
 * read or changed); Docker's chains and other clusters' chains are never touched.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** One redirected virtual IP port. */
export interface VipRule {
  clusterIP: string;
  port: number;
  protocol: 'tcp';
  /** The local port of the listener on the bridge gateway. */
  toPort: number;
}

/**
 * The chain name of a cluster's pod network (its Docker network id: each running cluster has its
 * own), at most 28 characters as iptables allows.
 */
export function vipChainName(networkId: string): string {
  return `TUGBOAT-${createHash('sha256').update(networkId).digest('hex').slice(0, 16).toUpperCase()}`;
}

/** The iptables-restore input that sets the chain's rules (pure). */
export function chainRules(chain: string, rules: readonly VipRule[]): string {
  const lines = ['*nat', `:${chain} - [0:0]`];
  for (const r of rules)
    lines.push(`-A ${chain} -d ${r.clusterIP}/32 -p ${r.protocol} -m ${r.protocol} --dport ${r.port} -j REDIRECT --to-ports ${r.toPort}`);
  lines.push('COMMIT', '');
  return lines.join('\n');
}

async function iptables(args: string[]): Promise<string> {
  return (await run('iptables', ['-w', '5', ...args], { timeout: 15_000 })).stdout;
}

async function restore(input: string): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const child = execFile('iptables-restore', ['-w', '5', '--noflush'], { timeout: 15_000 }, (err) => (err ? reject(err) : resolve()));
    child.stdin?.end(input);
  });
}

/** The nat chain of one cluster's virtual IPs on one bridge (see the file comment). @internal */
export class VipChain {
  private installed = false;

  constructor(
    readonly chain: string,
    private readonly bridge: string,
  ) {}

  private jump(): string[] {
    return ['-t', 'nat', 'PREROUTING', '-i', this.bridge, '-m', 'comment', '--comment', 'tugboat service VIPs', '-j', this.chain];
  }

  /** Sets the chain's rules to exactly `rules` (creating it and its jump the first time). */
  async set(rules: readonly VipRule[]): Promise<void> {
    await restore(chainRules(this.chain, rules));
    if (!this.installed) {
      const [t, n, ...rest] = this.jump();
      const present = await iptables([t as string, n as string, '-C', ...rest]).then(
        () => true,
        () => false,
      );
      if (!present) await iptables([t as string, n as string, '-I', ...rest]);
      this.installed = true;
    }
  }

  /** Removes the jump and the chain. Idempotent. */
  async remove(): Promise<void> {
    const [t, n, ...rest] = this.jump();
    // A jump added twice (by a crashed start) is removed too; bounded.
    for (let i = 0; i < 8; i++)
      if (
        !(await iptables([t as string, n as string, '-D', ...rest]).then(
          () => true,
          () => false,
        ))
      )
        break;
    await iptables(['-t', 'nat', '-F', this.chain]).catch(() => undefined);
    await iptables(['-t', 'nat', '-X', this.chain]).catch(() => undefined);
    this.installed = false;
  }
}
