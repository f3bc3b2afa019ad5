/**
 * The OCI runtime spec (config.json) of a task, as containerd's default spec and its CRI plugin
 * make it (pure): process (args, env, cwd, user, capabilities, rlimits), root, the standard
 * mounts, namespaces (a pod's containers join the sandbox task's network, IPC and UTS
 * namespaces by /proc/<pid>/ns paths), cgroup limits, masked and read-only paths.
 */

/** One OCI mount. */
export interface OciMount {
  destination: string;
  type: string;
  source: string;
  options: string[];
}

/** The OCI spec as far as tugboat writes it. */
export interface OciSpec {
  ociVersion: string;
  process: {
    terminal: boolean;
    user: { uid: number; gid: number; additionalGids?: number[] };
    args: string[];
    env: string[];
    cwd: string;
    capabilities: { bounding: string[]; effective: string[]; permitted: string[]; inheritable?: string[]; ambient?: string[] };
    rlimits: Array<{ type: string; hard: number; soft: number }>;
    noNewPrivileges: boolean;
  };
  root: { path: string; readonly: boolean };
  hostname?: string;
  mounts: OciMount[];
  linux: {
    resources: {
      devices: Array<{ allow: boolean; access: string; type?: string }>;
      memory?: { limit: number; swap: number };
      cpu?: { quota: number; period: number; shares?: number };
    };
    cgroupsPath: string;
    namespaces: Array<{ type: string; path?: string }>;
    maskedPaths?: string[];
    readonlyPaths?: string[];
  };
}

/** containerd's default capabilities of a container. */
export const DEFAULT_CAPABILITIES = [
  'CAP_CHOWN',
  'CAP_DAC_OVERRIDE',
  'CAP_FSETID',
  'CAP_FOWNER',
  'CAP_MKNOD',
  'CAP_NET_RAW',
  'CAP_SETGID',
  'CAP_SETUID',
  'CAP_SETFCAP',
  'CAP_SETPCAP',
  'CAP_NET_BIND_SERVICE',
  'CAP_SYS_CHROOT',
  'CAP_KILL',
  'CAP_AUDIT_WRITE',
];

/** Every capability of Linux 5.9+, by number (bit i of a capability set is ALL_CAPABILITIES[i]). */
export const ALL_CAPABILITIES = [
  'CAP_CHOWN',
  'CAP_DAC_OVERRIDE',
  'CAP_DAC_READ_SEARCH',
  'CAP_FOWNER',
  'CAP_FSETID',
  'CAP_KILL',
  'CAP_SETGID',
  'CAP_SETUID',
  'CAP_SETPCAP',
  'CAP_LINUX_IMMUTABLE',
  'CAP_NET_BIND_SERVICE',
  'CAP_NET_BROADCAST',
  'CAP_NET_ADMIN',
  'CAP_NET_RAW',
  'CAP_IPC_LOCK',
  'CAP_IPC_OWNER',
  'CAP_SYS_MODULE',
  'CAP_SYS_RAWIO',
  'CAP_SYS_CHROOT',
  'CAP_SYS_PTRACE',
  'CAP_SYS_PACCT',
  'CAP_SYS_ADMIN',
  'CAP_SYS_BOOT',
  'CAP_SYS_NICE',
  'CAP_SYS_RESOURCE',
  'CAP_SYS_TIME',
  'CAP_SYS_TTY_CONFIG',
  'CAP_MKNOD',
  'CAP_LEASE',
  'CAP_AUDIT_WRITE',
  'CAP_AUDIT_CONTROL',
  'CAP_SETFCAP',
  'CAP_MAC_OVERRIDE',
  'CAP_MAC_ADMIN',
  'CAP_SYSLOG',
  'CAP_WAKE_ALARM',
  'CAP_BLOCK_SUSPEND',
  'CAP_AUDIT_READ',
  'CAP_PERFMON',
  'CAP_BPF',
  'CAP_CHECKPOINT_RESTORE',
];

/**
 * The capabilities in a hex capability mask (`CapBnd` of /proc/<pid>/status), pure. A privileged
 * container gets the host's bounding set, as containerd's CRI plugin does (a capability the host
 * lacks cannot be given: runc would fail).
 */
