/**
 * The columns `kubectl get` shows for the common kinds, as kube-apiserver's printers define them
 * (pkg/printers/internalversion): name, type, and the cell of one object. Priority 1 columns are
 * shown by `-o wide` only.
 */
import type { KubeObject } from '../model/types.js';
import { age } from './human-duration.js';
import { HPA_COLUMNS } from './hpa-columns.js';

/** One column of a Table. */
export interface Column {
  name: string;
  type: 'string' | 'integer' | 'number' | 'boolean' | 'date';
  format?: string;
  priority?: number;
  description?: string;
  /** The cell; null prints as `<none>`. */
  cell(obj: any, nowMs: number): string | number | boolean | null;
}

const str = (v: unknown, none = '<none>'): string => (v === undefined || v === null || v === '' ? none : String(v));
const created = (o: KubeObject, now: number) => age(o.metadata?.creationTimestamp, now);
const NAME: Column = { name: 'Name', type: 'string', cell: (o) => o.metadata?.name ?? '' };
const AGE: Column = { name: 'Age', type: 'string', cell: created };

function selectorText(sel: any): string {
  if (!sel) return '<none>';
  const parts = Object.entries(sel.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`);
  for (const e of sel.matchExpressions ?? []) {
    if (e.operator === 'In' || e.operator === 'NotIn') parts.push(`${e.key} ${e.operator.toLowerCase()} (${(e.values ?? []).join(',')})`);
    else parts.push(e.operator === 'Exists' ? e.key : `!${e.key}`);
  }
  return parts.length ? parts.join(',') : '<none>';
}

const containers = (tpl: any): any[] => tpl?.spec?.containers ?? [];
const CONTAINERS: Column = {
  name: 'Containers',
  type: 'string',
  priority: 1,
  cell: (o) =>
    str(
      containers(o.spec?.template)
        .map((c) => c.name)
        .join(','),
    ),
};
const IMAGES: Column = {
  name: 'Images',
  type: 'string',
  priority: 1,
  cell: (o) =>
    str(
      containers(o.spec?.template)
        .map((c) => c.image)
        .join(','),
    ),
};
const SELECTOR: Column = { name: 'Selector', type: 'string', priority: 1, cell: (o) => selectorText(o.spec?.selector) };

function podStatus(pod: any): { ready: string; status: string; restarts: string } {
  const statuses: any[] = pod.status?.containerStatuses ?? [];
  const total = pod.spec?.containers?.length ?? 0;
  const readyCount = statuses.filter((s) => s.ready).length;
  let restarts = 0;
  let lastRestart: string | undefined;
  let reason: string = pod.status?.reason || pod.status?.phase || 'Unknown';
  for (const s of statuses) {
    restarts += s.restartCount ?? 0;
    const t = s.lastState?.terminated?.finishedAt;
    if (t && (!lastRestart || t > lastRestart)) lastRestart = t;
  }
  const init: any[] = pod.status?.initContainerStatuses ?? [];
  for (const [i, s] of init.entries()) {
    if (s.state?.terminated?.exitCode === 0) continue;
    if (s.state?.terminated) reason = `Init:${s.state.terminated.reason || `ExitCode:${s.state.terminated.exitCode}`}`;
    else if (s.state?.waiting?.reason && s.state.waiting.reason !== 'PodInitializing') reason = `Init:${s.state.waiting.reason}`;
    else reason = `Init:${i}/${pod.spec?.initContainers?.length ?? 0}`;
    break;
  }
  if (!reason.startsWith('Init:')) {
    let running = false;
    for (const s of [...statuses].reverse()) {
      if (s.state?.waiting?.reason) reason = s.state.waiting.reason;
      else if (s.state?.terminated?.reason) reason = s.state.terminated.reason;
      else if (s.state?.terminated)
        reason = s.state.terminated.signal ? `Signal:${s.state.terminated.signal}` : `ExitCode:${s.state.terminated.exitCode}`;
      else if (s.ready && s.state?.running) running = true;
    }
    if (reason === 'Completed' && running) reason = 'Running';
  }
  if (pod.metadata?.deletionTimestamp) reason = pod.status?.reason === 'NodeLost' ? 'Unknown' : 'Terminating';
  return { ready: `${readyCount}/${total}`, status: reason, restarts: String(restarts) };
}

function servicePorts(svc: any): string {
  const ports: any[] = svc.spec?.ports ?? [];
  if (!ports.length) return '<none>';
  return ports.map((p) => (p.nodePort ? `${p.port}:${p.nodePort}/${p.protocol ?? 'TCP'}` : `${p.port}/${p.protocol ?? 'TCP'}`)).join(',');
}

function externalIp(svc: any): string {
  const type = svc.spec?.type ?? 'ClusterIP';
  const ingress: any[] = svc.status?.loadBalancer?.ingress ?? [];
  const lb = ingress.map((i) => i.ip || i.hostname).filter(Boolean);
  const ext: string[] = svc.spec?.externalIPs ?? [];
  if (type === 'ExternalName') return str(svc.spec?.externalName);
  if (type === 'LoadBalancer') return lb.length || ext.length ? [...lb, ...ext].join(',') : '<pending>';
  return ext.length ? ext.join(',') : '<none>';
}

function nodeStatus(node: any): string {
  const ready = (node.status?.conditions ?? []).find((c: any) => c.type === 'Ready');
  const parts = [ready?.status === 'True' ? 'Ready' : ready ? 'NotReady' : 'Unknown'];
  if (node.spec?.unschedulable) parts.push('SchedulingDisabled');
  return parts.join(',');
}

function nodeRoles(node: any): string {
  const roles = Object.keys(node.metadata?.labels ?? {})
    .filter((k) => k.startsWith('node-role.kubernetes.io/'))
    .map((k) => k.slice('node-role.kubernetes.io/'.length));
  return roles.length ? roles.sort().join(',') : '<none>';
}

const address = (node: any, type: string) => str((node.status?.addresses ?? []).find((a: any) => a.type === type)?.address);

function jobStatus(job: any): string {
  const conds: any[] = job.status?.conditions ?? [];
  const has = (type: string) => conds.some((c) => c.type === type && c.status === 'True');
  if (has('Failed')) return 'Failed';
  if (has('Complete')) return 'Complete';
  if (has('Suspended')) return 'Suspended';
  if (has('FailureTarget')) return 'FailureTarget';
  if (has('SuccessCriteriaMet')) return 'SuccessCriteriaMet';
  return 'Running';
}

function jobDuration(job: any, now: number): string {
  const start = job.status?.startTime;
  if (!start) return '';
  const end = job.status?.completionTime ? Date.parse(job.status.completionTime) : now;
  return age(start, end);
}

function eventObject(e: any): string {
  const ref = e.involvedObject ?? e.regarding ?? {};
  return `${String(ref.kind ?? '').toLowerCase()}/${ref.name ?? ''}`;
}

/** The columns of each common kind, keyed `group/Kind` (core group: `/Kind`). */
export const COLUMNS: Readonly<Record<string, readonly Column[]>> = {
  '/Pod': [
    NAME,
    { name: 'Ready', type: 'string', cell: (o) => podStatus(o).ready },
    { name: 'Status', type: 'string', cell: (o) => podStatus(o).status },
    { name: 'Restarts', type: 'string', cell: (o) => podStatus(o).restarts },
    AGE,
    { name: 'IP', type: 'string', priority: 1, cell: (o) => str(o.status?.podIP) },
    { name: 'Node', type: 'string', priority: 1, cell: (o) => str(o.spec?.nodeName) },
    { name: 'Nominated Node', type: 'string', priority: 1, cell: (o) => str(o.status?.nominatedNodeName) },
    {
      name: 'Readiness Gates',
      type: 'string',
      priority: 1,
      cell: (o) => str((o.spec?.readinessGates ?? []).length ? `0/${o.spec.readinessGates.length}` : ''),
    },
  ],
  'apps/Deployment': [
    NAME,
    { name: 'Ready', type: 'string', cell: (o) => `${o.status?.readyReplicas ?? 0}/${o.spec?.replicas ?? 0}` },
    { name: 'Up-to-date', type: 'integer', cell: (o) => o.status?.updatedReplicas ?? 0 },
    { name: 'Available', type: 'integer', cell: (o) => o.status?.availableReplicas ?? 0 },
    AGE,
    CONTAINERS,
    IMAGES,
    SELECTOR,
  ],
  'apps/ReplicaSet': [
    NAME,
    { name: 'Desired', type: 'integer', cell: (o) => o.spec?.replicas ?? 0 },
    { name: 'Current', type: 'integer', cell: (o) => o.status?.replicas ?? 0 },
    { name: 'Ready', type: 'integer', cell: (o) => o.status?.readyReplicas ?? 0 },
    AGE,
    CONTAINERS,
    IMAGES,
    SELECTOR,
  ],
  'apps/StatefulSet': [
    NAME,
    { name: 'Ready', type: 'string', cell: (o) => `${o.status?.readyReplicas ?? 0}/${o.spec?.replicas ?? 0}` },
    AGE,
    CONTAINERS,
    IMAGES,
  ],
  'apps/DaemonSet': [
    NAME,
    { name: 'Desired', type: 'integer', cell: (o) => o.status?.desiredNumberScheduled ?? 0 },
    { name: 'Current', type: 'integer', cell: (o) => o.status?.currentNumberScheduled ?? 0 },
    { name: 'Ready', type: 'integer', cell: (o) => o.status?.numberReady ?? 0 },
    { name: 'Up-to-date', type: 'integer', cell: (o) => o.status?.updatedNumberScheduled ?? 0 },
    { name: 'Available', type: 'integer', cell: (o) => o.status?.numberAvailable ?? 0 },
    {
      name: 'Node Selector',
      type: 'string',
      cell: (o) =>
        str(
          Object.entries(o.spec?.template?.spec?.nodeSelector ?? {})
            .map(([k, v]) => `${k}=${v}`)
            .join(','),
        ),
    },
    AGE,
    CONTAINERS,
    IMAGES,
    SELECTOR,
  ],
  'batch/Job': [
    NAME,
    { name: 'Status', type: 'string', cell: jobStatus },
    { name: 'Completions', type: 'string', cell: (o) => `${o.status?.succeeded ?? 0}/${o.spec?.completions ?? 1}` },
    { name: 'Duration', type: 'string', cell: jobDuration },
    AGE,
    {
      name: 'Containers',
      type: 'string',
      priority: 1,
      cell: (o) =>
        str(
          containers(o.spec?.template)
            .map((c) => c.name)
            .join(','),
        ),
    },
    {
      name: 'Images',
      type: 'string',
      priority: 1,
      cell: (o) =>
        str(
          containers(o.spec?.template)
            .map((c) => c.image)
            .join(','),
        ),
    },
    SELECTOR,
  ],
  'batch/CronJob': [
    NAME,
    { name: 'Schedule', type: 'string', cell: (o) => str(o.spec?.schedule) },
    { name: 'Timezone', type: 'string', cell: (o) => str(o.spec?.timeZone) },
    { name: 'Suspend', type: 'string', cell: (o) => (o.spec?.suspend ? 'True' : 'False') },
    { name: 'Active', type: 'integer', cell: (o) => (o.status?.active ?? []).length },
    {
      name: 'Last Schedule',
      type: 'string',
      cell: (o, now) => (o.status?.lastScheduleTime ? age(o.status.lastScheduleTime, now) : '<none>'),
    },
    AGE,
  ],
  '/Service': [
    NAME,
    { name: 'Type', type: 'string', cell: (o) => o.spec?.type ?? 'ClusterIP' },
    { name: 'Cluster-IP', type: 'string', cell: (o) => str(o.spec?.clusterIP) },
    { name: 'External-IP', type: 'string', cell: externalIp },
    { name: 'Port(s)', type: 'string', cell: servicePorts },
    AGE,
    {
      name: 'Selector',
      type: 'string',
      priority: 1,
      cell: (o) =>
        str(
          Object.entries(o.spec?.selector ?? {})
            .map(([k, v]) => `${k}=${v}`)
            .join(','),
        ),
    },
  ],
  '/Namespace': [NAME, { name: 'Status', type: 'string', cell: (o) => o.status?.phase ?? 'Active' }, AGE],
  '/Node': [
    NAME,
    { name: 'Status', type: 'string', cell: nodeStatus },
    { name: 'Roles', type: 'string', cell: nodeRoles },
    AGE,
    { name: 'Version', type: 'string', cell: (o) => str(o.status?.nodeInfo?.kubeletVersion, '') },
    { name: 'Internal-IP', type: 'string', priority: 1, cell: (o) => address(o, 'InternalIP') },
    { name: 'External-IP', type: 'string', priority: 1, cell: (o) => address(o, 'ExternalIP') },
    { name: 'OS-Image', type: 'string', priority: 1, cell: (o) => str(o.status?.nodeInfo?.osImage, '<unknown>') },
    { name: 'Kernel-Version', type: 'string', priority: 1, cell: (o) => str(o.status?.nodeInfo?.kernelVersion, '<unknown>') },
    { name: 'Container-Runtime', type: 'string', priority: 1, cell: (o) => str(o.status?.nodeInfo?.containerRuntimeVersion, '<unknown>') },
  ],
  '/ConfigMap': [
    NAME,
    { name: 'Data', type: 'integer', cell: (o) => Object.keys(o.data ?? {}).length + Object.keys(o.binaryData ?? {}).length },
    AGE,
  ],
  '/Secret': [
    NAME,
    { name: 'Type', type: 'string', cell: (o) => o.type ?? 'Opaque' },
    { name: 'Data', type: 'integer', cell: (o) => Object.keys(o.data ?? {}).length },
    AGE,
  ],
  '/Endpoints': [
    NAME,
    {
      name: 'Endpoints',
      type: 'string',
      cell: (o) => {
        const eps = (o.subsets ?? []).flatMap((s: any) =>
          (s.addresses ?? []).flatMap((a: any) => (s.ports ?? [{}]).map((p: any) => (p.port ? `${a.ip}:${p.port}` : a.ip))),
        );
        return eps.length ? eps.slice(0, 3).join(',') + (eps.length > 3 ? ` + ${eps.length - 3} more...` : '') : '<none>';
      },
    },
    AGE,
  ],
  '/Event': [
    { name: 'Last Seen', type: 'string', cell: (o, now) => age(o.lastTimestamp ?? o.eventTime ?? o.metadata?.creationTimestamp, now) },
    { name: 'Type', type: 'string', cell: (o) => str(o.type, '') },
    { name: 'Reason', type: 'string', cell: (o) => str(o.reason, '') },
    { name: 'Object', type: 'string', cell: eventObject },
    { name: 'Message', type: 'string', cell: (o) => str(o.message, '') },
  ],
  '/PersistentVolumeClaim': [
    NAME,
    { name: 'Status', type: 'string', cell: (o) => str(o.status?.phase, 'Pending') },
    { name: 'Volume', type: 'string', cell: (o) => str(o.spec?.volumeName, '') },
    { name: 'Capacity', type: 'string', cell: (o) => str(o.status?.capacity?.storage, '') },
    { name: 'Access Modes', type: 'string', cell: (o) => (o.status?.accessModes ?? []).map(shortMode).join(',') },
    { name: 'StorageClass', type: 'string', cell: (o) => str(o.spec?.storageClassName) },
    AGE,
  ],
  'autoscaling/HorizontalPodAutoscaler': [NAME, ...HPA_COLUMNS, AGE],
  'networking.k8s.io/Ingress': [
    NAME,
    { name: 'Class', type: 'string', cell: (o) => str(o.spec?.ingressClassName) },
    { name: 'Hosts', type: 'string', cell: (o) => str((o.spec?.rules ?? []).map((r: any) => r.host || '*').join(','), '*') },
    { name: 'Address', type: 'string', cell: (o) => (o.status?.loadBalancer?.ingress ?? []).map((i: any) => i.ip || i.hostname).join(',') },
    { name: 'Ports', type: 'string', cell: (o) => ((o.spec?.tls ?? []).length ? '80, 443' : '80') },
    AGE,
  ],
  'rbac.authorization.k8s.io/Role': [NAME, { name: 'Created At', type: 'string', cell: (o) => str(o.metadata?.creationTimestamp) }],
  'rbac.authorization.k8s.io/ClusterRole': [NAME, { name: 'Created At', type: 'string', cell: (o) => str(o.metadata?.creationTimestamp) }],
  'rbac.authorization.k8s.io/RoleBinding': [
    NAME,
    { name: 'Role', type: 'string', cell: (o) => `${o.roleRef?.kind}/${o.roleRef?.name}` },
    AGE,
  ],
  'rbac.authorization.k8s.io/ClusterRoleBinding': [
    NAME,
    { name: 'Role', type: 'string', cell: (o) => `${o.roleRef?.kind}/${o.roleRef?.name}` },
    AGE,
  ],
};

function shortMode(mode: string): string {
  return (
    ({ ReadWriteOnce: 'RWO', ReadOnlyMany: 'ROX', ReadWriteMany: 'RWX', ReadWriteOncePod: 'RWOP' } as Record<string, string>)[mode] ?? mode
  );
}

/** The columns of any other kind: name and age. */
export const DEFAULT_COLUMNS: readonly Column[] = [NAME, { ...AGE, name: 'Age' }];
