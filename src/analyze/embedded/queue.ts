// Embedded code a detector finds while a file is analysed — the text after `node -e` inside an
// exec() string, the body of a `data:text/javascript` import or worker — queued here and analysed
// by analyzeSource after the walk, as a virtual file of the same package (analyzeEmbedded). Analysis
// is synchronous, so a stack of open queues is the nesting: a piece found inside a piece is queued
// on the inner file's queue.
import type { EmbeddedCode } from './virtual-file.js';

/** at most this many pieces per file: a file that embeds more is still analysed, the rest are not. */
const MAX_PIECES = 20;

const open: EmbeddedCode[][] = [];

/** Queue a piece found in the file being analysed (ignored outside analyzeSource). */
export function queueEmbedded(piece: EmbeddedCode): void {
  const top = open[open.length - 1];
  if (top && top.length < MAX_PIECES && !top.some((p) => p.path === piece.path)) top.push(piece);
}

/** Run the analysis of one file with a queue open; returns what it queued. */
export function withEmbeddedQueue<T>(run: () => T): { value: T; pieces: EmbeddedCode[] } {
  const mine: EmbeddedCode[] = [];
  open.push(mine);
  try {
    return { value: run(), pieces: mine };
  } finally {
    open.pop();
  }
}
