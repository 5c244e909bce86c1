// What each rule means and what a reviewer should do about it: SARIF rule metadata (shown by
// GitHub code scanning next to every alert) and any other format that wants to explain a rule.
// Help is written in light Markdown (only `code` spans); helpText() strips it for plain-text use.
import { RULE_IDS, type RuleId } from '../model.js';

export interface RuleHelp {
  /** PascalCase name, as SARIF's reportingDescriptor.name suggests. */
  name: string;
  shortDescription: string;
  /** Paragraphs separated by a blank line: what was seen, why it matters, what to check. */
  help: string;
}

export type SarifLevel = 'error' | 'warning' | 'note';

export interface RuleMeta {
  id: RuleId;
  name: string;
  shortDescription: string;
  help: string;
  defaultLevel: SarifLevel;
}

export const RULE_HELP: Record<RuleId, RuleHelp> = {
  'env-read': {
    name: 'EnvRead',
    shortDescription: 'Reads an environment variable by a constant name.',
    help:
      'The package reads a named environment variable (`process.env.NAME` or any alias of `process.env`).\n\n' +
      'Most reads are harmless configuration (`NODE_ENV`, `DEBUG`, `NO_COLOR`). It matters when the name looks like ' +
      'a secret (`*_TOKEN`, `*_SECRET`, `*_KEY`, `NPM_TOKEN`, `AWS_*`, `DATABASE_URL`) and the package can also reach ' +
      'the network or start processes.\n\n' +
      'Check: is this variable one the package documents as its own configuration? If a package with no reason to ' +
      'know it reads a credential, look at what the code does with the value (`env-audit explain <name>`).',
  },
  'env-read-dynamic': {
    name: 'EnvReadDynamic',
    shortDescription: 'Reads the environment with a key computed at run time.',
    help:
      'The package reads `process.env[key]` where `key` is not a constant, so the variables it reads cannot be ' +
      'listed statically.\n\n' +
      'Config loaders do this legitimately (prefix lookups, schema-driven settings). It is also how code hides ' +
      'which secret it wants.\n\n' +
      'Check where `key` comes from: a documented prefix or option is fine; a decoded string, a remote value or a ' +
      'loop over many names is not.',
  },
  'env-bulk': {
    name: 'EnvBulk',
    shortDescription: 'Enumerates, copies or serialises the whole environment.',
    help:
      'The package touches every environment variable at once: `Object.keys(process.env)`, `{...process.env}`, ' +
      '`JSON.stringify(process.env)`, or passes `process.env` to a call other than a child-process option.\n\n' +
      'Whole-environment access puts every CI and cloud secret in reach, and is the first step of most ' +
      'credential-stealing packages.\n\n' +
      'Check what the copy is used for. Passing it unchanged to a child process is normal; serialising it, ' +
      'logging it or sending it anywhere is a red flag.',
  },
  'env-write': {
    name: 'EnvWrite',
    shortDescription: 'Assigns or deletes an environment variable.',
    help:
      'The package changes the environment of the running process (`process.env.NAME = ...` or `delete process.env.NAME`).\n\n' +
      'Loaders such as dotenv do this by design. Elsewhere, a write can redirect later code: `NODE_OPTIONS`, ' +
      '`PATH`, `HTTP_PROXY`, `NODE_TLS_REJECT_UNAUTHORIZED` and registry settings change what other packages ' +
      'load, run or trust.\n\n' +
      'Check which variable is written and whether the package documents it.',
  },
  network: {
    name: 'NetworkAccess',
    shortDescription: 'Can reach the network.',
    help:
      'The package uses a network API: `http`, `https`, `http2`, `net`, `tls`, `dgram`, `dns`, `undici`, global ' +
      '`fetch`, `WebSocket`, `XMLHttpRequest` or `EventSource`.\n\n' +
      'On its own this is normal for clients and SDKs. Combined with secret or whole-environment reads it is the ' +
      'path a credential would take out of your build.\n\n' +
      'Check that the package is meant to talk to the network and which hosts it contacts.',
  },
  'child-process': {
    name: 'ChildProcess',
    shortDescription: 'Can start processes.',
    help:
      'The package uses `child_process` (or an equivalent) to run other programs.\n\n' +
      'Build tools and CLIs do this routinely. A library that has no reason to run programs, or that builds the ' +
      'command from environment values or decoded strings, can do anything your user can.\n\n' +
      'Check the command that is run and where its arguments come from.',
  },
  'credential-file': {
    name: 'CredentialFileRead',
    shortDescription: 'Reads a credentials file.',
    help:
      'The package reads a file that usually holds credentials: `.npmrc`, `.env`, `.aws/credentials`, `.ssh/*`, ' +
      '`.git-credentials`, `.netrc`, `.docker/config.json`, `/proc/self/environ` or similar.\n\n' +
      'Few libraries need these files; credential stealers always do.\n\n' +
      'Check why the package reads the file. Config tools that read `.npmrc` or `.env` on purpose are expected; ' +
      'anything else reading them, above all with network access, should be removed or pinned and reported.',
  },
  eval: {
    name: 'DynamicCodeExecution',
    shortDescription: 'Runs code built at run time (eval, new Function, vm).',
    help:
      'The package passes a non-constant string to `eval`, `new Function` or a `vm` run method.\n\n' +
      'Template engines and bundlers do this; it also lets a package fetch or decode code that no scanner saw.\n\n' +
      'Check where the string comes from. Decoded, downloaded or environment-derived code is a serious finding.',
  },
  'dynamic-require': {
    name: 'DynamicRequire',
    shortDescription: 'Loads a module whose name is computed at run time.',
    help:
      'The package calls `require()` or `import()` with a non-constant specifier.\n\n' +
      'Plugin loaders do this. It also hides which modules are loaded, for example `require(decode("..."))` ' +
      'pulling in `child_process`.\n\n' +
      'Check how the specifier is built and which modules it can name.',
  },
  obfuscation: {
    name: 'Obfuscation',
    shortDescription: 'Contains obfuscated code or encoded payloads.',
    help:
      'The package contains large encoded strings, string-array or hex-identifier obfuscation, or decodes data and ' +
      'then executes it.\n\n' +
      'Published npm code is rarely obfuscated; minified is not the same as obfuscated. Obfuscation next to ' +
      'environment, network or process access is the pattern of most malicious packages.\n\n' +
      'Check the decoded payload before trusting the package. Treat an unexplained payload as malicious.',
  },
  'install-script': {
    name: 'InstallScript',
    shortDescription: 'Runs a preinstall, install or postinstall script.',
    help:
      'The package declares a `preinstall`, `install` or `postinstall` script, which npm runs on every install, ' +
      'with the full environment of the machine (CI tokens included), before any of your code runs.\n\n' +
      'Native addons (`node-gyp`) need this. Anything else running at install time deserves a look.\n\n' +
      'Check the script in package.json and the files it runs. Consider `npm install --ignore-scripts` with an ' +
      'allowlist for packages that really need it.',
  },
  exfiltration: {
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
  },
  'parse-error': {
    name: 'ParseError',
    shortDescription: 'A file could not be analysed.',
    help:
      'The file could not be parsed, even loosely, so nothing in it was checked.\n\n' +
      'This is usually a syntax the parser does not support or a non-JavaScript file with a .js name. ' +
      'Deliberately malformed files can also be used to hide code from scanners.\n\n' +
      'Check that the file is what its name says; if it is loaded at run time, review it by hand.',
  },
};

/** Default SARIF level of each rule, before the package's own level is known. */
export const RULE_DEFAULT_LEVEL: Record<RuleId, SarifLevel> = {
  'env-read': 'note',
  'env-read-dynamic': 'note',
  'env-bulk': 'warning',
  'env-write': 'note',
  network: 'note',
  'child-process': 'note',
  'credential-file': 'warning',
  eval: 'warning',
  'dynamic-require': 'note',
  obfuscation: 'warning',
  'install-script': 'warning',
  exfiltration: 'error',
  'parse-error': 'note',
};

/** Help as plain text (no Markdown code marks). */
export function helpText(help: string): string {
  return help.replace(/`/g, '');
}

/** The first paragraph of the help: what the rule detects. */
export function helpSummary(help: string): string {
  return help.split(/\n\n/)[0] ?? help;
}

/** One RuleMeta per rule id, in the contract's order. */
export function defaultRules(): RuleMeta[] {
  return RULE_IDS.map((id) => ({ id, ...RULE_HELP[id], defaultLevel: RULE_DEFAULT_LEVEL[id] }));
}
