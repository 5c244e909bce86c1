// CLI hygiene: typos get a "did you mean", unknown options are errors, and an option's value is
// never taken for the project folder. Unit tests of the parser, then the real CLI (exit 2, one
// clear line, before any scan).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { COMMON_OPTIONS, extractJsonFile, parse, UsageError } from '../../src/cli/args.js';
import { closest } from '../../src/cli/suggest.js';
import type { Report } from '../../src/model.js';
import { fixture, parseJson, runCli } from '../helpers.js';
import { copyTree, tmpDir } from '../policy/util.js';

test('closest: typos, transpositions and prefixes; nothing for unrelated words', () => {
  const commands = ['scan', 'explain', 'baseline', 'diff', 'preview'];
  assert.equal(closest('scna', commands), 'scan');
  assert.equal(closest('xplain', commands), 'explain');
  assert.equal(closest('previw', commands), 'preview');
  assert.equal(closest('basline', commands), 'baseline');
  assert.equal(closest('myapp', commands), undefined);
  assert.equal(closest('a', commands), undefined);
  const options = Object.keys(COMMON_OPTIONS);
  assert.equal(closest('failon', options), 'fail-on');
  assert.equal(closest('fail_on', options), 'fail-on');
  assert.equal(closest('qiet', options), 'quiet');
  assert.equal(closest('json-file', options), 'json');
  assert.equal(closest('sarf', options), 'sarif');
  assert.equal(closest('colour', options), undefined);
});

test('parse: unknown options are errors with a suggestion; --json-file is not an option', () => {
  const message = (argv: string[]) => {
    try {
      parse(argv, COMMON_OPTIONS);
    } catch (err) {
      assert.ok(err instanceof UsageError);
      return err.message;
    }
    return 'no error';
  };
  assert.equal(message(['--failon', 'high']), 'unknown option --failon; did you mean --fail-on?');
  assert.equal(message(['--json-file', 'x.json']), 'unknown option --json-file; did you mean --json?');
  assert.equal(message(['--failon=high']), 'unknown option --failon; did you mean --fail-on?');
  assert.equal(message(['--frobnicate']), 'unknown option --frobnicate');
});

test('--json FILE: a file name is the output, an existing folder is the project, a bare unknown word is an error', () => {
  const dir = tmpDir();
  assert.deepEqual(extractJsonFile(['--json', 'report.txt']), { argv: ['--json'], jsonFile: 'report.txt' });
  assert.deepEqual(extractJsonFile(['--json', 'out/report.json', 'app']), { argv: ['--json', 'app'], jsonFile: 'out/report.json' });
  assert.deepEqual(extractJsonFile(['--json=x']), { argv: ['--json'], jsonFile: 'x' });
  assert.deepEqual(extractJsonFile(['--json', dir]), { argv: ['--json', dir], jsonFile: undefined });
  assert.deepEqual(extractJsonFile(['--json', '--quiet']), { argv: ['--json', '--quiet'], jsonFile: undefined });
  assert.throws(() => extractJsonFile(['--json', 'no-such-word']), /neither a folder nor a file name/);
  const { values, positionals } = parse(['--json', 'report.txt', dir], COMMON_OPTIONS);
  assert.equal(values['json-file'], 'report.txt');
  assert.deepEqual(positionals, [dir]);
});

test('CLI: an unknown command, a misspelt flag and an unknown option exit 2 with "did you mean", before any scan', () => {
  const cases: [string[], RegExp][] = [
    [['scna'], /^env-audit: unknown command "scna"; did you mean "scan"\?$/m],
    [['xplain', 'debug'], /did you mean "explain"\?/],
    [[fixture('policy-head'), '--failon', 'high'], /^env-audit: unknown option --failon; did you mean --fail-on\?$/m],
    [[fixture('policy-head'), '--json-file', 'x.json'], /unknown option --json-file; did you mean --json\?/],
    [['frobnicate'], /"frobnicate" is neither a command \(scan, explain, baseline, diff, preview, trace\) nor a folder/],
  ];
  for (const [args, re] of cases) {
    const r = runCli([...args, '--no-cache']);
    assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, re);
    assert.equal(r.stdout, '');
  }
});

test('CLI: --json report.txt writes the report to that file and scans the current folder; explain never takes an option value for the package', () => {
  const dir = copyTree(fixture('policy-head'));
  const r = runCli(['--json', 'report.txt', '--no-cache', '-q'], { cwd: dir });
  assert.equal(r.status, 0, r.stderr);
  const file = path.join(dir, 'report.txt');
  assert.equal(parseJson<Report>(fs.readFileSync(file, 'utf8')).root.name, 'policy-app');
  const e = runCli(['explain', '--cache-dir', path.join(tmpDir(), 'cache'), 'legacy-reporter', fixture('policy-head')]);
  assert.equal(e.status, 0, e.stderr);
  assert.match(e.stdout, /^legacy-reporter@2\.1\.0 {2}HIGH/);
});
