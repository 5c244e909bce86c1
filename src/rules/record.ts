// The shape of a rule record: everything about one rule id in one place — what it is evidence of,
// the messages its findings carry, how it scores and which combinations it takes part in, and the
// help a reviewer reads. The detector that reports it, the scorer, the SARIF/explain help, the
// JSON schema's rule enum and the README's rule table all read or are checked against these.
import type { Capability, RuleId } from '../model.js';

/** The combinations of src/risk/score.ts: each sets a level floor when its rules meet. */
export const COMBO_KINDS = [
  'exfiltration', 'install-time', 'install-download-run', 'download-run', 'install-binary', 'install-unanalysed', 'obfuscation', 'decode-execute', 'obfuscated-capability',
  'install-dropper', 'expected-exfiltration', 'secret-sink', 'credential-network', 'name-mismatch', 'hidden-access',
] as const;
export type ComboKind = (typeof COMBO_KINDS)[number];
/** anchor: the finding that completes it; source: what is taken; sink: where it can go. */
export type ComboRole = 'anchor' | 'source' | 'sink';

export type SarifLevel = 'error' | 'warning' | 'note';

interface RuleScoring {
  /** the points it earns (names are the rule's own: points, first, more, cap, …). */
  weights: Readonly<Record<string, number>>;
  /** reason of the score item a finding earns (`{detail}` is the finding's detail). */
  reason: string;
  /** reason line for a group of like findings (`{details}`: their details, listed). */
  group: string;
  /** the combinations it takes part in, and as what. */
  combinations: Readonly<Partial<Record<ComboKind, ComboRole>>>;
  /** further reason templates the scorer uses for this rule. */
  extra?: Readonly<Record<string, string>>;
  /** what it lets code do, as the `can …` phrase of combination reasons. */
  phrase?: string;
}

interface RuleHelp {
  /** PascalCase name, as SARIF's reportingDescriptor.name suggests. */
  name: string;
  shortDescription: string;
  /** Paragraphs separated by a blank line: what was seen, why it matters, what to check. */
  help: string;
  /** SARIF level before the package's own level is known. */
  sarifLevel: SarifLevel;
}

export interface RuleRecord {
  id: RuleId;
  /** the capability a finding is evidence of; null: none by itself (a flow, a parse error). */
  capability: Capability | null;
  /** who reports it: a file detector (src/analyze/detectors/<id>.ts), the package stage, the scan. */
  producer: 'detector' | 'package' | 'scan';
  /** messageId → the finding's `detail`, with `{name}` placeholders filled from its `data`. */
  messages: Readonly<Record<string, string>>;
  scoring: RuleScoring;
  help: RuleHelp;
}
