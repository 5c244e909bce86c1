// child-process: Can start processes.
import type { RuleRecord } from './record.js';

export const childProcess: RuleRecord = {
  id: 'child-process',
  capability: 'child_process',
  producer: 'detector',
  messages: {
    module: '{module}',
    spawner: '{name}',
    binding: 'process.{fn}({arg})',
    inherit: 'passes the whole environment to a child process',
    dumpsEnv: 'shell command dumps the environment: {command}',
    sendsEnv: 'shell command sends environment variables: {command}',
    downloadRun: 'download-and-run: {command}',
    runBinary: '{command}',
    runsFile: 'runs {file}',
  },
  scoring: {
    weights: { points: 12 },
    reason: 'child process: {detail}',
    group: 'can start processes: {details}',
    combinations: { 'install-time': 'sink', 'install-download-run': 'anchor', 'download-run': 'anchor', 'install-binary': 'anchor', 'obfuscation': 'sink', 'obfuscated-capability': 'sink', 'install-dropper': 'anchor', 'secret-sink': 'sink', 'decode-execute': 'sink' },
    phrase: 'start processes',
  },
  help: {
    name: 'ChildProcess',
    shortDescription: 'Can start processes.',
    help:
      'The package uses `child_process` (or an equivalent) to run other programs.\n\n' +
      'Build tools and CLIs do this routinely. A library that has no reason to run programs, or that builds the ' +
      'command from environment values or decoded strings, can do anything your user can.\n\n' +
      'Check the command that is run and where its arguments come from.',
    sarifLevel: 'note',
  },
};
