/**
 * The `fit()` progress display: a bar with loss, metrics and ETA on a terminal (the npm
 * `progress` package, loaded only then), one line per epoch otherwise.
 *
 * @module
 */

type Bar = { tick(tokens: Record<string, string>): void; terminate(): void };

function fmtLogs(logs: Record<string, number>): string {
  return Object.entries(logs).map(([k, v]) => `${k}: ${v.toFixed(4)}`).join(" - ");
}

/** One epoch's progress output. */
export class ProgressLine {
  readonly #bar: Bar;
  readonly #epoch: number;
  readonly #epochs: number;
  private constructor(bar: Bar, epoch: number, epochs: number) {
    this.#bar = bar;
    this.#epoch = epoch;
    this.#epochs = epochs;
  }

  /** A bar on a terminal, or null when stdout is not one. */
  static async start(epoch: number, epochs: number, batches: number): Promise<ProgressLine | null> {
    if (!Deno.stdout.isTerminal()) return null;
    const [{ default: ProgressBar }, { default: process }] = await Promise.all([
      import("npm:progress@2.0.3"),
      import("node:process"),
    ]);
    const bar = new ProgressBar(
      `Epoch ${epoch + 1}/${epochs} [:bar] :current/:total ETA :etas :logs`,
      {
        total: batches,
        width: 24,
        stream: process.stdout,
        clear: true,
      },
    );
    return new ProgressLine(bar, epoch, epochs);
  }

  /** Advances by one batch, showing the running averages. */
  tick(logs: Record<string, number>): void {
    this.#bar.tick({ logs: fmtLogs(logs) });
  }

  /** Replaces the bar with the epoch's summary line. */
  finish(logs: Record<string, number>, seconds: number): void {
    this.#bar.terminate();
    ProgressLine.line(this.#epoch, this.#epochs, logs, seconds);
  }

  /** Prints one summary line for an epoch. */
  static line(epoch: number, epochs: number, logs: Record<string, number>, seconds: number): void {
    console.log(`Epoch ${epoch + 1}/${epochs} - ${seconds.toFixed(1)}s - ${fmtLogs(logs)}`);
  }
}