export function capabilitiesOfMask(hex: string): string[] {
  let mask = BigInt(`0x${hex || '0'}`);
  const out: string[] = [];
  for (let i = 0; mask > 0n; i++, mask >>= 1n) if (mask & 1n && ALL_CAPABILITIES[i]) out.push(ALL_CAPABILITIES[i]);
  return out;
}

const MASKED_PATHS = [
  '/proc/acpi',
  '/proc/asound',
  '/proc/kcore',
  '/proc/keys',
  '/proc/latency_stats',
  '/proc/timer_list',
  '/proc/timer_stats',
  '/proc/sched_debug',
  '/sys/firmware',
  '/proc/scsi',
];
const READONLY_PATHS = ['/proc/bus', '/proc/fs', '/proc/irq', '/proc/sys', '/proc/sysrq-trigger'];

/** The mounts every container gets (proc, dev, devpts, shm, mqueue, sysfs, cgroup). */
export function defaultMounts(): OciMount[] {
  return [
    { destination: '/proc', type: 'proc', source: 'proc', options: ['nosuid', 'noexec', 'nodev'] },
    { destination: '/dev', type: 'tmpfs', source: 'tmpfs', options: ['nosuid', 'strictatime', 'mode=755', 'size=65536k'] },
    {
      destination: '/dev/pts',
      type: 'devpts',
      source: 'devpts',
      options: ['nosuid', 'noexec', 'newinstance', 'ptmxmode=0666', 'mode=0620', 'gid=5'],
    },
    { destination: '/dev/shm', type: 'tmpfs', source: 'shm', options: ['nosuid', 'noexec', 'nodev', 'mode=1777', 'size=65536k'] },
    { destination: '/dev/mqueue', type: 'mqueue', source: 'mqueue', options: ['nosuid', 'noexec', 'nodev'] },
    { destination: '/sys', type: 'sysfs', source: 'sysfs', options: ['nosuid', 'noexec', 'nodev', 'ro'] },
    { destination: '/sys/fs/cgroup', type: 'cgroup', source: 'cgroup', options: ['nosuid', 'noexec', 'nodev', 'relatime', 'ro'] },
  ];
}

/** What a task's spec is made from. */
export interface SpecInput {
  args: string[];
  env: string[];
  cwd: string;
  uid: number;
  gid: number;
  hostname?: string;
  /** Extra mounts (volumes, /etc/hosts...), after the default ones. */
  mounts: OciMount[];
  /**
   * Namespaces to join by path (a pod's sandbox task: `/proc/<pid>/ns/<type>`); a type with no
   * path is new; a type absent from both lists is the host's (host network).
   */
  join: Partial<Record<'network' | 'ipc' | 'uts', string>>;
  /** The host's namespaces to stay in (hostNetwork: network and uts). */
  host?: Array<'network' | 'uts'>;
  cgroupsPath: string;
  cpuMillis?: number;
  memoryBytes?: number;
  readonlyRoot?: boolean;
  privileged?: boolean;
  capabilitiesAdd?: string[];
  capabilitiesDrop?: string[];
  /** The capabilities the host can give (privileged, add ALL). @default ALL_CAPABILITIES */
  hostCapabilities?: string[];
  /** Run the process on a terminal (pod spec `tty`): the task is then created with `terminal`. */
  terminal?: boolean;
}

/** Kubernetes' capability names (NET_ADMIN) as OCI's (CAP_NET_ADMIN); ALL stays ALL. */
export function capName(name: string): string {
  const upper = name.toUpperCase();
  return upper === 'ALL' || upper.startsWith('CAP_') ? upper : `CAP_${upper}`;
}

