// exfiltration: An environment value flows into a network or process sink.
import type { RuleRecord } from './record.js';

export const exfiltration: RuleRecord = {
  id: 'exfiltration',
  capability: null,
  producer: 'detector',
  messages: {
    flow: '{source} (line {sourceLine}) → {sink} (line {sinkLine})',
    command: '{what} → {sink}',
  },
  scoring: {
    weights: { points: 40 },
    reason: 'exfiltration: {flow}',
    group: '{flows}',
    combinations: { 'exfiltration': 'anchor', 'expected-exfiltration': 'anchor', 'install-time': 'sink' },
    phrase: 'send environment values out',
  },
  help: {
    name: 'EnvExfiltration',
    shortDescription: 'An environment value flows into a network or process sink.',
    help:
      'A value read from the environment (or the whole environment) reaches a network request, a socket or a ' +
      'started process in the same file.\n\n' +
      'A vendor SDK sending its own API key to its own service is expected. The whole environment, a CI or ' +
      'registry token (`NPM_TOKEN`, `GITHUB_TOKEN`) or another vendor\'s secret leaving the process is how ' +
      'supply-chain attacks steal credentials.\n\n' +
      'Check both ends of the flow (`env-audit explain <name>`). If the destination is not the package\'s own ' +
      'documented service, remove the package, rotate the exposed secrets and report it.',
    sarifLevel: 'error',
  },
};
