/**
 * A pod's resolv.conf from its dnsPolicy and dnsConfig, as the kubelet works it out
 * (pkg/kubelet/network/dns, pure): ClusterFirst (ClusterFirstWithHostNet for hostNetwork pods)
 * uses the cluster's DNS server, the search path `<ns>.svc.<domain> svc.<domain> <domain>` and
 * `ndots:5`; Default uses the host's resolvers (ClusterFirst on hostNetwork pods too); None uses
 * dnsConfig alone. dnsConfig's nameservers and searches are appended (duplicates dropped), its
 * options replace same-named ones.
 */
import type { Pod } from '../model/types.js';
import type { SandboxDNS } from '../runtime-adapters/types.js';

/** The host's resolver settings, for dnsPolicy Default. */
export interface HostDNS {
  nameservers: readonly string[];
  searches: readonly string[];
  options: readonly string[];
}

/** The kubelet's limits (pkg/apis/core/validation: MaxDNSNameservers, MaxDNSSearchPaths). */
const MAX_NAMESERVERS = 3;
const MAX_SEARCHES = 32;

function unique(list: readonly string[]): string[] {
  return [...new Set(list.filter((s) => s !== ''))];
}

function mergeOptions(base: readonly string[], extra: ReadonlyArray<{ name?: string; value?: string }>): string[] {
  const byName = new Map<string, string>();
  for (const o of base) byName.set(o.split(':')[0] as string, o);
  for (const o of extra) if (o.name) byName.set(o.name, o.value !== undefined ? `${o.name}:${o.value}` : o.name);
  return [...byName.values()];
}

/**
 * The resolver settings of `pod` (see the file comment), or undefined when the runtime's default
 * (the host's resolv.conf) is what the kubelet would write too: dnsPolicy Default without dnsConfig.
 */
export function podDNS(
  pod: Pod,
  clusterDomain = 'cluster.local',
  host: HostDNS = { nameservers: [], searches: [], options: [] },
): SandboxDNS | undefined {
  const spec = pod.spec ?? { containers: [] };
  const policy = spec.dnsPolicy ?? 'ClusterFirst';
  const useCluster = policy === 'ClusterFirstWithHostNet' || (policy === 'ClusterFirst' && !spec.hostNetwork);
  const config = spec.dnsConfig;
  let base: SandboxDNS;
  if (policy === 'None') base = { clusterDNS: false, nameservers: [], searches: [], options: [] };
  else if (useCluster) {
    const ns = pod.metadata.namespace ?? 'default';
    base = {
      clusterDNS: true,
      nameservers: [],
      searches: [`${ns}.svc.${clusterDomain}`, `svc.${clusterDomain}`, clusterDomain, ...host.searches],
      options: ['ndots:5'],
    };
  } else {
    if (!config) return undefined;
    base = { clusterDNS: false, nameservers: [...host.nameservers], searches: [...host.searches], options: [...host.options] };
  }
  return {
    clusterDNS: base.clusterDNS,
    nameservers: unique([...base.nameservers, ...(config?.nameservers ?? [])]).slice(0, MAX_NAMESERVERS - (base.clusterDNS ? 1 : 0)),
    searches: unique([...base.searches, ...(config?.searches ?? [])]).slice(0, MAX_SEARCHES),
    options: mergeOptions(base.options, config?.options ?? []),
  };
}