/** The effective capability set: defaults (or all, privileged), plus adds, minus drops ('ALL' drops every default). */
export function capabilities(input: Pick<SpecInput, 'privileged' | 'capabilitiesAdd' | 'capabilitiesDrop' | 'hostCapabilities'>): string[] {
  const all = input.hostCapabilities ?? ALL_CAPABILITIES;
  if (input.privileged) return [...all];
  const drop = (input.capabilitiesDrop ?? []).map(capName);
  const add = (input.capabilitiesAdd ?? []).map(capName);
  let caps = drop.includes('ALL') ? [] : DEFAULT_CAPABILITIES.filter((c) => !drop.includes(c));
  caps = add.includes('ALL') ? [...all] : [...caps, ...add.filter((c) => !caps.includes(c))];
  return caps;
}

/** Builds the OCI spec of a task. */
export function buildSpec(input: SpecInput): OciSpec {
  const caps = capabilities(input);
  const namespaces: OciSpec['linux']['namespaces'] = [{ type: 'pid' }, { type: 'mount' }];
  for (const type of ['ipc', 'uts', 'network'] as const) {
    if (input.host?.includes(type as 'network' | 'uts')) continue;
    const p = input.join[type];
    namespaces.push(p ? { type, path: p } : { type });
  }
  const resources: OciSpec['linux']['resources'] = {
    devices: input.privileged ? [{ allow: true, access: 'rwm' }] : [{ allow: false, access: 'rwm' }],
  };
  if (input.memoryBytes !== undefined && input.memoryBytes > 0) {
    const limit = Math.round(input.memoryBytes);
    resources.memory = { limit, swap: limit }; // no swap: over the limit means an OOM kill
  }
  if (input.cpuMillis !== undefined && input.cpuMillis > 0) {
    const period = 100_000;
    resources.cpu = { quota: Math.max(1000, Math.round((input.cpuMillis * period) / 1000)), period };
  }
  const spec: OciSpec = {
    ociVersion: '1.0.2-dev',
    process: {
      terminal: input.terminal ?? false,
      user: { uid: input.uid, gid: input.gid },
      args: input.args,
      env: input.env,
      cwd: input.cwd || '/',
      capabilities: { bounding: caps, effective: caps, permitted: caps },
      rlimits: [{ type: 'RLIMIT_NOFILE', hard: 1024, soft: 1024 }],
      noNewPrivileges: false,
    },
    root: { path: 'rootfs', readonly: input.readonlyRoot ?? false },
    mounts: [...defaultMounts(), ...input.mounts],
    linux: { resources, cgroupsPath: input.cgroupsPath, namespaces },
  };
  if (input.hostname && !input.host?.includes('uts')) spec.hostname = input.hostname;
  if (!input.privileged) {
    spec.linux.maskedPaths = MASKED_PATHS;
    spec.linux.readonlyPaths = READONLY_PATHS;
  }
  return spec;
}

/**
 * The process's arguments with Kubernetes semantics: `command` replaces the image's ENTRYPOINT
 * and drops its CMD; `args` replaces CMD only.
 */
export function processArgs(image: { Entrypoint?: string[] | null; Cmd?: string[] | null }, command?: string[], args?: string[]): string[] {
  if (command && command.length > 0) return [...command, ...(args ?? [])];
  return [...(image.Entrypoint ?? []), ...(args && args.length > 0 ? args : (image.Cmd ?? []))];
}

/** Merges the image's env with the container's (the container wins), keeping the image's order. */
export function mergeEnv(imageEnv: string[] | undefined, env: Record<string, string>): string[] {
  const out = new Map<string, string>();
  for (const e of imageEnv ?? []) {
    const i = e.indexOf('=');
    out.set(i < 0 ? e : e.slice(0, i), i < 0 ? '' : e.slice(i + 1));
  }
  for (const [k, v] of Object.entries(env)) out.set(k, v);
  if (!out.has('PATH')) out.set('PATH', '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin');
  return [...out].map(([k, v]) => `${k}=${v}`);
}

/** The numeric user of an image's `User` (`uid`, `uid:gid`); names resolve to root (see the README). */
export function imageUser(user: string | undefined): { uid: number; gid: number } {
  const [u, g] = (user ?? '').split(':');
  const uid = /^\d+$/.test(u ?? '') ? Number(u) : 0;
  const gid = /^\d+$/.test(g ?? '') ? Number(g) : uid;
  return { uid, gid };
}
