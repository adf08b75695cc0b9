// OPC UA's readable user-name password (nDPI's opc-ua.pcap: Wireshark decodes frame 21's
// UserNameIdentityToken with Password 70617373776f7264 and a null EncryptionAlgorithm over a
// SecurityPolicy None channel) is a clear-text credential on the server nDPI names (port 4840).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { corpus, haveCorpus } from '../testutil/corpus.js';
import { ndpiFlows } from '../testutil/peers.js';
import { assessCaptures } from './testutil.js';

const skip = !haveCorpus();

test('cleartext-credentials: the OPC UA server that accepted a user-name token in clear', { skip }, async () => {
  const flow = ndpiFlows(corpus('ndpi', 'result', 'opc-ua.pcap.out')).find((f) => f.app.startsWith('OPC-UA'))!;
  const server = flow.bPort === 4840 ? flow.b : flow.a;
  const pcap = corpus('ndpi', 'pcap', 'opc-ua.pcap');
  const a = await assessCaptures([pcap]);
  try {
    const f = a.result.findings.filter((x) => x.rule === 'cleartext-credentials' && x.device === `ip:${server}`);
    assert.equal(f.length, 1, a.result.findings.map((x) => `${x.rule} ${x.device} ${x.title}`).join('\n'));
    assert.match(f[0].title, /OPC UA/);
    assert.ok(f[0].evidence.some((e) => e.packet === 21 && e.file === pcap));
    assert.ok(!JSON.stringify(f[0]).includes(':"password"'));
  } finally {
    a.run.cleanup();
  }
});
