// hidden-access: Did at run time what the static analysis did not find (scan --trace). Made by the
// trace merge (src/trace/merge.ts), not by a detector: its evidence is a recorded call site.
import type { RuleRecord } from './record.js';

export const hiddenAccess: RuleRecord = {
  id: 'hidden-access',
  // the capability is the observed kind's (model.ts RUNTIME_CAPABILITY): the scorer reads finding.runtime
  capability: null,
  producer: 'scan',
  messages: {
    envRead: '{name}',
    envEnumerate: 'the whole environment (enumerated at run time)',
    envWrite: '{name}',
    network: '{api}',
    childProcess: '{api} {program}',
    credentialFile: '{path} ({api})',
  },
  scoring: {
    weights: { first: 15, more: 5, cap: 25 },
    reason: 'seen at run time, missed by the static analysis: {detail}',
    group: 'did at run time what the static analysis did not see: {details}',
    extra: {
      combo: 'at run time, {details}: a secret or the whole environment and a way out, not all of it visible to the static analysis',
    },
    combinations: { 'hidden-access': 'anchor' },
  },
  help: {
    name: 'HiddenAccess',
    shortDescription: 'Did at run time what the static analysis did not find (scan --trace).',
    help:
      'While a command ran under `env-audit trace`, the package read an environment variable, enumerated or wrote ' +
      'the environment, reached the network, started a process or read a credential file, and the static analysis ' +
      'of its code had not found that. The finding sits at the call site the recorder saw.\n\n' +
      'Static analysis misses names built from data, code fetched or decoded at run time and obfuscated code; ' +
      'a package that hides what it does is worth more attention than one that does the same thing openly.\n\n' +
      'Check the call site: where does the name or the code come from? `env-audit explain <name>` shows the run-time ' +
      'side next to the static one.',
    sarifLevel: 'warning',
  },
};
