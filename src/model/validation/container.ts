/** Validation of one container: name, image, pull policy, ports, env, mounts, resources, probes. */
import type { core, StatusCause } from '../types.js';
import { dns1123LabelErrors } from '../names.js';
import { duplicate, forbidden, invalid, notFound, notSupported, required } from './field-errors.js';
import { ianaSvcNameErrors, isObject, validateObjectList, validatePortNumber } from './common.js';
import { validateResources } from './resources.js';
import { validateLifecycle, validateProbe } from './probes.js';

const ENV_NAME_RE = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;
const PULL_POLICIES = ['Always', 'IfNotPresent', 'Never'];
const PROTOCOLS = ['SCTP', 'TCP', 'UDP'];

/** What a container is checked against. */
export interface ContainerContext {
  /** Names of the pod's volumes, for volumeMounts. */
  volumes: ReadonlySet<string>;
  /** Init containers may not have liveness/readiness/startup probes unless restartable. */
  init: boolean;
  /** The pod's terminationGracePeriodSeconds (defaulted to 30), the bound of a lifecycle sleep action. */
  gracePeriodSeconds?: number;
}

function validatePorts(ports: unknown, field: string): StatusCause[] {
  const names = new Set<string>();
  return validateObjectList<core.ContainerPort>(ports, field, (p, at, causes) => {
    if (p.name !== undefined && p.name !== '') {
      for (const m of ianaSvcNameErrors(p.name)) causes.push(invalid(`${at}.name`, p.name, m));
      if (names.has(p.name)) causes.push(duplicate(`${at}.name`, p.name));
      names.add(p.name);
    }
    if (p.containerPort === undefined) causes.push(required(`${at}.containerPort`));
    else causes.push(...validatePortNumber(p.containerPort, `${at}.containerPort`));
    if (p.hostPort !== undefined && p.hostPort !== 0) causes.push(...validatePortNumber(p.hostPort, `${at}.hostPort`));
    if (p.protocol !== undefined && !PROTOCOLS.includes(p.protocol)) causes.push(notSupported(`${at}.protocol`, p.protocol, PROTOCOLS));
  });
}

function validateEnv(env: unknown, field: string): StatusCause[] {
  return validateObjectList<core.EnvVar>(env, field, (e, at, causes) => {
    if (!e.name) causes.push(required(`${at}.name`));
    else if (!ENV_NAME_RE.test(e.name)) {
      causes.push(
        invalid(
          `${at}.name`,
          e.name,
          "a valid environment variable name must consist of alphabetic characters, digits, '_', '-', or '.', and must not start with a digit",
        ),
      );
    }
    if (e.valueFrom) {
      if (e.value) causes.push(invalid(`${at}.valueFrom`, '', 'may not be specified when `value` is not empty'));
      const sources = ['fieldRef', 'resourceFieldRef', 'configMapKeyRef', 'secretKeyRef'].filter(
        (k) => (e.valueFrom as Record<string, unknown>)[k],
      );
      if (sources.length === 0)
        causes.push(
          invalid(`${at}.valueFrom`, '', 'must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`'),
        );
      else if (sources.length > 1) causes.push(invalid(`${at}.valueFrom`, '', 'may not have more than one field specified at a time'));
      if (e.valueFrom.configMapKeyRef && !e.valueFrom.configMapKeyRef.key) causes.push(required(`${at}.valueFrom.configMapKeyRef.key`));
      if (e.valueFrom.secretKeyRef && !e.valueFrom.secretKeyRef.key) causes.push(required(`${at}.valueFrom.secretKeyRef.key`));
      if (e.valueFrom.fieldRef && !e.valueFrom.fieldRef.fieldPath) causes.push(required(`${at}.valueFrom.fieldRef.fieldPath`));
    }
  });
}

function validateMounts(mounts: unknown, field: string, volumes: ReadonlySet<string>): StatusCause[] {
  const paths = new Set<string>();
  return validateObjectList<core.VolumeMount>(mounts, field, (m, at, causes) => {
    if (!m.name) causes.push(required(`${at}.name`));
    else if (!volumes.has(m.name)) causes.push(notFound(`${at}.name`, m.name));
    if (!m.mountPath) causes.push(required(`${at}.mountPath`));
    else {
      if (paths.has(m.mountPath)) causes.push(invalid(`${at}.mountPath`, m.mountPath, 'must be unique'));
      paths.add(m.mountPath);
    }
    if (m.subPath && (m.subPath.startsWith('/') || m.subPath.split('/').includes('..'))) {
      causes.push(invalid(`${at}.subPath`, m.subPath, "must be a relative path without '..'"));
    }
  });
}

/** Checks one container at `field` (e.g. `spec.containers[0]`). Name uniqueness is checked by the pod. */
export function validateContainer(c: unknown, field: string, ctx: ContainerContext): StatusCause[] {
  if (!isObject(c)) return [invalid(field, c, 'must be an object')];
  const container = c as unknown as core.Container;
  const causes: StatusCause[] = [];
  if (!container.name) causes.push(required(`${field}.name`));
  else causes.push(...dns1123LabelErrors(container.name).map((m) => invalid(`${field}.name`, container.name, m)));
  if (!container.image || String(container.image).trim() === '') causes.push(required(`${field}.image`));
  if (container.imagePullPolicy !== undefined && !PULL_POLICIES.includes(container.imagePullPolicy)) {
    causes.push(notSupported(`${field}.imagePullPolicy`, container.imagePullPolicy, PULL_POLICIES));
  }
  if (container.terminationMessagePolicy !== undefined && !['File', 'FallbackToLogsOnError'].includes(container.terminationMessagePolicy)) {
    causes.push(notSupported(`${field}.terminationMessagePolicy`, container.terminationMessagePolicy, ['File', 'FallbackToLogsOnError']));
  }
  causes.push(...validatePorts(container.ports, `${field}.ports`));
  causes.push(...validateEnv(container.env, `${field}.env`));
  causes.push(...validateMounts(container.volumeMounts, `${field}.volumeMounts`, ctx.volumes));
  causes.push(...validateResources(container.resources, `${field}.resources`));
  const restartable = ctx.init && container.restartPolicy === 'Always';
  if (container.restartPolicy !== undefined && (!ctx.init || container.restartPolicy !== 'Always')) {
    causes.push(
      ctx.init
        ? notSupported(`${field}.restartPolicy`, container.restartPolicy, ['Always'])
        : forbidden(`${field}.restartPolicy`, 'may not be set for non-init containers'),
    );
  }
  for (const probe of ['livenessProbe', 'readinessProbe', 'startupProbe'] as const) {
    if (ctx.init && !restartable && container[probe])
      causes.push(forbidden(`${field}.${probe}`, 'may not be set for init containers without restartPolicy=Always'));
    else causes.push(...validateProbe(container[probe], `${field}.${probe}`, probe !== 'readinessProbe'));
  }
  if (ctx.init && !restartable && container.lifecycle)
    causes.push(forbidden(`${field}.lifecycle`, 'may not be set for init containers without restartPolicy=Always'));
  else causes.push(...validateLifecycle(container.lifecycle, `${field}.lifecycle`, ctx.gracePeriodSeconds ?? 30));
  return causes;
}
