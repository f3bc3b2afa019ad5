/**
 * A live table of pods for the demo: lists the pods of a selector, then follows a watch and
 * redraws its lines (plain ANSI escapes) as the pods change. When the output is not a terminal
 * (CI, a pipe), it prints one line per change instead.
 */
import type { Pod, ResourceClient } from '../../src/index.js';

const COLUMNS = ['NAME', 'NODE', 'STATUS', 'READY', 'RESTARTS', 'IMAGE'] as const;
const WIDTHS = [24, 8, 17, 6, 9, 22];

/** One pod as a table row. */
function row(pod: Pod): string[] {
  const statuses = pod.status?.containerStatuses ?? [];
  const ready = statuses.filter((c) => c.ready).length;
  // As kubectl's STATUS column: a waiting or terminated container's reason wins over the phase.
  const state = statuses[0]?.state;
  const phase = pod.metadata.deletionTimestamp
    ? 'Terminating'
    : (state?.waiting?.reason ?? state?.terminated?.reason ?? pod.status?.phase ?? 'Pending');
  return [
    pod.metadata.name ?? '',
    pod.spec?.nodeName ?? '-',
    phase,
    `${ready}/${pod.spec?.containers.length ?? 0}`,
    String(statuses.reduce((n, c) => n + (c.restartCount ?? 0), 0)),
    pod.spec?.containers[0]?.image ?? '',
  ];
}

const line = (cells: readonly string[]): string =>
  cells
    .map((c, i) => c.padEnd(WIDTHS[i]))
    .join(' ')
    .trimEnd();

/** Follows the pods of a label selector and shows them; `stop()` ends the watch and leaves the last table. */
export class PodTable {
  private readonly rows = new Map<string, string[]>();
  private readonly abort = new AbortController();
  private drawn = 0;
  private following: Promise<void> = Promise.resolve();

  constructor(
    private readonly pods: ResourceClient<Pod>,
    private readonly labelSelector: string,
    private readonly out: NodeJS.WriteStream = process.stdout,
  ) {}

  /** Lists the pods, draws them, and starts following changes. */
  async start(): Promise<void> {
    const list = await this.pods.list({ labelSelector: this.labelSelector });
    for (const pod of list.items) this.rows.set(pod.metadata.name ?? '', row(pod));
    this.draw();
    const watch = this.pods.watch({ labelSelector: this.labelSelector, resourceVersion: list.resourceVersion, signal: this.abort.signal });
    this.following = (async () => {
      try {
        for await (const event of watch) {
          const name = event.object.metadata?.name ?? '';
          if (event.type === 'DELETED') this.change(name, undefined);
          else if (event.type !== 'BOOKMARK') this.change(name, row(event.object));
        }
      } catch (err) {
        if (!this.abort.signal.aborted) throw err;
      }
    })();
  }

  /** Ends the watch. */
  async stop(): Promise<void> {
    this.abort.abort();
    await this.following;
  }

  /** Prints a line above the live table (on a terminal), or in the flow of changes. */
  note(text: string): void {
    if (!this.out.isTTY) {
      this.out.write(`${text}\n`);
      return;
    }
    // Up over the table, clear from there to the end of the screen, the note, then the table again.
    this.out.write(`${this.drawn > 0 ? `\x1b[${this.drawn}A` : ''}\x1b[0J${text}\n`);
    this.drawn = 0;
    this.draw();
  }

  private change(name: string, cells: string[] | undefined): void {
    const before = this.rows.get(name);
    if (cells && before && line(cells) === line(before)) return;
    if (cells) this.rows.set(name, cells);
    else this.rows.delete(name);
    if (this.out.isTTY) this.draw();
    else this.out.write(`  ${cells ? line(cells) : `${name.padEnd(WIDTHS[0])} (deleted)`}\n`);
  }

  /** On a terminal: moves up over the last table, clears it and writes the new one. */
  private draw(): void {
    const lines = [line(COLUMNS), ...[...this.rows.keys()].sort().map((n) => line(this.rows.get(n) ?? []))];
    if (!this.out.isTTY) {
      this.out.write(lines.map((l) => `  ${l}\n`).join(''));
      return;
    }
    let text = this.drawn > 0 ? `\x1b[${this.drawn}A` : '';
    for (const l of lines) text += `\x1b[2K  ${l}\n`;
    // Clear the lines left over from a longer previous table.
    for (let i = lines.length; i < this.drawn; i++) text += '\x1b[2K\n';
    if (this.drawn > lines.length) text += `\x1b[${this.drawn - lines.length}A`;
    this.out.write(text);
    this.drawn = lines.length;
  }
}
