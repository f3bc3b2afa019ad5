/**
 * Pod networking through CNI: the plugins of a network configuration list (bridge + host-local,
 * optionally portmap) run as the CNI specification says (the plugin binary, CNI_* environment,
 * the network config on stdin, the result on stdout) on the sandbox task's network namespace,
 * plus the loopback plugin for `lo`. The ADD result is kept so DEL can hand it back (and so a
 * restarted process can still tear the network down).
 */
import { spawn } from 'node:child_process';
import { access, readFile } from 'node:fs/promises';
import path from 'node:path';
import { TugboatError } from '../../model/errors.js';
import type { PortMapping } from '../types.js';

/** A network configuration list (`.conflist`). */
export interface CniConflist {
  cniVersion: string;
  name: string;
  plugins: Array<{ type: string; capabilities?: Record<string, boolean>; [key: string]: unknown }>;
}

/** A plugin's result (CNI 1.0): interfaces and IPs. */
export interface CniResult {
  cniVersion?: string;
  ips?: Array<{ address: string; gateway?: string; interface?: number }>;
  [key: string]: unknown;
}

/** Where the plugins are and which network pods join. */
export interface CniNetwork {
  binDirs: string[];
  conflist: CniConflist;
}

/** What one attachment is: the container, its netns, the interface and the runtime config. */
export interface CniAttachment {
  containerId: string;
  netns: string;
  ifname: string;
  portMappings?: PortMapping[];
}

/** The loopback network every pod gets for `lo`. */
export const LOOPBACK: CniConflist = { cniVersion: '1.0.0', name: 'cni-loopback', plugins: [{ type: 'loopback' }] };

/** Reads and checks a conflist file; a clear TugboatError when it is missing or not one. */
export async function loadConflist(file: string): Promise<CniConflist> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new TugboatError(
      'ServiceUnavailable',
      `the CNI network list ${file} cannot be read (${(err as Error).message}): run .ci/containerd.sh (it writes a bridge + host-local network there), or pass new ContainerdRuntime({ cni: { conflistPath } })`,
      { kind: 'CniNetwork', name: file },
    );
  }
  const list = JSON.parse(text) as Partial<CniConflist>;
  if (typeof list.name !== 'string' || !Array.isArray(list.plugins) || list.plugins.length === 0) {
    throw new TugboatError('Invalid', `${file} is not a CNI network configuration list (it needs "name" and "plugins")`, {
      kind: 'CniNetwork',
      name: file,
    });
  }
  return { cniVersion: list.cniVersion ?? '1.0.0', name: list.name, plugins: list.plugins };
}

/**
 * The config one plugin reads on stdin (pure): its own entry with the list's name and version,
 * the previous plugin's result, and the runtime config its capabilities ask for (portMappings).
 */
export function pluginConfig(
  list: CniConflist,
  index: number,
  prevResult: CniResult | undefined,
  at: CniAttachment,
): Record<string, unknown> {
  const plugin = list.plugins[index];
  const conf: Record<string, unknown> = { ...plugin, cniVersion: list.cniVersion, name: list.name };
  if (prevResult) conf.prevResult = prevResult;
  if (plugin.capabilities?.portMappings && at.portMappings?.length) {
    conf.runtimeConfig = {
      portMappings: at.portMappings
        .filter((p) => p.hostPort)
        .map((p) => ({
          hostPort: p.hostPort,
          containerPort: p.containerPort,
          protocol: (p.protocol ?? 'TCP').toLowerCase(),
          ...(p.hostIP ? { hostIP: p.hostIP } : {}),
        })),
    };
  }
  return conf;
}

/** The pod IP of an ADD result: its first IPv4 address (else the first), without the prefix length. */
export function podIp(result: CniResult | undefined): string {
  const ips = result?.ips ?? [];
  const v4 = ips.find((i) => !i.address.includes(':')) ?? ips[0];
  return v4 ? v4.address.split('/')[0] : '';
}

async function findPlugin(binDirs: string[], type: string): Promise<string> {
  for (const dir of binDirs) {
    const file = path.join(dir, type);
    if (
      await access(file).then(
        () => true,
        () => false,
      )
    )
      return file;
  }
  throw new TugboatError(
    'ServiceUnavailable',
    `the CNI plugin "${type}" is in none of ${binDirs.join(', ')}: install the CNI plugins (Debian: apt-get install containernetworking-plugins) or set cni.binDirs`,
    { kind: 'CniPlugin', name: type },
  );
}

/** Runs one plugin; resolves with its parsed stdout, rejects with its CNI error message. */
function execPlugin(file: string, command: 'ADD' | 'DEL', conf: object, at: CniAttachment, binDirs: string[]): Promise<CniResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, [], {
      env: {
        PATH: process.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin',
        CNI_COMMAND: command,
        CNI_CONTAINERID: at.containerId,
        CNI_NETNS: at.netns,
        CNI_IFNAME: at.ifname,
        CNI_PATH: binDirs.join(':'),
      },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => err.push(d));
    child.on('error', reject);
    child.on('close', (code) => {
      const text = Buffer.concat(out).toString('utf8').trim();
      if (code === 0) {
        try {
          resolve(text ? (JSON.parse(text) as CniResult) : {});
        } catch {
          resolve({});
        }
        return;
      }
      let message = Buffer.concat(err).toString('utf8').trim() || text;
      try {
        const e = JSON.parse(text) as { msg?: string; details?: string };
        message = [e.msg, e.details].filter(Boolean).join(': ') || message;
      } catch {
        // not a CNI error object
      }
      reject(
        new TugboatError('InternalError', `CNI ${command} (${path.basename(file)}) for ${at.containerId} failed: ${message}`, {
          kind: 'CniPlugin',
          name: path.basename(file),
        }),
      );
    });
    child.stdin.end(JSON.stringify(conf));
  });
}

/** ADD: runs the list's plugins in order, each given the previous one's result; returns the last result. */
export async function cniAdd(net: CniNetwork, at: CniAttachment): Promise<CniResult> {
  let result: CniResult | undefined;
  for (let i = 0; i < net.conflist.plugins.length; i++) {
    const file = await findPlugin(net.binDirs, net.conflist.plugins[i].type);
    const next = await execPlugin(file, 'ADD', pluginConfig(net.conflist, i, result, at), at, net.binDirs);
    result = next && Object.keys(next).length > 0 ? next : result;
  }
  return result ?? {};
}

/** DEL: runs the list's plugins in reverse order with the ADD result; every plugin runs even if one fails. */
export async function cniDel(net: CniNetwork, at: CniAttachment, prevResult?: CniResult): Promise<void> {
  let first: unknown;
  for (let i = net.conflist.plugins.length - 1; i >= 0; i--) {
    try {
      const file = await findPlugin(net.binDirs, net.conflist.plugins[i].type);
      await execPlugin(file, 'DEL', pluginConfig(net.conflist, i, prevResult, at), at, net.binDirs);
    } catch (err) {
      first ??= err;
    }
  }
  if (first) throw first;
}
