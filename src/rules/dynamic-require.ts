// dynamic-require: Loads a module whose name is computed at run time.
import type { RuleRecord } from './record.js';

export const dynamicRequire: RuleRecord = {
  id: 'dynamic-require',
  capability: 'dynamic_require',
  producer: 'detector',
  messages: {
    dynamic: '{how}({specifier})',
  },
  scoring: {
    weights: { points: 5 },
    reason: 'dynamic require/import',
    group: 'loads modules by computed name',
    combinations: { 'decode-execute': 'sink', 'obfuscated-capability': 'sink' },
    phrase: 'load modules by computed name',
  },
  help: {
    name: 'DynamicRequire',
    shortDescription: 'Loads a module whose name is computed at run time.',
    help:
      'The package calls `require()` or `import()` with a non-constant specifier.\n\n' +
      'Plugin loaders do this. It also hides which modules are loaded, for example `require(decode("..."))` ' +
      'pulling in `child_process`.\n\n' +
      'Check how the specifier is built and which modules it can name.',
    sarifLevel: 'note',
  },
};
