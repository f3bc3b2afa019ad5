/**
 * A container's environment as the kubelet builds it: envFrom sources first, then env entries
 * in order (later ones win), each value `$(VAR)`-expanded against what is defined before it or
 * among the Service variables (service-env.ts), which fill in every name not defined otherwise.
 */
import type { core, Pod } from '../model/types.js';
import { linkedServices, serviceEnvVars } from './service-env.js';
import { ContainerConfigError, secretStrings, type ConfigSource } from './config-error.js';
import { expandVars } from './expand.js';
import { podFieldValue, resourceFieldValue } from './downward-api.js';

/** Resolves a container's env and envFrom into a plain map; throws ContainerConfigError on a missing required source. */
export async function resolveEnv(
  pod: Pod,
  container: core.Container,
  source: ConfigSource,
  hostIP: string,
): Promise<Record<string, string>> {
  const ns = pod.metadata.namespace ?? 'default';
  const services = source.services ? await source.services(ns) : [];
  const serviceEnv = serviceEnvVars(linkedServices(pod, services));
  const env: Record<string, string> = {};
  for (const from of container.envFrom ?? []) {
    const prefix = from.prefix ?? '';
    if (from.configMapRef) {
      const cm = await source.configMap(ns, from.configMapRef.name ?? '');
      if (!cm) {
        if (from.configMapRef.optional) continue;
        throw new ContainerConfigError(`configmap "${from.configMapRef.name}" not found`);
      }
      for (const [k, v] of Object.entries(cm.data ?? {})) env[prefix + k] = v;
    } else if (from.secretRef) {
      const s = await source.secret(ns, from.secretRef.name ?? '');
      if (!s) {
        if (from.secretRef.optional) continue;
        throw new ContainerConfigError(`secret "${from.secretRef.name}" not found`);
      }
      for (const [k, v] of Object.entries(secretStrings(s))) env[prefix + k] = v;
    }
  }
  const lookup = (name: string): string | undefined =>
    Object.hasOwn(env, name) ? env[name] : Object.hasOwn(serviceEnv, name) ? serviceEnv[name] : undefined;
  for (const e of container.env ?? []) {
    if (e.valueFrom) {
      const v = await valueFrom(pod, container, e.valueFrom, source, hostIP);
      if (v !== undefined) env[e.name] = v;
    } else {
      env[e.name] = expandVars(e.value ?? '', lookup);
    }
  }
  return { ...serviceEnv, ...env };
}

async function valueFrom(
  pod: Pod,
  container: core.Container,
  from: core.EnvVarSource,
  source: ConfigSource,
  hostIP: string,
): Promise<string | undefined> {
  const ns = pod.metadata.namespace ?? 'default';
  if (from.fieldRef) return podFieldValue(pod, from.fieldRef.fieldPath, hostIP);
  if (from.resourceFieldRef) return resourceFieldValue(pod, container, from.resourceFieldRef);
  if (from.configMapKeyRef) {
    const ref = from.configMapKeyRef;
    const cm = await source.configMap(ns, ref.name ?? '');
    const value = cm?.data?.[ref.key];
    if (value !== undefined) return value;
    if (ref.optional) return undefined;
    throw new ContainerConfigError(
      cm ? `couldn't find key ${ref.key} in ConfigMap ${ns}/${ref.name}` : `configmap "${ref.name}" not found`,
    );
  }
  if (from.secretKeyRef) {
    const ref = from.secretKeyRef;
    const s = await source.secret(ns, ref.name ?? '');
    const value = s ? secretStrings(s)[ref.key] : undefined;
    if (value !== undefined) return value;
    if (ref.optional) return undefined;
    throw new ContainerConfigError(s ? `couldn't find key ${ref.key} in Secret ${ns}/${ref.name}` : `secret "${ref.name}" not found`);
  }
  return undefined;
}

/** A container's command and args with `$(VAR)` references expanded from its env. */
export function expandCommand(container: core.Container, env: Record<string, string>): { command?: string[]; args?: string[] } {
  const lookup = (name: string): string | undefined => (Object.hasOwn(env, name) ? env[name] : undefined);
  return {
    ...(container.command ? { command: container.command.map((c) => expandVars(c, lookup)) } : {}),
    ...(container.args ? { args: container.args.map((a) => expandVars(a, lookup)) } : {}),
  };
}
