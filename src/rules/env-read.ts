// env-read: Reads an environment variable by a constant name.
import type { RuleRecord } from './record.js';

export const envRead: RuleRecord = {
  id: 'env-read',
  capability: 'env',
  producer: 'detector',
  messages: {
    read: '{name}',
  },
  scoring: {
    weights: { other: 2, otherCap: 8, secretFirst: 25, secretMore: 5, secretCap: 40 },
    reason: 'env read {detail}',
    group: 'reads {details}',
    extra: {
      secret: 'secret-looking env read {detail} ({kind})',
      secretGroup: 'reads secret-looking {name} ({kind})',
      secretsGroup: 'reads {count} secret-looking names: {names}',
      benignGroup: 'reads only common settings: {details}',
    },
    combinations: { 'install-time': 'source', 'obfuscation': 'source', 'secret-sink': 'source' },
  },
  help: {
    name: 'EnvRead',
    shortDescription: 'Reads an environment variable by a constant name.',
    help:
      'The package reads a named environment variable (`process.env.NAME` or any alias of `process.env`).\n\n' +
      'Most reads are harmless configuration (`NODE_ENV`, `DEBUG`, `NO_COLOR`). It matters when the name looks like ' +
      'a secret (`*_TOKEN`, `*_SECRET`, `*_KEY`, `NPM_TOKEN`, `AWS_*`, `DATABASE_URL`) and the package can also reach ' +
      'the network or start processes.\n\n' +
      'Check: is this variable one the package documents as its own configuration? If a package with no reason to ' +
      'know it reads a credential, look at what the code does with the value (`env-audit explain <name>`).',
    sarifLevel: 'note',
  },
};
