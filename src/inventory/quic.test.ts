// What QUIC tells the inventory (test/fixtures/ndpi/ndpi-quic.pcap, connections from nDPI's
// captures): Google QUIC's CHLO user agent names the client's OS as an HTTP User-Agent does
// (ndpiReader 4.2: [User-Agent: Chrome/62.0.3202.94 Windows NT 10.0; Win64; x64] for
// 192.168.2.27), and the TLS inside IETF QUIC gives the client's JA3/JA4 ('q' transport).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { join } from 'node:path';
import { REPO_ROOT } from '../testutil/corpus.js';
import { deviceWithIp, runInventory } from './testutil.js';

const PCAP = join(REPO_ROOT, 'test', 'fixtures', 'ndpi', 'ndpi-quic.pcap');

test("a gQUIC user agent is the client's user agent and OS evidence; QUIC's TLS hello gives JA3/JA4", async () => {
  const { devices } = await runInventory([PCAP]);
  const win = deviceWithIp(devices, '192.168.2.27')!;
  assert.ok(win.evidence.some((e) => e.source === 'quic.user_agent' && e.value === 'Chrome/62.0.3202.94 Windows NT 10.0; Win64; x64' && e.packet > 0));
  assert.equal(win.os?.family, 'Windows');
  assert.equal(win.category, 'workstation');
  // 10.9.0.1's ClientHello to localhost (draft-29, Firefox's per nDPI: JA3C b3e43d74…).
  const ff = deviceWithIp(devices, '10.9.0.1')!;
  assert.ok(ff.evidence.some((e) => e.source === 'tls.ja3' && e.value === 'b3e43d74f4b790abca2f5fe7dd06e7cf'));
  assert.ok(ff.evidence.some((e) => e.source === 'tls.ja4' && e.value.startsWith('q13d')));
});
