// install-script: Runs a preinstall, install or postinstall script.
import type { RuleRecord } from './record.js';

export const installScript: RuleRecord = {
  id: 'install-script',
  capability: 'install_script',
  producer: 'package',
  messages: {
    script: '{event}: {command}',
  },
  scoring: {
    weights: { points: 10 },
    reason: 'install script: {detail}',
    group: 'has an install script: {details}',
    combinations: {},
  },
  help: {
    name: 'InstallScript',
    shortDescription: 'Runs a preinstall, install or postinstall script.',
    help:
      'The package declares a `preinstall`, `install` or `postinstall` script, which npm runs on every install, ' +
      'with the full environment of the machine (CI tokens included), before any of your code runs.\n\n' +
      'Native addons (`node-gyp`) need this. Anything else running at install time deserves a look.\n\n' +
      'Check the script in package.json and the files it runs. Consider `npm install --ignore-scripts` with an ' +
      'allowlist for packages that really need it.',
    sarifLevel: 'warning',
  },
};
