// credential-file: Reads a credentials file.
import type { RuleRecord } from './record.js';

export const credentialFile: RuleRecord = {
  id: 'credential-file',
  capability: 'filesystem_credentials',
  producer: 'detector',
  messages: {
    read: '{path}',
    probe: '{path}',
    shell: '{path}',
    metadata: '{path}',
  },
  scoring: {
    weights: { first: 30, more: 5, cap: 40 },
    reason: 'credential file read {detail}',
    group: 'reads credential file {details}',
    combinations: { 'credential-network': 'source' },
  },
  help: {
    name: 'CredentialFileRead',
    shortDescription: 'Reads a credentials file.',
    help:
      'The package reads a file that usually holds credentials: `.npmrc`, `.env`, `.aws/credentials`, `.ssh/*`, ' +
      '`.git-credentials`, `.netrc`, `.docker/config.json`, `/proc/self/environ` or similar.\n\n' +
      'Few libraries need these files; credential stealers always do.\n\n' +
      'Check why the package reads the file. Config tools that read `.npmrc` or `.env` on purpose are expected; ' +
      'anything else reading them, above all with network access, should be removed or pinned and reported.',
    sarifLevel: 'warning',
  },
};
