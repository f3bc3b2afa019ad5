import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isClaimable, ownerState, parseOwner, reclaimable, RuntimeInstance } from '../../../src/runtime-adapters/instance.js';
import { RUNTIME_LABELS } from '../../../src/runtime-adapters/types.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tugboat-instance-test-'));
});
afterEach(async () => rm(dir, { recursive: true, force: true }));

/** The labels of an instance whose owner fields are changed as given. */
function withOwner(instance: RuntimeInstance, change: Record<string, unknown>): Record<string, string> {
  const owner = { ...instance.owner, ...change };
  return { ...instance.labels, [RUNTIME_LABELS.owner]: JSON.stringify(owner) };
}

describe('RuntimeInstance: who owns a runtime object, and whether that owner is gone', () => {
  it('is alive while it holds its record (0600 in a 0700 folder), gone once released, and "self" to itself', async () => {
    const a = RuntimeInstance.create('x', { recordDir: join(dir, 'records') });
    const b = RuntimeInstance.create('x', { recordDir: join(dir, 'records') });
    expect(a.id).not.toBe(b.id);
    await a.acquire();
    await b.acquire();
    expect((await stat(a.owner.record)).mode & 0o777).toBe(0o600);
    expect((await stat(join(dir, 'records'))).mode & 0o777).toBe(0o700);
    expect(ownerState(a.labels, a)).toBe('self');
    expect(ownerState(a.labels, b)).toBe('alive'); // two live clusters of one name in one process
    expect(isClaimable(a.labels, b)).toBe(false);
    await a.release();
    expect(ownerState(a.labels, b)).toBe('gone'); // stopped, though its process lives on
    expect(isClaimable(a.labels, b)).toBe(true);
    await b.release();
  });

  it('is gone when its process is gone (a SIGKILL), or the pid was reused by another process', async () => {
    const a = RuntimeInstance.create('x', { recordDir: dir });
    await a.acquire();
    const child = spawnSync(process.execPath, ['-e', '0']);
    expect(child.pid).toBeGreaterThan(0);
    expect(ownerState(withOwner(a, { pid: child.pid }))).toBe('gone');
    if (a.owner.start) expect(ownerState(withOwner(a, { start: a.owner.start + 1 }))).toBe('gone');
    expect(ownerState(a.labels)).toBe('alive');
    await a.release();
  });

  it('a gone owner whose instance a live process resumed (same id, its record taken over) counts as alive', async () => {
    const dead = spawnSync(process.execPath, ['-e', '0']).pid;
    const a = RuntimeInstance.create('x', { recordDir: dir });
    const deadOwner = { ...a.owner, pid: dead, start: a.owner.start + 1 };
    // The record a SIGKILLed owner left behind.
    await writeFile(a.owner.record, JSON.stringify({ id: a.id, cluster: 'x', owner: deadOwner }));
    const labels = withOwner(a, { pid: dead, start: a.owner.start + 1 });
    expect(ownerState(labels)).toBe('gone');
    const resumed = RuntimeInstance.create('x', { recordDir: dir, id: a.id });
    await resumed.acquire();
    expect(ownerState(labels)).toBe('alive');
    expect(ownerState(labels, resumed)).toBe('self');
    // Another gone owner of the same id that the record does not name stays gone.
    expect(ownerState(withOwner(a, { pid: dead, start: a.owner.start + 2 }))).toBe('gone');
    await resumed.release();
    expect(ownerState(labels)).toBe('gone');
    expect(() => RuntimeInstance.create('x', { id: 'not-hex' })).toThrow(/12 hex digits/);
  });

  it('a resumable owner killed without a release (a lone agent) is unknown, kept for its restart; released, gone', async () => {
    const dead = spawnSync(process.execPath, ['-e', '0']).pid;
    const agent = RuntimeInstance.create('x', { recordDir: dir, resumable: true });
    expect(parseOwner(agent.labels[RUNTIME_LABELS.owner])).toEqual(agent.owner);
    expect(agent.owner.resumable).toBe(true);
    const deadOwner = { ...agent.owner, pid: dead, start: agent.owner.start + 1 };
    const labels = withOwner(agent, { pid: dead, start: agent.owner.start + 1 });
    // The record a SIGKILLed agent left: another cluster's sweep keeps what it made.
    await writeFile(agent.owner.record, JSON.stringify({ id: agent.id, cluster: 'x', owner: deadOwner, adopted: [] }));
    expect(ownerState(labels)).toBe('unknown');
    expect(isClaimable(labels)).toBe(false);
    expect(reclaimable(labels, new Date())).toBe(false);
    expect(reclaimable(labels, new Date(Date.now() - 60_000), { olderThanMs: 30_000 })).toBe(true);
    // Its restart (the id its Node keeps) adopts it: alive to others, its own to itself.
    const restarted = RuntimeInstance.create('x', { recordDir: dir, id: agent.id, resumable: true });
    await restarted.acquire();
    expect(ownerState(labels)).toBe('alive');
    expect(ownerState(labels, restarted)).toBe('self');
    // Stopped cleanly (record released): gone, as any owner's.
    await restarted.release();
    expect(ownerState(labels)).toBe('gone');
    // The same death without `resumable` is gone at once.
    const plain = RuntimeInstance.create('x', { recordDir: dir });
    await writeFile(plain.owner.record, JSON.stringify({ id: plain.id, cluster: 'x', owner: { ...plain.owner, pid: dead }, adopted: [] }));
    expect(ownerState(withOwner(plain, { pid: dead, start: plain.owner.start + 1 }))).toBe('gone');
  });

  it('another machine or pid namespace cannot be checked (unknown: kept); this host after a reboot is gone', async () => {
    const a = RuntimeInstance.create('x', { recordDir: dir });
    expect(ownerState(withOwner(a, { host: 'another-machine', boot: 'other-boot' }))).toBe('unknown');
    expect(ownerState(withOwner(a, { pidns: 'pid:[1]' }))).toBe('unknown');
    if (a.owner.boot) expect(ownerState(withOwner(a, { boot: 'an-earlier-boot' }))).toBe('gone');
    expect(isClaimable(withOwner(a, { host: 'another-machine' }))).toBe(false);
  });

  it('unowned objects are claimable by an agent but reclaimed only when older than olderThanMs', () => {
    const legacy = { [RUNTIME_LABELS.cluster]: 'x' };
    expect(ownerState(legacy)).toBe('unknown');
    expect(isClaimable(legacy)).toBe(true);
    const old = new Date(Date.now() - 60_000);
    expect(reclaimable(legacy, old)).toBe(false);
    expect(reclaimable(legacy, old, { olderThanMs: 30_000 })).toBe(true);
    expect(reclaimable(legacy, new Date(), { olderThanMs: 30_000 })).toBe(false);
  });

  it('never reclaims a live owner, whatever its age; always a gone one', async () => {
    const a = RuntimeInstance.create('x', { recordDir: dir });
    await a.acquire();
    const old = new Date(0);
    expect(reclaimable(a.labels, old, { olderThanMs: 1 })).toBe(false);
    expect(reclaimable(a.labels, old, {}, a)).toBe(false);
    await a.release();
    expect(reclaimable(a.labels, new Date())).toBe(true);
    expect(parseOwner('not json')).toBeUndefined();
    expect(parseOwner(a.labels[RUNTIME_LABELS.owner])).toEqual(a.owner);
  });
});
