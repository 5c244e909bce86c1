// The parts of a SARIF log that tests read (test/report/validate.ts checks the whole shape against the schema).
interface SarifText {
  text: string;
  markdown?: string;
}
interface SarifRule {
  id: string;
  name: string;
  shortDescription: SarifText;
  fullDescription: SarifText;
  help: SarifText;
  defaultConfiguration: { level: string };
}
interface SarifResult {
  ruleId: string;
  ruleIndex?: number;
  level: string;
  message: SarifText;
  locations: Array<{
    physicalLocation: {
      artifactLocation: { uri: string; uriBaseId?: string };
      region: { startLine: number; startColumn: number; snippet: SarifText };
    };
  }>;
  relatedLocations?: Array<{
    id: number;
    physicalLocation: { artifactLocation: { uri: string; uriBaseId?: string }; region: { startLine: number; startColumn: number; snippet: SarifText } };
    message: SarifText;
  }>;
  partialFingerprints: Record<string, string>;
  suppressions?: Array<{ kind: string; justification: string }>;
  properties: { package: string; version: string; score: number; level: string; effectiveLevel?: string; findings?: number };
}
export interface SarifLog {
  $schema: string;
  version: string;
  runs: Array<{
    tool: { driver: { name: string; version: string; informationUri: string; rules: SarifRule[] } };
    results: SarifResult[];
  }>;
}

export function parseSarif(text: string): SarifLog {
  return JSON.parse(text) as SarifLog;
}
