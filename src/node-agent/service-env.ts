/**
 * The Service environment variables the kubelet gives every container (kubelet's
 * getServiceEnvVarMap and pkg/kubelet/envvars): the `kubernetes` Service of `default` always,
 * and, when the pod's `enableServiceLinks` is true (the default), every other Service of the
 * pod's namespace, each as `NAME_SERVICE_HOST`/`_PORT` and the Docker-links style `NAME_PORT*`.
 */
import type { Pod, Service } from '../model/types.js';

/** The namespace and name of the API server's own Service, whose variables every container gets. */
const MASTER_SERVICE = { namespace: 'default', name: 'kubernetes' } as const;

/** True when a Service has a cluster IP (not headless, not ExternalName). */
function hasClusterIP(svc: Service): boolean {
  const ip = svc.spec?.clusterIP;
  return !!ip && ip !== 'None';
}

/** `NAME` of a Service's variables: upper case, `-` as `_`. */
function varName(name: string): string {
  return name.toUpperCase().replaceAll('-', '_');
}

/**
 * The Services whose variables a pod's containers get, by name: from `services` (of the pod's
 * namespace and of `default`, in any order), the `kubernetes` Service of `default` always, the
 * pod's namespace's others only with `enableServiceLinks`; a Service of the pod's namespace wins
 * over the `default` one of the same name, as in the kubelet.
 */
export function linkedServices(pod: Pod, services: readonly Service[]): Service[] {
  const ns = pod.metadata.namespace ?? 'default';
  const links = pod.spec?.enableServiceLinks ?? true;
  const byName = new Map<string, Service>();
  for (const svc of services) {
    if (!hasClusterIP(svc) || svc.metadata.deletionTimestamp) continue;
    const name = svc.metadata.name ?? '';
    const svcNs = svc.metadata.namespace ?? 'default';
    if (svcNs === MASTER_SERVICE.namespace && name === MASTER_SERVICE.name) {
      if (!byName.has(name)) byName.set(name, svc);
    } else if (svcNs === ns && links) {
      byName.set(name, svc);
    }
  }
  return [...byName.values()];
}

/** The variables of `services` (see the file comment), as envvars.FromServices writes them. */
export function serviceEnvVars(services: readonly Service[]): Record<string, string> {
  const env: Record<string, string> = {};
  for (const svc of services) {
    const name = varName(svc.metadata.name ?? '');
    const ip = svc.spec?.clusterIP ?? '';
    const ports = svc.spec?.ports ?? [];
    env[`${name}_SERVICE_HOST`] = ip;
    if (ports[0]) env[`${name}_SERVICE_PORT`] = String(ports[0].port);
    for (const p of ports) if (p.name) env[`${name}_SERVICE_PORT_${varName(p.name)}`] = String(p.port);
    const host = ip.includes(':') ? `[${ip}]` : ip;
    ports.forEach((p, i) => {
      const protocol = (p.protocol ?? 'TCP').toLowerCase();
      const url = `${protocol}://${host}:${p.port}`;
      const prefix = `${name}_PORT_${p.port}_${protocol.toUpperCase()}`;
      if (i === 0) env[`${name}_PORT`] = url;
      env[prefix] = url;
      env[`${prefix}_PROTO`] = protocol;
      env[`${prefix}_PORT`] = String(p.port);
      env[`${prefix}_ADDR`] = ip;
    });
  }
  return env;
}
