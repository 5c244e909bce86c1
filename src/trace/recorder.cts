// The run-time recorder, a preload for the program env-audit traces:
//   NODE_OPTIONS="--require /path/to/dist/src/trace/recorder.cjs" ENV_AUDIT_TRACE_FILE=/tmp/t.jsonl node app.js
// A `--require` preload also runs before an ES module entry point and in every worker thread, and
// NODE_OPTIONS reaches every child Node process that inherits the environment, so one flag covers
// CommonJS, ESM, workers and children. Without ENV_AUDIT_TRACE_FILE it does nothing.
import path = require('node:path');
import { syncBuiltinESMExports } from 'node:module';
import { TRACE_FILE_VAR, TRACE_ROOT_VAR } from './record.cjs';
import { Sink } from './sink.cjs';
import { wrapEnv } from './env-proxy.cjs';
import { wrapCapabilities } from './capabilities.cjs';
import { redactor } from './redact.cjs';

const INSTALLED = Symbol.for('env-audit.trace.installed');

function install(): void {
  const g = globalThis as unknown as Record<symbol, unknown>;
  const realEnv = process.env;
  const file = realEnv[TRACE_FILE_VAR];
  if (!file || g[INSTALLED]) return;
  g[INSTALLED] = true;
  const root = path.resolve(realEnv[TRACE_ROOT_VAR] || process.cwd());
  const sink = new Sink(path.resolve(file));
  wrapCapabilities(sink, root, redactor(realEnv));
  process.env = wrapEnv(realEnv, sink, root);
  // ESM `import { env } from 'node:process'` and named imports of the wrapped modules see the wrappers
  syncBuiltinESMExports();
  sink.start();
}

install();
