// env-write: Assigns or deletes an environment variable.
import type { RuleRecord } from './record.js';

export const envWrite: RuleRecord = {
  id: 'env-write',
  capability: 'env',
  producer: 'detector',
  messages: {
    write: '{name}',
    dynamic: '[dynamic]',
  },
  scoring: {
    weights: { points: 3, sensitive: 10 },
    reason: 'env write {detail}',
    group: 'writes environment variables: {details}',
    combinations: {},
  },
  help: {
    name: 'EnvWrite',
    shortDescription: 'Assigns or deletes an environment variable.',
    help:
      'The package changes the environment of the running process (`process.env.NAME = ...` or `delete process.env.NAME`).\n\n' +
      'Loaders such as dotenv do this by design. Elsewhere, a write can redirect later code: `NODE_OPTIONS`, ' +
      '`PATH`, `HTTP_PROXY`, `NODE_TLS_REJECT_UNAUTHORIZED` and registry settings change what other packages ' +
      'load, run or trust.\n\n' +
      'Check which variable is written and whether the package documents it.',
    sarifLevel: 'note',
  },
};
