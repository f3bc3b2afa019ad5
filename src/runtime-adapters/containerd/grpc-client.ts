/**
 * containerd's gRPC API as plain objects: unary and server-streaming calls by service and method
 * name, messages encoded and decoded with protobufjs from the bundled descriptors, every call in
 * the adapter's containerd namespace. @grpc/grpc-js (an optional peer dependency) and protobufjs
 * are loaded on the first call, so `import 'tugboat/containerd'` works without them and the first
 * call says what to install.
 */
import { createRequire } from 'node:module';
import type * as GrpcJs from '@grpc/grpc-js';
import type * as Protobuf from 'protobufjs';
import { TugboatError } from '../../model/errors.js';
import { DESCRIPTORS } from './proto/descriptors.generated.js';

/** The message when @grpc/grpc-js, an optional peer dependency of tugboat, is missing. */
export const GRPC_MISSING =
  "tugboat/containerd needs the '@grpc/grpc-js' package, an optional peer dependency of tugboat that is not installed: " +
  'run `npm install @grpc/grpc-js`';

interface Libraries {
  grpc: typeof GrpcJs;
  root: Protobuf.Root;
}

/** Loads grpc-js and protobufjs (`require`: both are CommonJS) and builds the descriptors' root. */
export function loadLibraries(load: (id: string) => unknown = createRequire(import.meta.url)): Libraries {
  try {
    const grpc = load('@grpc/grpc-js') as typeof GrpcJs;
    const protobuf = load('protobufjs') as typeof Protobuf;
    return { grpc, root: protobuf.Root.fromJSON(DESCRIPTORS as Protobuf.INamespace) };
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    if (e?.code === 'MODULE_NOT_FOUND' && /'(@grpc\/grpc-js|protobufjs)'/.test(String(e.message)))
      throw new Error(GRPC_MISSING, { cause: err });
    throw err;
  }
}

/** A google.protobuf.Any as the adapter handles it. */
export interface AnyValue {
  type_url: string;
  value: Buffer;
}

/** gRPC status codes the adapter tells apart. */
export const GRPC = {
  NOT_FOUND: 5,
  ALREADY_EXISTS: 6,
  FAILED_PRECONDITION: 9,
  UNAVAILABLE: 14,
  DEADLINE_EXCEEDED: 4,
  CANCELLED: 1,
} as const;

/** The gRPC status code of a failed call, if it is one. */
export function grpcCode(err: unknown): number | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'number' ? code : undefined;
}

/** True when a call failed because the object does not exist. */
export function isNotFound(err: unknown): boolean {
  return grpcCode(err) === GRPC.NOT_FOUND || (err instanceof TugboatError && err.reason === 'NotFound');
}

const CONVERT: Protobuf.IConversionOptions = { longs: Number, enums: String, bytes: Buffer, defaults: true, arrays: true, objects: true };

/** Options of one call. */
export interface CallOptions {
  /** Deadline of the call. @default 60 s for unary calls, none for streams */
  timeoutMs?: number;
  /** A containerd lease to hold what the call makes (content, snapshots) from garbage collection. */
  lease?: string;
  signal?: AbortSignal;
}

/** One connection to a containerd daemon, in one namespace. */
export class ContainerdClient {
  private client?: GrpcJs.Client;
  private libs?: Libraries;

  constructor(
    /** The daemon's socket path (or a `unix://` address). */
    readonly address: string,
    readonly namespace: string,
  ) {}

  private get lib(): Libraries {
    return (this.libs ??= loadLibraries());
  }

  private get grpc(): GrpcJs.Client {
    if (!this.client) {
      const { grpc } = this.lib;
      const target = this.address.startsWith('unix:') ? this.address : `unix://${this.address}`;
      this.client = new grpc.Client(target, grpc.credentials.createInsecure(), {
        'grpc.max_receive_message_length': 16 * 2 ** 20,
        'grpc.max_send_message_length': 16 * 2 ** 20,
        // containerd answers any authority; the default would be the socket path.
        'grpc.default_authority': 'localhost',
      });
    }
    return this.client;
  }

  /** The protobufjs type of a fully qualified message name. */
  type(name: string): Protobuf.Type {
    return this.lib.root.lookupType(name);
  }

  /** Encodes a message as an Any (`typeUrl` defaults to containerd's `types.containerd.io/<name>`). */
  pack(name: string, value: object): AnyValue {
    const t = this.type(name);
    return { type_url: name, value: Buffer.from(t.encode(t.fromObject(value)).finish()) };
  }

  /** Decodes an Any whose type is among the descriptors; undefined for any other type. */
  unpack<T>(any: AnyValue | null | undefined): T | undefined {
    if (!any?.type_url) return undefined;
    const name = any.type_url.slice(any.type_url.lastIndexOf('/') + 1);
    let t: Protobuf.Type;
    try {
      t = this.type(name);
    } catch {
      return undefined;
    }
    return t.toObject(t.decode(any.value), CONVERT) as T;
  }

