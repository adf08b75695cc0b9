// XDMCP on nDPI's capture (test/fixtures/ndpi/ndpi-xdmcp.pcap, extracted from the benchmark's
// merge of nDPI's test captures): an X terminal 10.1.2.2 queries the display manager 10.1.2.4,
// which is willing, requests a session and is accepted with an MIT-MAGIC-COOKIE-1 in clear, then
// sends Manage twice. Expectations: tshark 4.0's decode (ndpi-xdmcp.tshark.tsv) and ndpiReader's
// label (XDMCP, ndpi-xdmcp.pcap.out).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT, runCaptures } from '../../testutil/corpus.js';
import { feedAnalyzer, flowBytes } from '../../testutil/flowbytes.js';
import { deviceWithIp, runInventory } from '../../inventory/testutil.js';
import { assessCaptures } from '../../assess/testutil.js';
import { fuzzParser } from '../../testutil/fuzz.js';
import { PROBE_NO, PROBE_YES } from '../types.js';
import { XdmcpAnalyzer } from './analyzer.js';
import { probe } from './probe.js';

const PCAP = join(REPO_ROOT, 'test', 'fixtures', 'ndpi', 'ndpi-xdmcp.pcap');
/** The display's authorization data of frame 4 (tshark: xdmcp.authorization_data, 16 bytes). */
const COOKIE = '4cfbe83156f9f9447e43179dd3e4968e';

test('xdmcp.log: the query, the willing manager, the terminal\'s request and the accepted session', async () => {
  const run = await runCaptures([PCAP]);
  try {
    assert.deepEqual(run.log('conn').map((c) => c.service), ['xdmcp']);
    const [l] = run.log('xdmcp');
    // Opcodes 2, 5, 7, 8, 10, 10; status "Willing to manage" (frame 2); display number 0, five
    // IPv4 and four IPv6 connection addresses, authorization names asked for (frame 3); Accept
    // with MIT-MAGIC-COOKIE-1 and 16 bytes of data (frame 4); display class MIT-unspecified (5, 6).
    assert.deepEqual(l.messages, ['query', 'willing', 'request', 'accept', 'manage']);
    assert.deepEqual([l.queries, l.manager_orig, l.status, l.display_number], [1, false, 'Willing to manage', 0]);
    assert.deepEqual(l.addresses, [
      '198.90.223.43',
      '192.168.56.1',
      '169.254.90.0',
      '169.254.85.96',
      '198.61.94.57',
      'fe80::14bb:a17:3328:f624',
      'fe80::d0f:d6a5:bcd2:7d4b',
      'fe80::a50c:1073:46e7:5a00',
      'fe80::a173:a787:f5d2:5560',
    ]);
    assert.deepEqual(l.authorization_requested, ['MIT-MAGIC-COOKIE-1', 'XDM-AUTHORIZATION-1', 'SUN-DES-1']);
    assert.deepEqual([l.outcome, l.authorization_name, l.authorization, l.display_class], ['accepted', 'MIT-MAGIC-COOKIE-1', '<redacted>', 'MIT-unspecified']);
    assert.equal(l.hostname, undefined); // the Willing's host name is empty
    assert.equal(run.log('weird').length, 0);
    // The cookie itself is in no output file.
    for (const f of readdirSync(join(run.outDir, 'logs'))) assert.ok(!readFileSync(join(run.outDir, 'logs', f), 'latin1').includes(COOKIE), f);
  } finally {
    run.cleanup();
  }
});

test('the display manager is a server offering X logins in clear; the cookie is a clear-text credential', async () => {
  const { devices } = await runInventory([PCAP]);
  const dm = deviceWithIp(devices, '10.1.2.4')!;
  assert.ok(dm.evidence.some((e) => e.fact === 'role' && e.value === 'xdmcp-server'));
  assert.equal(dm.category, 'server');
  const xt = deviceWithIp(devices, '10.1.2.2')!;
  assert.ok(xt.evidence.some((e) => e.fact === 'role' && e.value === 'x-terminal'));
  const a = await assessCaptures([PCAP]);
  try {
    const clear = a.result.findings.filter((f) => f.rule === 'cleartext-protocol');
    assert.deepEqual(clear.map((f) => f.title), ['Clear-text XDMCP (X display manager) served on port 177']);
    assert.ok(clear[0].remediation.startsWith('Turn XDMCP off'));
    const cred = a.result.findings.filter((f) => f.rule === 'cleartext-credentials');
    assert.equal(cred.length, 1);
    assert.ok(cred[0].device.includes('10.1.2.4') || deviceWithIp(a.result.devices, '10.1.2.4')?.id === cred[0].device);
    assert.ok(!JSON.stringify(a.result).includes(COOKIE));
  } finally {
    a.run.cleanup();
  }
});

test('probe(): an XDMCP header whose length is the datagram\'s, on any port; nothing else', async () => {
  const flows = await flowBytes(PCAP);
  for (const c of flows[0].chunks) assert.equal(probe(c.bytes, 0, c.bytes.length, c.isOrig, 17), PROBE_YES);
  const q = flows[0].chunks[0].bytes;
  assert.equal(probe(q, 0, q.length, true, 6), PROBE_NO);
  assert.equal(probe(q, 0, q.length - 1, true, 17), PROBE_NO);
  // Version 2, opcode 0 and opcode 15 are not XDMCP 1.0.
  for (const bad of [[0, 2, 0, 2, 0, 1, 0], [0, 1, 0, 0, 0, 1, 0], [0, 1, 0, 15, 0, 1, 0]]) assert.equal(probe(Uint8Array.from(bad), 0, bad.length, true, 17), PROBE_NO);
});

test('Decline, Failed and an X terminal\'s manufacturer id (synthetic: the capture has none), and fuzzing', async () => {
  const a8 = (s: string) => [s.length >> 8, s.length & 0xff, ...Buffer.from(s)];
  const msg = (op: number, body: number[]) => Uint8Array.from([0, 1, 0, op, body.length >> 8, body.length & 0xff, ...body]);
  // Request from a thin client: display 1, one IPv4 address, no authentication, no authorization, its id.
  const req = msg(7, [0, 1, 1, 0, 0, 1, ...a8('\x0a\x00\x00\x07'), ...a8(''), ...a8(''), 0, ...a8('HP t5730w 00:1f:29:aa:bb:cc')]);
  const decline = msg(9, [...a8('No valid address'), ...a8(''), ...a8('')]);
  const out = feedAnalyzer(
    new XdmcpAnalyzer(),
    [
      { isOrig: true, bytes: req },
      { isOrig: false, bytes: decline },
    ],
    17,
  );
  const s = out.events.find((e) => e.type === 'xdmcp.session')!;
  assert.deepEqual([s.display_number, s.addresses, s.manufacturer_display_id, s.outcome, s.reason, s.terminal_orig, s.manager_orig], [1, ['10.0.0.7'], 'HP t5730w 00:1f:29:aa:bb:cc', 'declined', 'No valid address', true, false]);
  assert.deepEqual(out.weirds, []);
  // A field running past the stated length is a weird, not a throw.
  const cut = msg(7, [0, 1, 3]);
  assert.deepEqual(feedAnalyzer(new XdmcpAnalyzer(), [{ isOrig: true, bytes: cut }], 17).weirds, ['xdmcp.truncated_field']);
  const flows = await flowBytes(PCAP);
  fuzzParser(
    flows[0].chunks.map((c) => c.bytes),
    (b) => {
      feedAnalyzer(
        new XdmcpAnalyzer(),
        [
          { isOrig: true, bytes: b },
          { isOrig: false, bytes: b },
        ],
        17,
      );
    },
  );
});
