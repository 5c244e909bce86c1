#!/usr/bin/env node
// Thin launcher for the built CLI (dist/ is built by `npm install` through the prepare script).
import { main } from '../dist/src/cli/main.js';

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    process.stderr.write(`env-audit: internal error: ${String(err && err.stack ? err.stack : err).replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, '?')}\n`);
    process.exitCode = 2;
  },
);
