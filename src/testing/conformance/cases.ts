/**
 * How a conformance suite registers its cases, so an implementation can skip some with a reason
 * (as Hono's shared router cases do): `skip: { 'watch > bookmarks': 'no bookmarks here' }`.
 * A skipped case shows in the report as skipped with its reason; a skip naming no case fails
 * the suite, so a renamed case cannot silently stop being checked.
 */
import { describe, it } from 'vitest';

/** Cases to skip, by name, with the reason: `{ 'group > case': 'why' }`. */
export type SkippedCases = Readonly<Record<string, string>>;

/** The names registered so far, shared by a suite's groups. */
interface Registry {
  readonly skip: SkippedCases;
  readonly seen: Set<string>;
}

/**
 * A suite's case registrar. A case's name is its title, prefixed by the groups it is in
 * (`'create > requires a name or a generateName'`).
 */
export class ConformanceCases {
  private constructor(
    private readonly registry: Registry,
    private readonly path: readonly string[],
  ) {}

  /** A registrar for a suite whose implementation skips `skip`. */
  static of(skip: SkippedCases = {}): ConformanceCases {
    return new ConformanceCases({ skip, seen: new Set() }, []);
  }

  /** A group of cases (a vitest `describe`); its cases are named `<group> > <title>`. */
  group(name: string, register: (cases: ConformanceCases) => void): void {
    const child = new ConformanceCases(this.registry, [...this.path, name]);
    describe(name, () => register(child));
  }

  /** One case (a vitest `it`), skipped with its reason when the implementation asked. */
  case(title: string, fn: () => Promise<unknown> | unknown, timeoutMs?: number): void {
    const name = [...this.path, title].join(' > ');
    this.registry.seen.add(name);
    const reason = this.registry.skip[name];
    if (reason !== undefined) it.skip(`${title} (skipped: ${reason})`, fn, timeoutMs);
    else it(title, fn, timeoutMs);
  }

  /** Adds a case that fails when `skip` names a case the suite does not have. Call it last. */
  checkSkips(): void {
    it('names only existing cases in skip', () => {
      const unknown = Object.keys(this.registry.skip).filter((name) => !this.registry.seen.has(name));
      if (unknown.length > 0) {
        throw new Error(`skip names cases this suite does not have: ${unknown.map((n) => JSON.stringify(n)).join(', ')}`);
      }
    });
  }
}
