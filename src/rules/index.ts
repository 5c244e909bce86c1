// Every rule's record, by id. The type makes a rule without a record (so without scoring or help)
// a compile error; test/rules/records.test.ts checks the rest (detector, test table, schema enum,
// README table). Adding a rule: its id in model.ts RULE_IDS, its record file here, its detector
// and its valid/invalid table (see the README's "Adding a rule").
import type { Capability, Finding, FindingData, RuleId } from '../model.js';
import { childProcess } from './child-process.js';
import { credentialFile } from './credential-file.js';
import { dynamicRequire } from './dynamic-require.js';
import { envBulk } from './env-bulk.js';
import { envRead } from './env-read.js';
import { envReadDynamic } from './env-read-dynamic.js';
import { envWrite } from './env-write.js';
import { evalRule } from './eval.js';
import { exfiltration } from './exfiltration.js';
import { installScript } from './install-script.js';
import { network } from './network.js';
import { obfuscation } from './obfuscation.js';
import { parseError } from './parse-error.js';
import { nameMismatch } from './name-mismatch.js';
import { hiddenAccess } from './hidden-access.js';
import type { ComboKind, ComboRole, RuleRecord } from './record.js';

export const RULES: Readonly<Record<RuleId, RuleRecord>> = {
  'env-read': envRead,
  'env-read-dynamic': envReadDynamic,
  'env-bulk': envBulk,
  'env-write': envWrite,
  network: network,
  'child-process': childProcess,
  'credential-file': credentialFile,
  eval: evalRule,
  'dynamic-require': dynamicRequire,
  obfuscation: obfuscation,
  'install-script': installScript,
  exfiltration: exfiltration,
  'parse-error': parseError,
  'name-mismatch': nameMismatch,
  'hidden-access': hiddenAccess,
};

/** Which capability a finding of each rule is evidence of (null: none by itself). */
export function ruleCapability(rule: RuleId): Capability | null {
  return RULES[rule].capability;
}

/** Fill a message template's `{name}` placeholders from data, in one pass (data is never re-read as a template). */
export function fillMessage(template: string, data: FindingData = {}): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => (Object.hasOwn(data, key) ? String(data[key]) : whole));
}

/** The structured part of a finding: messageId, data and the detail they make. Throws on an unknown messageId. */
export function message(rule: RuleId, messageId: string, data: FindingData = {}): Pick<Finding, 'rule' | 'messageId' | 'data' | 'detail'> {
  const template = RULES[rule].messages[messageId];
  if (template === undefined) throw new Error(`rule ${rule} has no message ${messageId}`);
  return { rule, messageId, data, detail: fillMessage(template, data) };
}

/** The rules that take part in a combination in a role, in RULE_IDS order. */
export function comboRules(kind: ComboKind, role: ComboRole): RuleId[] {
  return (Object.keys(RULES) as RuleId[]).filter((id) => RULES[id].scoring.combinations[kind] === role);
}
