/**
 * Pulling an image over the OCI distribution API into containerd: the manifest (through an
 * index, this machine's platform), config and layers written to the content store with the
 * garbage-collection labels containerd's own pull sets, the image record made or updated, the
 * layers unpacked for the snapshotter, all under a lease so nothing is collected half-way.
 * Plain HTTP for loopback registries and the `insecureRegistries` option; anonymous bearer
 * tokens where a registry asks for them. Every failure is ImagePullError 'ErrImagePull' saying
 * which registry and why.
 */
import { createHash, randomBytes } from 'node:crypto';
import { ImagePullError } from '../types.js';
import { grpcCode, GRPC, SERVICES } from './grpc-client.js';
import { parseImageRef, type ImageRef } from './image-ref.js';
import { pickManifest, resolveTarget, unpack, type Descriptor } from './images.js';
import type { ContainerdScope } from './scope.js';

const MANIFEST_TYPES = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.docker.distribution.manifest.v2+json',
];

/** The base URL of a registry (pure): http for loopback hosts and the insecure list, https otherwise. */
export function registryBase(domain: string, insecure: string[] = []): string {
  const host = domain === 'docker.io' ? 'registry-1.docker.io' : domain;
  const name = host.replace(/:\d+$/, '');
  const plain = name === 'localhost' || /^127\./.test(name) || name === '[::1]' || insecure.includes(domain) || insecure.includes(host);
  return `${plain ? 'http' : 'https'}://${host}`;
}

/** Parses a `WWW-Authenticate: Bearer realm=...,service=...,scope=...` challenge (pure). */
export function bearerChallenge(header: string | null): { realm: string; service?: string; scope?: string } | undefined {
  if (!header || !/^bearer\s/i.test(header)) return undefined;
  const params: Record<string, string> = {};
  for (const m of header.slice(7).matchAll(/(\w+)="([^"]*)"/g)) params[m[1]] = m[2];
  return params.realm ? { realm: params.realm, service: params.service, scope: params.scope } : undefined;
}

/** A registry client for one repository. */
class Registry {
  private token?: string;

  constructor(
    readonly base: string,
    readonly ref: ImageRef,
    private readonly signal?: AbortSignal,
  ) {}

  /** GET a path of the repository, with a bearer token fetched on the first 401. */
  async get(path: string, accept?: string): Promise<Response> {
    const url = `${this.base}/v2/${this.ref.path}/${path}`;
    let res = await this.fetch(url, accept);
    if (res.status === 401 && !this.token) {
      const challenge = bearerChallenge(res.headers.get('www-authenticate'));
      if (challenge) {
        await res.body?.cancel();
        this.token = await this.fetchToken(challenge);
        res = await this.fetch(url, accept);
      }
    }
    if (!res.ok) {
      const text = (await res.text().catch(() => '')).slice(0, 300);
      let why = text;
      try {
        const e = JSON.parse(text) as { errors?: Array<{ code?: string; message?: string }> };
        why = (e.errors ?? []).map((x) => `${x.code ?? ''}: ${x.message ?? ''}`).join('; ') || text;
      } catch {
        // not a registry error body
      }
      throw new Error(`${url} answered ${res.status}${why ? ` (${why})` : ''}`);
    }
    return res;
  }

  private async fetch(url: string, accept?: string): Promise<Response> {
    try {
      return await fetch(url, {
        headers: { ...(accept ? { accept } : {}), ...(this.token ? { authorization: `Bearer ${this.token}` } : {}) },
        ...(this.signal ? { signal: this.signal } : {}),
      });
    } catch (err) {
      const cause = (err as { cause?: { message?: string; code?: string } }).cause;
      throw new Error(`cannot reach the registry at ${this.base} (${cause?.code ?? cause?.message ?? (err as Error).message})`);
    }
  }

  private async fetchToken(c: { realm: string; service?: string; scope?: string }): Promise<string> {
    const url = new URL(c.realm);
    if (c.service) url.searchParams.set('service', c.service);
    url.searchParams.set('scope', c.scope ?? `repository:${this.ref.path}:pull`);
    const res = await this.fetch(url.toString());
    if (!res.ok) throw new Error(`the token service ${url.origin} answered ${res.status}`);
    const body = (await res.json()) as { token?: string; access_token?: string };
    const token = body.token ?? body.access_token;
    if (!token) throw new Error(`the token service ${url.origin} gave no token`);
    return token;
  }
}

/** The 1 MiB chunks of a response body. */
async function* chunks(res: Response): AsyncGenerator<Buffer> {
  if (!res.body) return;
  let pending: Buffer[] = [];
  let size = 0;
  for await (const part of res.body as unknown as AsyncIterable<Uint8Array>) {
    pending.push(Buffer.from(part));
    size += part.length;
    if (size >= 2 ** 20) {
      yield Buffer.concat(pending);
      pending = [];
      size = 0;
    }
  }
  if (size > 0) yield Buffer.concat(pending);
}

/** Whether the content store has a blob. */
async function hasBlob(scope: ContainerdScope, digest: string): Promise<boolean> {
  try {
    await scope.call('content', 'Info', { digest });
    return true;
  } catch (err) {
    if (grpcCode(err) === GRPC.NOT_FOUND) return false;
    throw err;
  }
}

