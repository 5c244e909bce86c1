// parse-error: A file could not be analysed.
import type { RuleRecord } from './record.js';

export const parseError: RuleRecord = {
  id: 'parse-error',
  capability: null,
  producer: 'scan',
  messages: {
    syntax: '{message}',
    tooDeep: 'too deeply nested to analyse (stack limit)',
    skipped: 'skipped: {reason}',
    failed: 'analysis failed: {reason}',
    crashed: 'analysis crashed: {reason}',
    embeddedSkipped: 'embedded code not analysed: {reason}',
    detectorFailed: 'detector {detector} failed on {file}: {reason}',
  },
  scoring: {
    weights: { points: 1, skipped: 2, cap: 3 },
    reason: 'could not analyse {file}: {detail}',
    group: 'could not analyse {count} {files}',
    extra: {
      skippedGroup: 'skipped {count} oversize {files}',
      // data.unanalysed says which limit stopped the analysis (see model.ts Unanalysed)
      timedOutGroup: 'analysis timed out on {count} {files}',
      unreadableGroup: 'could not read {count} {files} or folders',
      notCodeGroup: 'skipped {count} {files} that are not code (binary, not a regular file)',
    },
    combinations: { 'install-unanalysed': 'anchor' },
  },
  help: {
    name: 'ParseError',
    shortDescription: 'A file could not be analysed.',
    help:
      'The file could not be parsed, even loosely, so nothing in it was checked.\n\n' +
      'This is usually a syntax the parser does not support or a non-JavaScript file with a .js name. ' +
      'Deliberately malformed files can also be used to hide code from scanners.\n\n' +
      'Check that the file is what its name says; if it is loaded at run time, review it by hand.',
    sarifLevel: 'note',
  },
};
