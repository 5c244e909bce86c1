// env-bulk: Enumerates, copies or serialises the whole environment.
import type { RuleRecord } from './record.js';

export const envBulk: RuleRecord = {
  id: 'env-bulk',
  capability: 'env',
  producer: 'detector',
  messages: {
    call: '{fn}(process.env)',
    spread: '{ ...process.env }',
    forIn: 'for…in over process.env',
    forOf: 'for…of over process.env',
    other: '{how}',
    shell: '{command} (shell)',
    report: 'process.report.getReport() (holds the whole environment)',
  },
  scoring: {
    weights: { points: 30 },
    reason: 'whole environment read: {detail}',
    group: 'reads the whole environment: {details}',
    combinations: { 'install-time': 'source', 'obfuscation': 'source', 'secret-sink': 'source' },
  },
  help: {
    name: 'EnvBulk',
    shortDescription: 'Enumerates, copies or serialises the whole environment.',
    help:
      'The package touches every environment variable at once: `Object.keys(process.env)`, `{...process.env}`, ' +
      '`JSON.stringify(process.env)`, or passes `process.env` to a call other than a child-process option.\n\n' +
      'Whole-environment access puts every CI and cloud secret in reach, and is the first step of most ' +
      'credential-stealing packages.\n\n' +
      'Check what the copy is used for. Passing it unchanged to a child process is normal; serialising it, ' +
      'logging it or sending it anywhere is a red flag.',
    sarifLevel: 'warning',
  },
};
