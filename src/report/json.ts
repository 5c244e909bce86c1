// The JSON report: the stable contract (schemaVersion 1, schema/report.schema.json).
// Keys come out in the order the contract lists them, so diffs of two reports stay readable,
// whatever order the stages happened to build the objects in. Fields this file does not know yet
// (the contract allows additions) are kept, after the known ones.
import type { Report } from '../model.js';
import { escapeJsonText } from './escape.js';

type Json = unknown;
type Order = { keys: readonly string[]; children?: Record<string, Shape> };
/** How to order a value: an object's keys, or the shape of each element of an array. */
type Shape = Order | { each: Shape };

const FLOW_END: Order = { keys: ['detail', 'line', 'column'] };

const FINDING: Order = {
  keys: [
    'rule', 'file', 'line', 'column', 'detail', 'snippet',
    'message', 'reachable', 'installTime', 'flow', 'expected', 'expectedReason',
  ],
  children: { flow: { keys: ['source', 'sink'], children: { source: FLOW_END, sink: FLOW_END } } },
};

const SCORE_ITEM: Order = { keys: ['points', 'reason', 'rule', 'file', 'line'] };

const PACKAGE: Order = {
  keys: [
    'name', 'version', 'location', 'dev', 'optional', 'peer', 'score', 'level', 'env',
    'capabilities', 'reasons', 'findings', 'paths',
    'integrity', 'scoreBreakdown', 'warnings', 'files', 'bytes',
  ],
  children: {
    env: { keys: ['reads', 'secretReads', 'dynamic', 'bulk', 'writes'] },
    findings: { each: FINDING },
    scoreBreakdown: { each: SCORE_ITEM },
  },
};

const REPORT: Order = {
  keys: ['schemaVersion', 'tool', 'generatedAt', 'root', 'summary', 'packages', 'warnings'],
  children: {
    tool: { keys: ['name', 'version'] },
    root: { keys: ['name', 'version', 'path'] },
    summary: {
      keys: ['packages', 'files', 'bytes', 'parseErrors', 'byLevel', 'durationMs'],
      children: { byLevel: { keys: ['critical', 'high', 'medium', 'low', 'none'] } },
    },
    packages: { each: PACKAGE },
  },
};

function isPlainObject(v: Json): v is Record<string, Json> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function order(value: Json, shape: Shape | undefined): Json {
  if (!shape) return value;
  if ('each' in shape) return Array.isArray(value) ? value.map((v) => order(v, shape.each)) : value;
  if (!isPlainObject(value)) return value;
  const out: Record<string, Json> = {};
  for (const key of shape.keys) {
    if (key in value) out[key] = order(value[key], shape.children?.[key]);
  }
  for (const key of Object.keys(value)) {
    if (!(key in out)) out[key] = value[key];
  }
  return out;
}

/** The contract's JSON: 2-space indent, contract key order, trailing newline. */
export function renderJson(report: Report): string {
  return escapeJsonText(JSON.stringify(order(report, REPORT), null, 2)) + '\n';
}
