// The run-time recorder's overhead on a real command (BENCHMARKS.md, "Trace overhead"):
//   node dist/bench/trace-overhead.js [--reps N] -- <command …>
// Runs the command plain and under `env-audit trace`, alternating, N times each, and prints the
// medians (wall and CPU of the whole process tree, from /usr/bin/time) with the load average.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { readTrace } from '../src/trace/read.js';

const CLI = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'bin', 'env-audit.js');

interface Run {
  wall: number;
  cpu: number;
  status: number | null;
  load: number;
}

function timed(command: string[]): Run {
  const load = os.loadavg()[0];
  const r = spawnSync('/usr/bin/time', ['-f', '%e %U %S', ...command], { encoding: 'utf8', stdio: ['ignore', 'ignore', 'pipe'], maxBuffer: 256 * 1024 * 1024 });
  const last = r.stderr.trim().split('\n').pop() ?? '';
  const [wall, user, sys] = last.split(' ').map(Number);
  return { wall, cpu: user + sys, status: r.status, load };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

function main(argv: string[]): void {
  const sep = argv.indexOf('--');
  if (sep < 0 || sep === argv.length - 1) throw new Error('usage: trace-overhead.js [--reps N] -- <command …>');
  const repsAt = argv.indexOf('--reps');
  const reps = repsAt >= 0 && repsAt < sep ? Number(argv[repsAt + 1]) : 3;
  const command = argv.slice(sep + 1);
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'env-audit-overhead-')), 'trace.jsonl');
  const plain: Run[] = [];
  const traced: Run[] = [];
  for (let i = 0; i < reps; i++) {
    plain.push(timed(command));
    traced.push(timed([process.execPath, CLI, 'trace', '--out', out, '--', ...command]));
  }
  const t = readTrace(out);
  const fmt = (runs: Run[]): string =>
    `wall median ${median(runs.map((r) => r.wall)).toFixed(1)} s (min ${Math.min(...runs.map((r) => r.wall)).toFixed(1)}, max ${Math.max(...runs.map((r) => r.wall)).toFixed(1)}), ` +
    `CPU median ${median(runs.map((r) => r.cpu)).toFixed(1)} s, exit ${[...new Set(runs.map((r) => r.status))].join('/')}, load ${runs.map((r) => r.load.toFixed(1)).join(' ')}`;
  process.stdout.write(`command: ${command.join(' ')}  (${reps} runs each, alternating)\n`);
  process.stdout.write(`plain : ${fmt(plain)}\ntraced: ${fmt(traced)}\n`);
  const ratio = (k: 'wall' | 'cpu'): string => (median(traced.map((r) => r[k])) / median(plain.map((r) => r[k]))).toFixed(2);
  process.stdout.write(`traced/plain: wall ${ratio('wall')}, CPU ${ratio('cpu')}\n`);
  const pkgs = new Set(t.events.map((e) => e.location)).size;
  process.stdout.write(`last trace: ${t.processes} processes/threads, ${t.events.length} distinct events over ${pkgs} packages (incl. the project)\n`);
  fs.rmSync(path.dirname(out), { recursive: true, force: true });
}

main(process.argv.slice(2));
