import type { core, PersistentVolume, PersistentVolumeClaim, Pod, Service, VolumeAttachment } from '../model/types.js';

/** Why a container could not be configured: shown as its waiting reason, retried on the next sync. */
export class ContainerConfigError extends Error {
  constructor(
    message: string,
    /** The waiting reason Kubernetes shows: CreateContainerConfigError, or ContainerCreating for mounts. */
    readonly reason: 'CreateContainerConfigError' | 'ContainerCreating' = 'CreateContainerConfigError',
  ) {
    super(message);
    this.name = 'ContainerConfigError';
  }
}

/** Finds the ConfigMaps and Secrets a pod refers to (undefined when absent). */
export interface ConfigSource {
  configMap(namespace: string, name: string): Promise<{ data?: Record<string, string>; binaryData?: Record<string, string> } | undefined>;
  secret(namespace: string, name: string): Promise<{ data?: Record<string, string>; stringData?: Record<string, string> } | undefined>;
  /** The PersistentVolumeClaim a volume names (undefined when absent). */
  claim?(namespace: string, name: string): Promise<PersistentVolumeClaim | undefined>;
  /** The PersistentVolume a bound claim names (undefined when absent). */
  volume?(name: string): Promise<PersistentVolume | undefined>;
  /** A VolumeAttachment by name (undefined when absent). */
  attachment?(name: string): Promise<VolumeAttachment | undefined>;
  /**
   * The Services whose variables containers get: those of `namespace` and of `default` (the
   * `kubernetes` Service's); absent, containers get no Service variables.
   */
  services?(namespace: string): Promise<readonly Service[]>;
  /** The token a pod's projected serviceAccountToken source writes (rejects when none can be had). */
  serviceAccountToken?(pod: Pod, projection: core.ServiceAccountTokenProjection): Promise<string>;
}

/** Decodes a Secret's data (base64) and stringData into plain strings. */
export function secretStrings(secret: { data?: Record<string, string>; stringData?: Record<string, string> }): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(secret.data ?? {})) out[k] = Buffer.from(v, 'base64').toString('utf8');
  for (const [k, v] of Object.entries(secret.stringData ?? {})) out[k] = v;
  return out;
}
