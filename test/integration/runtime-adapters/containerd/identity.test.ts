/**
 * The identity rule on containerd: two live runtimes of one cluster name (two instances) never
 * reclaim each other's containers, events of another cluster are not seen, a gone owner's
 * sandbox and containers are reclaimed (task, snapshot, network, folders), and a runtime
 * reopened in the same instance adopts its running containers' logs.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { RealClock } from '../../../../src/clock/real-clock.js';
import { ContainerdRuntime } from '../../../../src/runtime-adapters/containerd/index.js';
import { RuntimeInstance } from '../../../../src/runtime-adapters/instance.js';
import { RUNTIME_LABELS, type RuntimeEvent } from '../../../../src/runtime-adapters/types.js';
import { eventually } from '../../../../src/testing.js';
import { CONTAINERD_TEST_NAMESPACE, containerdForTests } from '../../../support/containerd.js';
import { testClusterName } from '../../../support/docker.js';
import { cleanUp, newPod, runIn, shell, sleepy } from './harness.js';

const containerd = await containerdForTests();
const name = testClusterName('containerd-identity');

function runtimeOf(instance: RuntimeInstance, clusterName = name): ContainerdRuntime {
  const r = new ContainerdRuntime({ namespace: CONTAINERD_TEST_NAMESPACE });
  r.bind({ clock: new RealClock(), clusterName, nodeName: 'id-node', instance });
  return r;
}

describe.skipIf(!containerd)('containerd adapter: instances and reclaim', { timeout: 60_000 }, () => {
  const a = RuntimeInstance.create(name);
  const b = RuntimeInstance.create(name);
  const ra = runtimeOf(a);
  const rb = runtimeOf(b);
  const other = runtimeOf(RuntimeInstance.create(`${name}-x`), `${name}-x`);
  afterAll(async () => {
    await cleanUp(ra);
    await cleanUp(rb);
    await cleanUp(other);
    await a.release();
    await b.release();
  });

  it("a live instance keeps its pods through the other instance's reclaim; events of another cluster are not seen", async () => {
    const ac = new AbortController();
    const seen: RuntimeEvent[] = [];
    const reading = (async () => {
      for await (const e of ra.events(ac.signal)) seen.push(e);
    })();
    const pa = await newPod(ra);
    const ca = await runIn(ra, pa.sandbox, shell('a', sleepy));
    const po = await newPod(other);
    const co = await runIn(other, po.sandbox, shell('o', sleepy));
    await rb.reclaim();
    expect((await ra.inspectContainer(ca)).state).toBe('running');
    expect((await ra.inspectSandbox(pa.sandbox.id)).state).toBe('ready');
    await eventually(async () => seen.some((e) => e.containerId === ca && e.type === 'start'), 'the start of a');
    expect(seen.some((e) => e.containerId === co)).toBe(false);
    ac.abort();
    await reading;
  });

  it("a gone owner's pods are reclaimed: tasks, containers, snapshots, network", async () => {
    const gone = RuntimeInstance.create(name);
    const rg = runtimeOf(gone);
    const pg = await newPod(rg);
    const cg = await runIn(rg, pg.sandbox, shell('g', sleepy));
    await rg.close();
    await gone.release(); // the owner's record goes: it counts as gone
    const report = await ra.reclaim();
    expect(report.containers).toBeGreaterThanOrEqual(2);
    await expect(ra.inspectContainer(cg)).rejects.toThrow();
    await expect(ra.inspectSandbox(pg.sandbox.id)).rejects.toThrow();
    const ids = (await promisify(execFile)('ctr', ['-n', CONTAINERD_TEST_NAMESPACE, 'snapshots', 'ls'])).stdout;
    expect(ids).not.toContain(cg);
    expect(ids).not.toContain(pg.sandbox.id);
    const ipFile = `/var/lib/cni/networks/tugboat/${pg.sandbox.ip}`;
    await expect(promisify(execFile)('test', ['-e', ipFile])).rejects.toThrow();
  });

  it('a runtime reopened in the same instance adopts a running container: its later output reaches the log', async () => {
    const p = await newPod(ra);
    const id = await runIn(
      ra,
      p.sandbox,
      shell('ticker', 'i=0; trap "exit 0" TERM; while :; do i=$((i+1)); echo tick-$i; sleep 0.2 & wait $!; done'),
    );
    await eventually(async () => {
      for await (const l of ra.logs(id)) if (l.line === 'tick-2') return true;
      return false;
    }, 'ticks');
    await ra.close(); // the pump stops with it (as a crashed agent's would)
    const again = runtimeOf(a);
    const listed = await again.listContainers({ [RUNTIME_LABELS.podUid]: p.uid });
    expect(listed.map((c) => c.state)).toEqual(['running']);
    const last = async () => {
      const lines: string[] = [];
      for await (const l of again.logs(id)) lines.push(l.line);
      return Number(lines.at(-1)?.slice(5) ?? 0);
    };
    const before = await last();
    await eventually(async () => (await last()) > before + 2, 'new ticks after adoption');
    await again.stopContainer(id, 5000);
    await cleanUp(again);
  });
});
