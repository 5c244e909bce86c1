// Terminal colour, only when the caller asks for it (the CLI decides: a TTY and no NO_COLOR).
// With colour off these return the text untouched, so plain output never holds an ESC byte.
import type { Level } from '../model.js';

const SGR = {
  bold: ['1', '22'],
  dim: ['2', '22'],
  red: ['31', '39'],
  yellow: ['33', '39'],
  magenta: ['35', '39'],
  cyan: ['36', '39'],
  gray: ['90', '39'],
} as const;

export type Style = keyof typeof SGR;

export function paint(color: boolean | undefined, text: string, ...styles: Style[]): string {
  if (!color || styles.length === 0 || text === '') return text;
  let out = text;
  for (const s of styles) out = `\u001b[${SGR[s][0]}m${out}\u001b[${SGR[s][1]}m`;
  return out;
}

const LEVEL_STYLE: Record<Level, Style[]> = {
  critical: ['red', 'bold'],
  high: ['yellow'],
  medium: ['magenta'],
  low: ['cyan'],
  none: ['gray'],
};

export function paintLevel(color: boolean | undefined, level: Level, text: string = level): string {
  return paint(color, text, ...LEVEL_STYLE[level]);
}
