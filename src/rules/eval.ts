// eval: Runs code built at run time (eval, new Function, vm).
import type { RuleRecord } from './record.js';

export const evalRule: RuleRecord = {
  id: 'eval',
  capability: 'eval',
  producer: 'detector',
  messages: {
    eval: 'eval of a non-constant string',
    function: 'Function() of a non-constant string',
    timer: '{fn} of a non-constant string',
    vm: 'vm.{fn} of a non-constant string',
    worker: 'new Worker(…, { eval: true }) of a non-constant string',
    compile: 'module._compile of a non-constant string',
    passed: '{fn} passed as a value',
    dataWorker: 'new Worker(data: URL)',
    dataFile: '{executor} runs the data file {file} (decoded: {decoding})',
  },
  scoring: {
    weights: { points: 10 },
    reason: 'eval: {detail}',
    group: 'evaluates code at runtime: {details}',
    combinations: { 'obfuscation': 'sink', 'decode-execute': 'sink', 'obfuscated-capability': 'sink' },
    phrase: 'evaluate code',
  },
  help: {
    name: 'DynamicCodeExecution',
    shortDescription: 'Runs code built at run time (eval, new Function, vm).',
    help:
      'The package passes a non-constant string to `eval`, `new Function` or a `vm` run method.\n\n' +
      'Template engines and bundlers do this; it also lets a package fetch or decode code that no scanner saw.\n\n' +
      'Check where the string comes from. Decoded, downloaded or environment-derived code is a serious finding.',
    sarifLevel: 'warning',
  },
};
