#!/usr/bin/env node
// Thin launcher for the built CLI (dist/ is built by `npm install` through the prepare script).
// The import is dynamic so that a missing or broken build exits 2 ("could not run"), never 1,
// which a CI gate would read as "found something".
const safe = (s) => String(s).replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, '?');

import('../dist/src/cli/main.js').then(
  ({ main }) =>
    main(process.argv.slice(2)).then(
      (code) => {
        process.exitCode = code;
      },
      (err) => {
        process.stderr.write(`env-audit: internal error: ${safe(err && err.stack ? err.stack : err)}\n`);
        process.exitCode = 2;
      },
    ),
  (err) => {
    process.stderr.write(`env-audit: cannot load the built CLI (run "npm run build"): ${safe(err && err.message ? err.message : err)}\n`);
    process.exitCode = 2;
  },
);
