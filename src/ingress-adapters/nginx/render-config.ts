/**
 * Renders an nginx.conf from the route model, so nginx routes as ProxyIngress does: one server
 * per host (wildcards as a one-label regex, since nginx's `*.` covers several labels), Exact as
 * `location =`, Prefix as `location = /p` plus `location /p/`, ImplementationSpecific as a
 * plain `location /p`, upstreams with keep-alive, the annotations as directives.
 */
import type { HostRoutes, IngressRoutes, RoutePath, TlsCertificate } from '../types.js';
import { hostMatches, trimPrefix } from '../routes/match.js';

/** Where nginx listens and keeps its files. */
export interface RenderTarget {
  host: string;
  port: number;
  tlsPort: number;
  /** The prefix directory (absolute). */
  prefix: string;
  /** Increases on each configuration: the control socket answers it, so a reload is seen done. */
  generation: number;
  /** The file of each certificate (by index in routes.tls). */
  certFiles: { cert: string; key: string }[];
}

const q = (s: string): string => `"${s.replace(/["\\$]/g, (c) => (c === '$' ? '${dollar}' : `\\${c}`))}"`;
const reEscape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\/"]/g, '\\$&');

function locationsOf(paths: readonly RoutePath[]): { key: string; route: RoutePath }[] {
  const out: { key: string; route: RoutePath }[] = [];
  const seen = new Set<string>();
  const add = (key: string, route: RoutePath): void => {
    if (seen.has(key)) return;
    seen.add(key);
    out.push({ key, route });
  };
  for (const r of paths) {
    if (r.pathType === 'Exact') add(`= ${r.path}`, r);
    else if (r.pathType === 'Prefix') {
      const p = trimPrefix(r.path);
      if (p === '/') add('/', r);
      else {
        add(`= ${p}`, r);
        add(`${p}/`, r);
      }
    } else add(r.path, r);
  }
  return out;
}

function certFor(routes: IngressRoutes, host: string): number {
  const i = routes.tls.findIndex((c: TlsCertificate) => c.hosts.includes(host));
  if (i >= 0) return i;
  const w = host.startsWith('*.') ? -1 : routes.tls.findIndex((c) => c.hosts.some((h) => h.startsWith('*.') && hostMatches(h, host)));
  return w >= 0 ? w : routes.tls.findIndex((c) => c.hosts.length === 0);
}

/** Renders the whole nginx.conf. */
export function renderNginxConfig(routes: IngressRoutes, t: RenderTarget): string {
  const upstreams = new Map<string, string>();
  const upstreamOf = (r: RoutePath): string | undefined => {
    if (r.backend.endpoints.length === 0) return undefined;
    const servers = r.backend.endpoints.map((e) => `${e.address.includes(':') ? `[${e.address}]` : e.address}:${e.port}`);
    const key = servers.join(',');
    let name = upstreams.get(key);
    if (!name) {
      name = `backend_${upstreams.size}`;
      upstreams.set(key, name);
    }
    return name;
  };
  const location = (key: string, r: RoutePath, tls: boolean): string => {
    const lines = [`    location ${key} {`];
    lines.push(`      client_max_body_size ${r.options.maxBodyBytes};`);
    lines.push(`      proxy_read_timeout ${Math.ceil(r.options.readTimeoutMs / 1000)}s;`);
    if (tls && r.options.sslRedirect) lines.push(`      if ($scheme = http) { return 308 https://$host:${t.tlsPort}$request_uri; }`);
    const up = upstreamOf(r);
    if (!up) lines.push(`      return 503 ${q(`503 Service Unavailable: no ready endpoint for backend ${r.backend.name}\n`)};`);
    else {
      const target = r.options.rewriteTarget;
      if (target !== undefined) {
        if (r.pathType === 'Exact') lines.push(`      rewrite ^.*$ ${target} break;`);
        else {
          const p = reEscape(r.path.replace(/\/+$/, ''));
          lines.push(`      rewrite "^${p}/?$" ${target} break;`);
          lines.push(`      rewrite "^${p}/?(.*)$" ${target.replace(/\/+$/, '')}/$1 break;`);
        }
      }
      lines.push(`      proxy_pass http://${up};`);
    }
    lines.push('    }');
    return lines.join('\n');
  };
  const serverBlock = (hr: HostRoutes | undefined, isDefault: boolean): string => {
    const name = !hr || hr.host === '' ? '_' : hr.host.startsWith('*.') ? `~^[^.]+${reEscape(hr.host.slice(1))}$` : hr.host;
    const d = isDefault ? ' default_server' : '';
    const lines = [
      '  server {',
      `    listen ${t.host}:${t.port}${d};`,
      `    listen ${t.host}:${t.tlsPort} ssl${d};`,
      `    server_name "${name}";`,
    ];
    const ci = certFor(routes, hr?.host ?? '');
    const files = ci >= 0 ? t.certFiles[ci] : undefined;
    if (files) lines.push(`    ssl_certificate ${files.cert};`, `    ssl_certificate_key ${files.key};`);
    else lines.push('    ssl_reject_handshake on;');
    const locs = locationsOf(hr?.paths ?? []);
    for (const l of locs) lines.push(location(l.key, l.route, hr?.tls ?? false));
    if (!locs.some((l) => l.key === '/')) {
      if (routes.defaultBackend) lines.push(location('/', routes.defaultBackend, false));
      else lines.push(`    location / { return 404 ${q('404 Not Found: no rule matches\n')}; }`);
    }
    lines.push('  }');
    return lines.join('\n');
  };
  const catchAll = routes.hosts.find((h) => h.host === '');
  const servers = [serverBlock(catchAll, true), ...routes.hosts.filter((h) => h.host !== '').map((h) => serverBlock(h, false))];
  const ups = [...upstreams].map(
    ([key, name]) =>
      `  upstream ${name} {\n${key
        .split(',')
        .map((s) => `    server ${s} max_fails=0;`)
        .join('\n')}\n    keepalive 32;\n  }`,
  );
  return `# Rendered by tugboat's NginxIngress (generation ${t.generation}); do not edit.
worker_processes 1;
pid ${t.prefix}/nginx.pid;
error_log ${t.prefix}/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  server_tokens off;
  default_type application/octet-stream;
  client_body_temp_path ${t.prefix}/tmp/body;
  proxy_temp_path ${t.prefix}/tmp/proxy;
  fastcgi_temp_path ${t.prefix}/tmp/fastcgi;
  uwsgi_temp_path ${t.prefix}/tmp/uwsgi;
  scgi_temp_path ${t.prefix}/tmp/scgi;
  map $http_upgrade $connection_upgrade { default upgrade; '' ''; }
  geo $dollar { default "$"; }
  proxy_http_version 1.1;
  proxy_set_header Host $http_host;
  proxy_set_header Upgrade $http_upgrade;
  proxy_set_header Connection $connection_upgrade;
  proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
  proxy_set_header X-Forwarded-Proto $scheme;
  proxy_set_header X-Forwarded-Host $http_host;
  proxy_set_header X-Forwarded-Port $server_port;
  proxy_set_header X-Real-IP $remote_addr;
  proxy_next_upstream error timeout http_502;
  proxy_buffering off;
  proxy_request_buffering off;
${ups.join('\n')}
${servers.join('\n')}
  server {
    listen unix:${t.prefix}/control.sock;
    location = /generation { return 200 "${t.generation}"; }
  }
}
`;
}
