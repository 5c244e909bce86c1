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
