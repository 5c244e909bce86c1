// obfuscation: Contains obfuscated code or encoded payloads.
import type { RuleRecord } from './record.js';

export const obfuscation: RuleRecord = {
  id: 'obfuscation',
  capability: 'obfuscation',
  producer: 'detector',
  messages: {
    hiddenName: '{how} name \'{name}\'',
    hiddenModule: '{how} module name \'{module}\'',
    escapedIdentifier: 'escaped identifier \'{name}\'',
    escapedStrings: 'hex-escaped strings ({count}, e.g. \'{example}\')',
    encodedPayload: 'encoded payload: {length}-character {encoding} literal decodes to code',
    reflectGet: 'Reflect.get({target}, \'{key}\')',
    functionReturn: 'Function(\'return {name}\')()',
    functionThis: 'Function(\'return this\')().{name}',
    constructorChain: 'Function constructor reached through .constructor',
    charCode: 'char-code string \'{text}\'',
    hiddenCode: '{how} code string \'{text}\'',
    decodeExecute: 'decode-then-execute: {decoding} → {executor}',
    stringArray: 'string-array obfuscation ({what})',
    family: '{family}: {detail}',
    encodedStrings: 'encoded strings ({count} base64/hex constants decoded to text, e.g. \'{example}\')',
  },
  scoring: {
    weights: { points: 35 },
    reason: 'obfuscated code: {detail}',
    group: 'contains obfuscated code: {details}',
    combinations: { 'obfuscation': 'anchor', 'decode-execute': 'anchor', 'obfuscated-capability': 'anchor' },
  },
  help: {
    name: 'Obfuscation',
    shortDescription: 'Contains obfuscated code or encoded payloads.',
    help:
      'The package contains large encoded strings, string-array or hex-identifier obfuscation, or decodes data and ' +
      'then executes it.\n\n' +
      'Published npm code is rarely obfuscated; minified is not the same as obfuscated. Obfuscation next to ' +
      'environment, network or process access is the pattern of most malicious packages.\n\n' +
      'Check the decoded payload before trusting the package. Treat an unexplained payload as malicious.',
    sarifLevel: 'warning',
  },
};
