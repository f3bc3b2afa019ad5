/**
 * The IngressAdapter contract and the route model every adapter serves: what networking.k8s.io/v1
 * Ingresses of one IngressClass say, resolved to the Ready endpoints of their Services.
 */

/** How a rule's path matches a request's path (networking.k8s.io/v1 pathType). */
export type PathType = 'Exact' | 'Prefix' | 'ImplementationSpecific';

/** One Ready endpoint of a backend: an address and the port its pods listen on. */
export interface RouteEndpoint {
  /** The endpoint's IP address (or host name). */
  address: string;
  /** The container port the Service's targetPort resolved to. */
  port: number;
}

/** Where a route sends requests: a Service port and its Ready endpoints now. */
export interface RouteBackend {
  /** `namespace/service:port`, for messages and 503 bodies. */
  name: string;
  /** The Ready endpoints, in a stable order; empty answers 503. */
  endpoints: RouteEndpoint[];
}

/** What an Ingress's `nginx.ingress.kubernetes.io/` annotations set on its routes. */
export interface RouteOptions {
  /** Largest request body accepted (proxy-body-size); past it 413. `0` is no limit. @default 1 MiB */
  maxBodyBytes: number;
  /** How long to wait for the backend's response (proxy-read-timeout). @default 60 s */
  readTimeoutMs: number;
  /** The path the matched part is replaced with (rewrite-target), when set. */
  rewriteTarget?: string;
  /** Redirect plain HTTP to HTTPS (308) on hosts with TLS (ssl-redirect). @default true */
  sslRedirect: boolean;
}

/** The Ingress a route came from. */
export interface IngressRef {
  namespace: string;
  name: string;
}

/** One path of one host, with its backend. */
export interface RoutePath {
  /** The rule's path (`/` when a rule gave none). */
  path: string;
  pathType: PathType;
  backend: RouteBackend;
  options: RouteOptions;
  ingress: IngressRef;
}

/** The paths served for one host, longest match first. */
export interface HostRoutes {
  /** A DNS name, `*.example.com` (matches exactly one more label), or `''` for every host. */
  host: string;
  /** Ordered by precedence: longer paths first, and at equal length Exact, Prefix, ImplementationSpecific. */
  paths: RoutePath[];
  /** True when a TLS certificate covers this host: plain HTTP is redirected unless ssl-redirect is false. */
  tls: boolean;
}

/** A certificate from a `kubernetes.io/tls` Secret, served by SNI for its hosts. */
export interface TlsCertificate {
  /** The hosts it is served for (exact or `*.` wildcards); empty means any host not otherwise covered. */
  hosts: string[];
  /** PEM certificate chain (tls.crt). */
  cert: string;
  /** PEM private key (tls.key). */
  key: string;
  /** `namespace/secretName`. */
  secret: string;
}

/** Everything one adapter serves: host rules, the default backend and certificates. */
export interface IngressRoutes {
  /** Hosts, exact names first, then wildcards, then `''` (every host). */
  hosts: HostRoutes[];
  /** Where requests matching no rule go (the oldest Ingress's spec.defaultBackend); absent answers 404. */
  defaultBackend?: RoutePath;
  /** Certificates for SNI. */
  tls: TlsCertificate[];
}

/** Where an adapter listens. */
export interface IngressAddress {
  /** The address it listens on (what Ingress status reports as `ip`). */
  ip: string;
  /** The plain HTTP port. */
  port: number;
  /** The HTTPS port (TLS by SNI). */
  tlsPort: number;
}

/**
 * IngressAdapter serves the Ingresses of one IngressClass: the class named {@link className} whose
 * spec.controller is {@link controller}. The cluster computes the routes from the Ingresses and
 * their Services' EndpointSlices and hands them over on every change; the adapter routes HTTP
 * by them. Implementations: ProxyIngress (in-process, `tugboat`), NginxIngress (`tugboat/nginx`).
 */
export interface IngressAdapter {
  /** The IngressClass it serves. */
  readonly className: string;
  /** The spec.controller the IngressClass must name (e.g. `tugboat.io/proxy`). */
  readonly controller: string;
  /** Starts listening; resolves with the real address and ports. */
  start(): Promise<IngressAddress>;
  /**
   * Serves these routes from now on, without dropping requests in flight. Resolves once every new
   * connection gets these routes (no part of the adapter serves the previous ones any more).
   * Rejects (a TugboatError naming why) when the routes cannot be served; the previous routes stay
   * in force then.
   */
  apply(routes: IngressRoutes): Promise<void>;
  /** Stops listening and closes backend connections. */
  stop(): Promise<void>;
}