/** Writes a blob (bytes or a stream of chunks) into the content store, checked against its digest. */
async function writeBlob(
  scope: ContainerdScope,
  desc: Descriptor,
  data: AsyncIterable<Buffer>,
  lease: string,
  labels: Record<string, string> = {},
): Promise<void> {
  const ref = `tugboat-pull-${desc.digest.replace(/[^a-zA-Z0-9]/g, '')}-${randomBytes(4).toString('hex')}`;
  async function* requests(): AsyncGenerator<object> {
    let offset = 0;
    for await (const chunk of data) {
      yield { action: 'WRITE', ref, total: desc.size, expected: desc.digest, offset, data: chunk };
      offset += chunk.length;
    }
    yield { action: 'COMMIT', ref, total: desc.size, expected: desc.digest, offset, labels };
  }
  try {
    await scope.client.bidi(SERVICES.content, 'Write', requests(), { lease, timeoutMs: 600_000 });
  } catch (err) {
    if (grpcCode(err) === GRPC.ALREADY_EXISTS) {
      if (Object.keys(labels).length > 0) await setBlobLabels(scope, desc.digest, labels);
      return;
    }
    throw scope.wrap(err);
  }
}

/** Adds labels to a blob of the content store. */
async function setBlobLabels(scope: ContainerdScope, digest: string, labels: Record<string, string>): Promise<void> {
  await scope.call('content', 'Update', {
    info: { digest, labels },
    update_mask: { paths: Object.keys(labels).map((k) => `labels.${k}`) },
  });
}

async function* once(buf: Buffer): AsyncGenerator<Buffer> {
  yield buf;
}

/** Fetches a manifest by tag or digest: its bytes, descriptor and parsed body. */
async function getManifest(reg: Registry, reference: string): Promise<{ bytes: Buffer; desc: Descriptor; body: Record<string, any> }> {
  const res = await reg.get(`manifests/${reference}`, MANIFEST_TYPES.join(', '));
  const bytes = Buffer.from(await res.arrayBuffer());
  const body = JSON.parse(bytes.toString('utf8')) as Record<string, any>;
  const media = body.mediaType ?? (res.headers.get('content-type') ?? '').split(';')[0];
  const digest = `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
  if (reference.startsWith('sha256:') && reference !== digest) throw new Error(`manifest ${reference} has digest ${digest}`);
  return { bytes, desc: { media_type: media, digest, size: bytes.length }, body };
}

/** Pulls `ref` into the namespace and unpacks it; throws ImagePullError ('ErrImagePull'). */
export async function pullImage(scope: ContainerdScope, ref: string, signal?: AbortSignal): Promise<void> {
  const parsed = parseImageRef(ref);
  const base = registryBase(parsed.domain, scope.insecureRegistries);
  const reg = new Registry(base, parsed, signal);
  const lease = `tugboat-pull-${randomBytes(6).toString('hex')}`;
  try {
    await scope.call('leases', 'Create', {
      id: lease,
      labels: { 'containerd.io/gc.expire': new Date(Date.now() + 3600_000).toISOString() },
    });
    let top = await getManifest(reg, parsed.digest ?? parsed.tag ?? 'latest');
    const target = top.desc;
    if (top.body.manifests) {
      const picked = pickManifest(top.body as { manifests: Descriptor[] });
      if (!picked) throw new Error(`no manifest for this platform in ${target.digest}`);
      const index = top;
      top = await getManifest(reg, picked.digest);
      const labels = Object.fromEntries(
        (index.body.manifests as Array<{ digest: string }>).map((m, i) => [`containerd.io/gc.ref.content.m.${i}`, m.digest]),
      );
      // Only the picked manifest is fetched: the index keeps a reference to it alone.
      const kept = Object.fromEntries(Object.entries(labels).filter(([, d]) => d === picked.digest));
      await writeBlob(scope, index.desc, once(index.bytes), lease, kept);
    }
    const manifest = top.body as {
      config: { mediaType: string; digest: string; size: number };
      layers: Array<{ mediaType: string; digest: string; size: number }>;
    };
    for (const layer of manifest.layers) {
      const desc = { media_type: layer.mediaType, digest: layer.digest, size: layer.size };
      if (!(await hasBlob(scope, desc.digest))) await writeBlob(scope, desc, chunks(await reg.get(`blobs/${desc.digest}`)), lease);
    }
    const config = { media_type: manifest.config.mediaType, digest: manifest.config.digest, size: manifest.config.size };
    if (!(await hasBlob(scope, config.digest))) await writeBlob(scope, config, chunks(await reg.get(`blobs/${config.digest}`)), lease);
    const manifestLabels: Record<string, string> = { 'containerd.io/gc.ref.content.config': config.digest };
    manifest.layers.forEach((l, i) => {
      manifestLabels[`containerd.io/gc.ref.content.l.${i}`] = l.digest;
    });
    await writeBlob(scope, top.desc, once(top.bytes), lease, manifestLabels);

    const image = { name: parsed.name, target, labels: {} };
    try {
      await scope.call('images', 'Create', { image }, { lease });
    } catch (err) {
      if (grpcCode(err) !== GRPC.ALREADY_EXISTS) throw err;
      await scope.call('images', 'Update', { image, update_mask: { paths: ['target'] } }, { lease });
    }
    const resolved = await resolveTarget(scope, parsed.name, target);
    await unpack(scope, resolved, lease);
    // What keeps the unpacked snapshots once the lease is gone (as containerd's own unpacker labels it).
    await setBlobLabels(scope, config.digest, { [`containerd.io/gc.ref.snapshot.${scope.snapshotter}`]: resolved.chainId });
  } catch (err) {
    if (err instanceof ImagePullError) throw err;
    const e = scope.wrap(err) as { details?: string; message?: string };
    throw new ImagePullError(ref, `failed to pull image "${ref}": ${e.details || e.message || String(err)}`, 'ErrImagePull');
  } finally {
    await scope.call('leases', 'Delete', { id: lease }).catch(() => undefined);
  }
}
