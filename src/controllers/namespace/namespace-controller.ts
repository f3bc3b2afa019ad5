import type { KubeObject, Namespace, WatchEvent } from '../../model/types.js';
import type { ResourceType } from '../../model/resource-type.js';
import { apiVersionOf } from '../../model/resource-type.js';
import { setMaxListeners } from 'node:events';
import { TugboatError } from '../../model/errors.js';
import type { ApiContext } from '../../client/types.js';
import { NAMESPACE_FINALIZER } from '../../model/well-known.js';
import { listWatch } from '../../client/list-watch.js';

/**
 * Empties a namespace being deleted: deletes everything in it, waits (by watching, not polling)
 * until nothing is left, then releases the namespace's `kubernetes` finalizer so it goes away.
 */
export class NamespaceController {
  private readonly abort = new AbortController();
  private readonly active = new Map<string, Promise<void>>();
  private loop: Promise<void> | undefined;

  constructor(
    private readonly ctx: ApiContext,
    private readonly kinds: () => ResourceType[],
  ) {
    setMaxListeners(0, this.abort.signal);
  }

  async start(): Promise<void> {
    const client = this.ctx.client<Namespace>('v1', 'Namespace');
    this.loop = listWatch(
      client,
      {
        onSync: (objects) => objects.forEach((o) => this.consider(o)),
        onEvent: (event: WatchEvent) => {
          if (event.type !== 'DELETED') this.consider(event.object);
        },
      },
      { signal: this.abort.signal },
    ).catch(() => {});
  }

  async stop(): Promise<void> {
    this.abort.abort();
    await this.loop;
    await Promise.allSettled(this.active.values());
  }

  private consider(ns: KubeObject): void {
    const name = ns.metadata.name ?? '';
    const finalizers = (ns.spec as { finalizers?: string[] } | undefined)?.finalizers ?? [];
    if (!ns.metadata.deletionTimestamp || !finalizers.includes(NAMESPACE_FINALIZER) || this.active.has(name)) return;
    const work = this.empty(name)
      .catch(() => {})
      .finally(() => this.active.delete(name));
    this.active.set(name, work);
  }

  /** Deletes every object of every namespaced kind in `ns`, then finalizes it once all are gone. */
  private async empty(ns: string): Promise<void> {
    const kinds = this.kinds().filter((k) => k.namespaced && !(k.group === '' && k.kind === 'Event'));
    const remaining = new Map<string, Set<string>>();
    let resolveEmpty!: () => void;
    const emptied = new Promise<void>((r) => (resolveEmpty = r));
    const check = (): void => {
      if ([...remaining.values()].every((s) => s.size === 0) && remaining.size === kinds.length) resolveEmpty();
    };
    const local = new AbortController();
    setMaxListeners(0, local.signal);
    const stopLocal = (): void => local.abort();
    this.abort.signal.addEventListener('abort', stopLocal, { once: true });
    const watches = kinds.map((type) => {
      const client = this.ctx.client(apiVersionOf(type), type.kind, ns);
      const set = new Set<string>();
      return listWatch(
        client,
        {
          onSync: async (objects) => {
            set.clear();
            for (const o of objects) set.add(o.metadata.name ?? '');
            remaining.set(type.plural + '.' + type.group, set);
            await Promise.all(objects.map((o) => this.deleteQuietly(client, o)));
            check();
          },
          onEvent: async (event) => {
            const name = event.object.metadata.name ?? '';
            if (event.type === 'DELETED') set.delete(name);
            else {
              set.add(name);
              if (!event.object.metadata.deletionTimestamp) await this.deleteQuietly(client, event.object);
            }
            check();
          },
        },
        { signal: local.signal },
      ).catch(() => {});
    });
    await Promise.race([emptied, new Promise<void>((r) => this.abort.signal.addEventListener('abort', () => r(), { once: true }))]);
    local.abort();
    this.abort.signal.removeEventListener('abort', stopLocal);
    await Promise.allSettled(watches);
    if (this.abort.signal.aborted) return;
    // Events go with the namespace without holding it.
    const events = this.ctx.client('v1', 'Event', ns);
    for (const e of (await events.list()).items) await this.deleteQuietly(events, e);
    await this.finalize(ns);
  }

  private async deleteQuietly(client: ReturnType<ApiContext['client']>, obj: KubeObject): Promise<void> {
    if (obj.metadata.deletionTimestamp) return;
    try {
      await client.delete(obj.metadata.name ?? '', { propagationPolicy: 'Background' });
    } catch (err) {
      if (!TugboatError.is(err, 'NotFound') && !TugboatError.is(err, 'Conflict')) throw err;
    }
  }

  private async finalize(ns: string): Promise<void> {
    const client = this.ctx.client<Namespace>('v1', 'Namespace');
    for (let attempt = 0; attempt < 10; attempt++) {
      const current = await client.find(ns);
      if (!current) return;
      const finalizers = (current.spec?.finalizers ?? []).filter((f) => f !== NAMESPACE_FINALIZER);
      try {
        await client.update({ ...current, spec: { ...current.spec, finalizers } });
        return;
      } catch (err) {
        if (TugboatError.is(err, 'NotFound')) return;
        if (!TugboatError.is(err, 'Conflict')) throw err;
      }
    }
  }
}
