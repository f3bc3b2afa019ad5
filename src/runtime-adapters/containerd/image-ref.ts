/**
 * Image references as containerd names them (pure): `busybox` is `docker.io/library/busybox:latest`,
 * `tugboat/pause:1` is `docker.io/tugboat/pause:1`, `127.0.0.1:5000/x:1` stays as it is. The
 * same normalisation as Docker's (distribution/reference), which `ctr images import` applies.
 */
import { createHash } from 'node:crypto';

/** A parsed reference: registry host, repository path, and tag or digest. */
export interface ImageRef {
  /** Registry host (and port): `docker.io`, `127.0.0.1:5000`. */
  domain: string;
  /** Repository path in the registry: `library/busybox`. */
  path: string;
  tag?: string;
  digest?: string;
  /** The full name containerd stores: `docker.io/library/busybox:latest`. */
  name: string;
}

/** Parses and normalises an image reference. */
export function parseImageRef(ref: string): ImageRef {
  let rest = ref.trim();
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
  }
  let tag: string | undefined;
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/')) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
  }
  const slash = rest.indexOf('/');
  const first = slash < 0 ? '' : rest.slice(0, slash);
  let domain = 'docker.io';
  let path = rest;
  if (first && (first.includes('.') || first.includes(':') || first === 'localhost')) {
    domain = first;
    path = rest.slice(slash + 1);
  }
  if (domain === 'index.docker.io') domain = 'docker.io';
  if (domain === 'docker.io' && !path.includes('/')) path = `library/${path}`;
  if (!tag && !digest) tag = 'latest';
  const name = `${domain}/${path}${tag ? `:${tag}` : ''}${digest ? `@${digest}` : ''}`;
  return { domain, path, ...(tag ? { tag } : {}), ...(digest ? { digest } : {}), name };
}

/**
 * The chain id of a layer stack (the name of its unpacked snapshot): the first diff id, then
 * sha256 of `<chain below> <diff id>` for each layer above, as the OCI image spec defines.
 */
export function chainId(diffIds: string[]): string {
  let chain = diffIds[0] ?? '';
  for (const diff of diffIds.slice(1)) chain = `sha256:${createHash('sha256').update(`${chain} ${diff}`).digest('hex')}`;
  return chain;
}

/** The OCI platform architecture of this process (Node's `process.arch` names). */
export function ociArch(arch: string = process.arch): string {
  return (
    (
      { x64: 'amd64', ia32: '386', arm64: 'arm64', arm: 'arm', ppc64: 'ppc64le', s390x: 's390x', riscv64: 'riscv64' } as Record<
        string,
        string
      >
    )[arch] ?? arch
  );
}
