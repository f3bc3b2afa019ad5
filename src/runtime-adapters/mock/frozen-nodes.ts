/**
 * Lost machines in the mock: a frozen node's containers stop changing (their timers are held
 * until unfreeze) and calls about them fail or hang, as calls to an unreachable host would.
 */

/** Thrown by a MockRuntime call about a container or sandbox on a frozen node. */
export class MockNodeUnreachableError extends Error {
  constructor(readonly node: string) {
    super(`mock runtime: node "${node}" is unreachable (frozen)`);
    this.name = 'MockNodeUnreachableError';
  }
}

/** FrozenNodes tracks which nodes are frozen, the changes held for them, and calls waiting on them. */
export class FrozenNodes {
  private readonly held = new Map<string, Array<() => void>>();
  private readonly waiting = new Map<string, Array<() => void>>();

  constructor(private readonly mode: 'fail' | 'hang') {}

  freeze(node: string): void {
    if (!this.held.has(node)) this.held.set(node, []);
  }

  /** Unfreezes a node: held changes apply in order, then waiting calls go on. */
  unfreeze(node: string): void {
    const held = this.held.get(node);
    if (!held) return;
    this.held.delete(node);
    for (const fn of held) fn();
    const waiting = this.waiting.get(node) ?? [];
    this.waiting.delete(node);
    for (const fn of waiting) fn();
  }

  isFrozen(node: string | undefined): boolean {
    return node !== undefined && this.held.has(node);
  }

  /** Runs `fn` now, or when the node is unfrozen. */
  run(node: string | undefined, fn: () => void): void {
    const held = node === undefined ? undefined : this.held.get(node);
    if (held) held.push(fn);
    else fn();
  }

  /** Resolves at once for a reachable node; for a frozen one, rejects or waits for unfreeze. */
  gate(node: string | undefined): Promise<void> | undefined {
    if (!this.isFrozen(node)) return undefined;
    const name = node as string;
    if (this.mode === 'fail') return Promise.reject(new MockNodeUnreachableError(name));
    return new Promise((resolve) => {
      let list = this.waiting.get(name);
      if (!list) this.waiting.set(name, (list = []));
      list.push(resolve);
    });
  }
}
