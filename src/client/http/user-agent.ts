/**
 * The User-Agent tugboat's HTTP clients send, in client-go's form
 * (`<binary>/<version> (<os>/<arch>) kubernetes/<commit>`): `tugboat-<component>/<version>
 * (linux/amd64) tugboat`. Its first segment names the component, so kube-apiserver (and tugboat's
 * server) default a write's field manager to it, as they do to `kubectl-client-side-apply` or
 * `kube-controller-manager`.
 */

const GO_ARCH: Record<string, string> = { x64: 'amd64', ia32: '386', arm: 'arm', arm64: 'arm64', ppc64: 'ppc64le', s390x: 's390x' };

/** The User-Agent of a component (`controller-manager` -> `tugboat-controller-manager/0.1.0 (linux/amd64) tugboat`). */
export function userAgentOf(component: string, version: string): string {
  const name = component === 'tugboat' || component.startsWith('tugboat-') ? component : `tugboat-${component}`;
  // A header value carries no control characters; the first segment no '/' (it ends at one).
  const binary = name.replace(/[^\x21-\x7e]|\//g, '-');
  const arch = GO_ARCH[process.arch] ?? process.arch;
  return `${binary}/${version.replace(/[^\x21-\x7e]/g, '-') || 'unknown'} (${process.platform}/${arch}) tugboat`;
}
