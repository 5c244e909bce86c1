import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyAllowlist, entryAcceptsFinding, entryMatchesPackage, isExpired } from '../../src/policy/allowlist.js';
import type { AllowEntry } from '../../src/policy/config.js';
import { f, pkg, report, secretNet } from './build.js';

const entry = (e: Partial<AllowEntry>): AllowEntry => ({ package: 'stripe', reason: 'payment SDK', field: 'allow[0]', ...e });

test('package and version range matching (prereleases included)', () => {
  const e = entry({ version: '^14' });
  assert.ok(entryMatchesPackage(e, { name: 'stripe', version: '14.2.0' }));
  assert.ok(entryMatchesPackage(e, { name: 'stripe', version: '14.3.0-beta.1' }));
  assert.ok(!entryMatchesPackage(e, { name: 'stripe', version: '15.0.0' }));
  assert.ok(!entryMatchesPackage(e, { name: 'stripe-x', version: '14.2.0' }));
  assert.ok(!entryMatchesPackage(e, { name: 'stripe', version: 'not-semver' }));
  assert.ok(entryMatchesPackage(entry({}), { name: 'stripe', version: 'not-semver' }));
});

test('what an entry accepts: listed env names (with prefix *), listed capabilities, or everything', () => {
  const e = entry({ env: ['STRIPE_*'], capabilities: ['network'] });
  assert.ok(entryAcceptsFinding(e, f('env-read', 'STRIPE_API_KEY')));
  assert.ok(!entryAcceptsFinding(e, f('env-read', 'AWS_SECRET_ACCESS_KEY')));
  assert.ok(!entryAcceptsFinding(e, f('env-bulk', 'JSON.stringify(process.env)')), 'the whole env needs the env capability');
  assert.ok(entryAcceptsFinding(e, f('network', 'https')));
  assert.ok(!entryAcceptsFinding(e, f('child-process', 'child_process')));
  assert.ok(!entryAcceptsFinding(e, f('parse-error', 'x')));
  assert.ok(entryAcceptsFinding(entry({ capabilities: ['env'] }), f('env-bulk', 'Object.keys(process.env)')));
  const whole = entry({});
  for (const rule of ['env-bulk', 'obfuscation', 'parse-error', 'install-script'] as const) {
    assert.ok(entryAcceptsFinding(whole, f(rule, 'x', { installTime: true })), rule);
  }
});

test('install-time behaviour needs install_script in the entry', () => {
  const e = entry({ env: ['STRIPE_API_KEY'], capabilities: ['network'] });
  assert.ok(!entryAcceptsFinding(e, f('network', 'https', { installTime: true })));
  assert.ok(!entryAcceptsFinding(e, f('env-read', 'STRIPE_API_KEY', { installTime: true })));
  const withInstall = entry({ env: ['STRIPE_API_KEY'], capabilities: ['network', 'install_script'] });
  assert.ok(entryAcceptsFinding(withInstall, f('network', 'https', { installTime: true })));
});

test('an exfiltration is accepted only when both its ends are', () => {
  const flow = (src: string) =>
    f('exfiltration', `${src} → https.request body`, { flow: { source: { detail: src, line: 1, column: 0 }, sink: { detail: 'https.request body', line: 2, column: 0 } } });
  assert.ok(entryAcceptsFinding(entry({ env: ['STRIPE_API_KEY'], capabilities: ['network'] }), flow('process.env.STRIPE_API_KEY')));
  assert.ok(!entryAcceptsFinding(entry({ env: ['STRIPE_API_KEY'] }), flow('process.env.STRIPE_API_KEY')));
  assert.ok(!entryAcceptsFinding(entry({ env: ['STRIPE_API_KEY'], capabilities: ['network'] }), flow('process.env.NPM_TOKEN')));
  assert.ok(!entryAcceptsFinding(entry({ env: ['STRIPE_API_KEY'], capabilities: ['network'] }), flow('process.env')));
  assert.ok(entryAcceptsFinding(entry({ capabilities: ['env', 'network'] }), flow('process.env')));
});

test('expiry: through the end of the day, UTC', () => {
  assert.ok(!isExpired({ expires: '2027-06-30' }, '2027-06-30'));
  assert.ok(isExpired({ expires: '2027-06-30' }, '2027-07-01'));
  assert.ok(!isExpired({}, '2999-01-01'));
});

test('applyAllowlist re-scores without accepted findings; the reported level stays', () => {
  const r = report([
    pkg('stripe', '14.2.0', [f('env-read', 'STRIPE_API_KEY'), f('network', 'https'), f('env-read', 'AWS_SECRET_ACCESS_KEY')]),
    secretNet('other', '1.0.0'),
  ]);
  const stripe = r.packages.find((p) => p.name === 'stripe')!;
  const before = stripe.level;
  const res = applyAllowlist(r, [entry({ version: '^14', env: ['STRIPE_API_KEY'], capabilities: ['network'] })], '2026-01-01');
  assert.equal(stripe.level, before);
  assert.equal(stripe.accepted, false, 'the AWS read is not accepted');
  assert.equal(stripe.effectiveLevel, 'medium', 'a secret read alone');
  assert.equal(stripe.acceptedReason, 'payment SDK');
  assert.deepEqual(stripe.findings.filter((x) => x.accepted).map((x) => x.detail).sort(), ['STRIPE_API_KEY', 'https']);
  const other = r.packages.find((p) => p.name === 'other')!;
  assert.equal(other.effectiveLevel, undefined);
  assert.deepEqual(res.entries[0].matched, ['stripe@14.2.0']);
  assert.deepEqual(res.notes, []);
});

test('expired and unused entries are reported; expired ones accept nothing', () => {
  const r = report([secretNet('beacon', '1.0.0')]);
  const res = applyAllowlist(
    r,
    [
      entry({ package: 'beacon', expires: '2025-12-31', field: 'allow[0]' }),
      entry({ package: 'gone', field: 'allow[1]' }),
    ],
    '2026-01-01',
  );
  assert.equal(r.packages[0].findings.some((x) => x.accepted), false);
  assert.equal(res.entries[0].expired, true);
  assert.deepEqual(res.entries[0].matched, ['beacon@1.0.0']);
  assert.match(res.notes[0], /^allowlist entry allow\[0\] \(beacon\) expired on 2025-12-31 and no longer accepts anything; it would accept findings of beacon@1\.0\.0$/);
  assert.match(res.notes[1], /^allowlist entry allow\[1\] \(gone\) matched no finding/);
});

test('ENV_AUDIT_TODAY replays a date for expiry', async () => {
  const { today } = await import('../../src/policy/allowlist.js');
  const old = process.env.ENV_AUDIT_TODAY;
  process.env.ENV_AUDIT_TODAY = '2031-02-03';
  try {
    assert.equal(today(), '2031-02-03');
  } finally {
    if (old === undefined) delete process.env.ENV_AUDIT_TODAY;
    else process.env.ENV_AUDIT_TODAY = old;
  }
  assert.equal(today(new Date('2026-05-06T23:59:00Z')), process.env.ENV_AUDIT_TODAY ?? '2026-05-06');
});
