// Where output goes and how it looks: colour only on a TTY without NO_COLOR, progress only on a
// TTY outside CI. Report files: see write-report.ts.

export function useColor(stream: NodeJS.WriteStream, env: NodeJS.ProcessEnv = process.env): boolean {
  if ('NO_COLOR' in env && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR && env.FORCE_COLOR !== '0') return true;
  return !!stream.isTTY && env.TERM !== 'dumb';
}

/** A single status line on stderr, redrawn in place; a no-op when progress is off. */
export function progressLine(enabled: boolean): { update(text: string): void; done(): void } {
  if (!enabled) return { update() {}, done() {} };
  let last = 0;
  let shown = false;
  return {
    update(text: string) {
      const now = Date.now();
      if (now - last < 100) return;
      last = now;
      shown = true;
      const width = process.stderr.columns || 80;
      process.stderr.write('\r\x1b[2K' + text.slice(0, width - 1));
    },
    done() {
      if (shown) process.stderr.write('\r\x1b[2K');
    },
  };
}
