// Schema validation for tests: the report against schema/report.schema.json, SARIF against the
// vendored official SARIF 2.1.0 schema. End-to-end tests validate real CLI output with these.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { repoRoot } from '../helpers.js';

// ajv-formats is CommonJS with `module.exports = plugin`; require() sidesteps NodeNext's
// default-import typing of such modules.
const require = createRequire(import.meta.url);
const addFormats = require('ajv-formats') as typeof import('ajv-formats').default;

export const reportSchemaPath = path.join(repoRoot, 'schema', 'report.schema.json');
const sarifSchemaPath = path.join(repoRoot, 'test', 'vendor', 'sarif-schema-2.1.0.json');

function readJson(file: string): Record<string, unknown> {
  return JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
}

let reportValidator: ValidateFunction | undefined;
let sarifValidator: ValidateFunction | undefined;

function formatErrors(errors: ErrorObject[] | null | undefined): string[] {
  return (errors ?? []).map((e) => {
    const params = e.keyword === 'additionalProperties' || e.keyword === 'enum' ? ` ${JSON.stringify(e.params)}` : '';
    return `${e.instancePath || '/'} ${e.message ?? e.keyword}${params}`;
  });
}

/** Errors of `obj` against the report schema; [] when valid. */
export function validateReport(obj: unknown): string[] {
  if (!reportValidator) {
    // strict: true here, unlike SARIF: our own schema must not use keywords ajv ignores.
    const ajv = new Ajv({ allErrors: true, strict: true });
    addFormats(ajv);
    reportValidator = ajv.compile(readJson(reportSchemaPath));
  }
  return reportValidator(obj) ? [] : formatErrors(reportValidator.errors);
}

/** Errors of `obj` against the official SARIF 2.1.0 schema (draft-07); [] when valid. */
export function validateSarif(obj: unknown): string[] {
  if (!sarifValidator) {
    // The official schema uses keywords and formats ajv's strict mode rejects; it is not ours to fix.
    const ajv = new Ajv({ allErrors: true, strict: false });
    addFormats(ajv);
    sarifValidator = ajv.compile(readJson(sarifSchemaPath));
  }
  return sarifValidator(obj) ? [] : formatErrors(sarifValidator.errors);
}