  private method(service: string, method: string): { path: string; req: Protobuf.Type; res: Protobuf.Type } {
    const svc = this.lib.root.lookupService(service);
    const m = svc.methods[method];
    if (!m) throw new Error(`containerd: no method ${service}.${method}`);
    m.resolve();
    return { path: `/${service}/${method}`, req: m.resolvedRequestType!, res: m.resolvedResponseType! };
  }

  private metadata(options: CallOptions): GrpcJs.Metadata {
    const md = new this.lib.grpc.Metadata();
    md.set('containerd-namespace', this.namespace);
    if (options.lease) md.set('containerd-lease', options.lease);
    return md;
  }

  /** One unary call: `service` fully qualified (`containerd.services.tasks.v1.Tasks`), request and response as plain objects. */
  call<T = Record<string, any>>(service: string, method: string, request: object, options: CallOptions = {}): Promise<T> {
    const m = this.method(service, method);
    const client = this.grpc;
    return new Promise<T>((resolve, reject) => {
      const deadline = new Date(Date.now() + (options.timeoutMs ?? 60_000));
      const call = client.makeUnaryRequest(
        m.path,
        (value: object) => Buffer.from(m.req.encode(m.req.fromObject(value)).finish()),
        (bytes: Buffer) => m.res.toObject(m.res.decode(bytes), CONVERT),
        request,
        this.metadata(options),
        { deadline },
        (err, value) => (err ? reject(err) : resolve(value as T)),
      );
      options.signal?.addEventListener('abort', () => call.cancel(), { once: true });
    });
  }

  /** A server-streaming call as an async iterable; ends when the server ends it or the signal aborts. */
  async *stream<T = Record<string, any>>(service: string, method: string, request: object, options: CallOptions = {}): AsyncGenerator<T> {
    const m = this.method(service, method);
    const call = this.grpc.makeServerStreamRequest(
      m.path,
      (value: object) => Buffer.from(m.req.encode(m.req.fromObject(value)).finish()),
      (bytes: Buffer) => m.res.toObject(m.res.decode(bytes), CONVERT),
      request,
      this.metadata(options),
      options.timeoutMs ? { deadline: new Date(Date.now() + options.timeoutMs) } : {},
    );
    const onAbort = () => call.cancel();
    options.signal?.addEventListener('abort', onAbort, { once: true });
    try {
      for await (const message of call as AsyncIterable<T>) yield message;
    } catch (err) {
      if (grpcCode(err) === GRPC.CANCELLED && options.signal?.aborted) return;
      throw err;
    } finally {
      options.signal?.removeEventListener('abort', onAbort);
      call.cancel();
    }
  }

  /**
   * A client-streaming call (content writes): `requests` are sent in order, the last response
   * is returned. The stream is bidirectional in containerd; each request gets one response.
   */
  async bidi<T = Record<string, any>>(
    service: string,
    method: string,
    requests: AsyncIterable<object>,
    options: CallOptions = {},
  ): Promise<T[]> {
    const m = this.method(service, method);
    const call = this.grpc.makeBidiStreamRequest(
      m.path,
      (value: object) => Buffer.from(m.req.encode(m.req.fromObject(value)).finish()),
      (bytes: Buffer) => m.res.toObject(m.res.decode(bytes), CONVERT),
      this.metadata(options),
      options.timeoutMs ? { deadline: new Date(Date.now() + options.timeoutMs) } : {},
    );
    const responses: T[] = [];
    const done = new Promise<void>((resolve, reject) => {
      call.on('data', (r: T) => responses.push(r));
      call.on('end', resolve);
      call.on('error', reject);
    });
    try {
      for await (const r of requests) {
        if (!call.write(r)) await new Promise((resolve) => call.once('drain', resolve));
      }
      call.end();
      await done;
      return responses;
    } finally {
      call.cancel();
    }
  }

  /** Closes the connection; a later call opens a new one. */
  close(): void {
    this.client?.close();
    this.client = undefined;
  }
}

/** The fully qualified names of the services the adapter calls. */
export const SERVICES = {
  containers: 'containerd.services.containers.v1.Containers',
  content: 'containerd.services.content.v1.Content',
  diff: 'containerd.services.diff.v1.Diff',
  events: 'containerd.services.events.v1.Events',
  images: 'containerd.services.images.v1.Images',
  leases: 'containerd.services.leases.v1.Leases',
  snapshots: 'containerd.services.snapshots.v1.Snapshots',
  tasks: 'containerd.services.tasks.v1.Tasks',
  version: 'containerd.services.version.v1.Version',
} as const;
