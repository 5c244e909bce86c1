// env-read-dynamic: Reads the environment with a key computed at run time.
import type { RuleRecord } from './record.js';

export const envReadDynamic: RuleRecord = {
  id: 'env-read-dynamic',
  capability: 'env',
  producer: 'detector',
  messages: {
    dynamic: 'process.env[{key}]',
  },
  scoring: {
    weights: { points: 10 },
    reason: 'env read of a computed key',
    group: 'reads environment variables by computed name',
    combinations: { 'obfuscation': 'source', 'secret-sink': 'source' },
  },
  help: {
    name: 'EnvReadDynamic',
    shortDescription: 'Reads the environment with a key computed at run time.',
    help:
      'The package reads `process.env[key]` where `key` is not a constant, so the variables it reads cannot be ' +
      'listed statically.\n\n' +
      'Config loaders do this legitimately (prefix lookups, schema-driven settings). It is also how code hides ' +
      'which secret it wants.\n\n' +
      'Check where `key` comes from: a documented prefix or option is fine; a decoded string, a remote value or a ' +
      'loop over many names is not.',
    sarifLevel: 'note',
  },
};
