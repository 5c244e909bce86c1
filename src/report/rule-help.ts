// What each rule means and what a reviewer should do about it: SARIF rule metadata (shown by
// GitHub code scanning next to every alert) and any other format that wants to explain a rule.
// The texts live in the rule records (src/rules/<rule>.ts); this is the reporters' view of them.
// Help is written in light Markdown (only `code` spans); helpText() strips it for plain-text use.
import { RULE_IDS, type RuleId } from '../model.js';
import { RULES } from '../rules/index.js';
import type { SarifLevel } from '../rules/record.js';

export type { SarifLevel } from '../rules/record.js';

export interface RuleHelp {
  /** PascalCase name, as SARIF's reportingDescriptor.name suggests. */
  name: string;
  shortDescription: string;
  /** Paragraphs separated by a blank line: what was seen, why it matters, what to check. */
  help: string;
}

export interface RuleMeta {
  id: RuleId;
  name: string;
  shortDescription: string;
  help: string;
  defaultLevel: SarifLevel;
}

/** Each rule's help, from its record (src/rules/<rule>.ts). */
export const RULE_HELP: Record<RuleId, RuleHelp> = Object.fromEntries(
  RULE_IDS.map((id) => {
    const { name, shortDescription, help } = RULES[id].help;
    return [id, { name, shortDescription, help }];
  }),
) as Record<RuleId, RuleHelp>;

/** Default SARIF level of each rule, before the package's own level is known. */
export const RULE_DEFAULT_LEVEL: Record<RuleId, SarifLevel> = Object.fromEntries(
  RULE_IDS.map((id) => [id, RULES[id].help.sarifLevel]),
) as Record<RuleId, SarifLevel>;

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
