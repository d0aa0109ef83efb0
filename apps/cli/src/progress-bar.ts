/** A one-line progress display on stderr: redrawn in place on a terminal, a line every few seconds otherwise. */
export class ProgressBar {
  private lastDraw = 0;

  constructor(
    private readonly out: NodeJS.WriteStream = process.stderr,
    private readonly width = 30,
  ) {}

  static line(label: string, done: number, total: number, rate: number, width = 30, unit = 'events'): string {
    const ratio = total > 0 ? Math.min(1, done / total) : 1;
    const filled = Math.round(ratio * width);
    const bar = `${'█'.repeat(filled)}${'░'.repeat(width - filled)}`;
    const pct = `${(ratio * 100).toFixed(1).padStart(5)}%`;
    return `${label} [${bar}] ${pct} ${done.toLocaleString('en-US')}/${total.toLocaleString('en-US')} · ${Math.round(rate).toLocaleString('en-US')} ${unit}/s`;
  }

  update(label: string, done: number, total: number, rate: number, final = false, unit = 'events'): void {
    const now = Date.now();
    const tty = Boolean(this.out.isTTY);
    if (!final && now - this.lastDraw < (tty ? 100 : 5000)) return;
    this.lastDraw = now;
    const text = ProgressBar.line(label, done, total, rate, this.width, unit);
    this.out.write(tty ? `\r${text}${final ? '\n' : ''}` : `${text}\n`);
  }
}
