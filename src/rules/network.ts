// network: Can reach the network.
import type { RuleRecord } from './record.js';

export const network: RuleRecord = {
  id: 'network',
  capability: 'network',
  producer: 'detector',
  messages: {
    module: '{module}',
    global: '{name}',
    stored: '{name} (kept as a value)',
    command: '{command}',
  },
  scoring: {
    weights: { points: 10 },
    reason: 'network: {detail}',
    group: 'can reach the network: {details}',
    combinations: { 'install-time': 'sink', 'obfuscation': 'sink', 'obfuscated-capability': 'sink', 'install-dropper': 'sink', 'secret-sink': 'sink', 'credential-network': 'sink' },
    phrase: 'reach the network',
  },
  help: {
    name: 'NetworkAccess',
    shortDescription: 'Can reach the network.',
    help:
      'The package uses a network API: `http`, `https`, `http2`, `net`, `tls`, `dgram`, `dns`, `undici`, global ' +
      '`fetch`, `WebSocket`, `XMLHttpRequest` or `EventSource`.\n\n' +
      'On its own this is normal for clients and SDKs. Combined with secret or whole-environment reads it is the ' +
      'path a credential would take out of your build.\n\n' +
      'Check that the package is meant to talk to the network and which hosts it contacts.',
    sarifLevel: 'note',
  },
};
