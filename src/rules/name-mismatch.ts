// name-mismatch: the package's manifest name or version differs from its folder or lockfile entry.
import type { RuleRecord } from './record.js';

export const nameMismatch: RuleRecord = {
  id: 'name-mismatch',
  capability: null,
  producer: 'package',
  messages: {
    mismatch: 'package.json says {claim}, but {problems}',
  },
  scoring: {
    // no points of its own: the combination sets the floor (high) and carries the points
    weights: { points: 0 },
    reason: 'identity: {detail}',
    group: 'identity: {details}',
    combinations: { 'name-mismatch': 'anchor' },
  },
  help: {
    name: 'NameMismatch',
    shortDescription: "The package's manifest name or version differs from its folder or its lockfile entry.",
    help:
      'The `name` (or `version`) in the installed package.json is not the name its folder under `node_modules` ' +
      'stands for, or not what the lockfile recorded for that location, and no dependent declared an npm alias ' +
      '(`npm:<name>@…`) that explains it.\n\n' +
      'A package can claim any name in its own package.json (npm "manifest confusion"): an impostor that calls ' +
      'itself after a package your policy trusts would inherit that trust. env-audit matches allowlist and baseline ' +
      'entries only when the folder, manifest and lockfile agree.\n\n' +
      'Check which package this really is (its folder, its `resolved` URL in the lockfile) and reinstall from the ' +
      'lockfile; remove it if the folder was planted.',
    sarifLevel: 'error',
  },
};
