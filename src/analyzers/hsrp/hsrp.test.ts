// HSRP against tshark 4.0's decode of a generated capture (test/fixtures/generated/hsrp/
// generate.sh: Yersinia speaking for a group's two routers and for an attacker taking the active
// role; Debian ships no HSRP router, and no corpus capture holds HSRP); version 2's TLVs, built
// after Cisco's layout (said there); the findings its clear-text authentication raises; fuzzing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { linesByFrame, readTsharkFields, REPO_ROOT, runCaptures } from '../../testutil/corpus.js';
import { fuzzParser } from '../../testutil/fuzz.js';
import { payloads } from '../../testutil/payloads.js';
import { writePcap } from '../../testutil/pcapwriter.js';
import { assessCaptures } from '../../assess/testutil.js';
import { parseHsrp } from './parse.js';

const GEN = join(REPO_ROOT, 'test', 'fixtures', 'generated');
const PCAP = join(GEN, 'generated-hsrp-takeover.pcap');
const OPCODE = ['hello', 'coup', 'resign', 'advertise'];
const STATE: Record<string, string> = { '0': 'initial', '1': 'learn', '2': 'listen', '4': 'speak', '8': 'standby', '16': 'active' };

/** tshark's rows: frame, eth src, ip src, ip dst, version, opcode, state, hello, hold, priority, group, auth data, virtual IP. */
const rows = readTsharkFields(join(GEN, 'hsrp', 'tshark.tsv'));

test('hsrp.log: one line per message with tshark\'s router, opcode, state, timers, priority, group and virtual address; the password only as <redacted>', async () => {
  assert.equal(rows.length, 13);
  const run = await runCaptures([PCAP]);
  try {
    const log = run.log('hsrp');
    for (const { l, r, at } of linesByFrame(log, rows)) {
      assert.deepEqual([l.mac_src, l.router, l['id.resp_h'], l.version], [r[1], r[2], r[3], Number(r[4]) + 1], at);
      assert.deepEqual([l.opcode, l.state, l.hello_time, l.hold_time, l.priority, l.group, l.virtual_ip], [OPCODE[Number(r[5])], STATE[r[6]], Number(r[7]), Number(r[8]), Number(r[9]), Number(r[10]), r[12]], at);
      // tshark shows the authentication text; wardline only says it was text, and Cisco's default.
      assert.deepEqual([l.auth, l.password, l.auth_is_default], ['text', '<redacted>', r[11] === 'cisco' ? true : undefined], at);
    }
    assert.ok(!readFileSync(join(run.outDir, 'logs', 'hsrp.log'), 'utf8').includes('"cisco"'));
    assert.ok(run.log('conn').every((c) => c.service === 'hsrp'));
  } finally {
    run.cleanup();
  }
});

test('the routers and the attacker sent the default text in clear: cleartext-credentials and default-credentials on each, with HSRP\'s own fix', async () => {
  const a = await assessCaptures([PCAP]);
  try {
    for (const rule of ['cleartext-credentials', 'default-credentials']) {
      const f = a.result.findings.filter((x) => x.rule === rule);
      assert.deepEqual([...new Set(f.flatMap((x) => x.evidence.filter((e) => /credential$/.test(e.fact)).map((e) => e.source)))], ['hsrp.password'], rule);
      const devices = new Set(f.map((x) => x.device));
      assert.equal(devices.size, 3, rule);
    }
    const c = a.result.findings.find((x) => x.rule === 'cleartext-credentials')!;
    assert.match(c.remediation, /MD5/);
  } finally {
    a.run.cleanup();
  }
});

// Synthetic: no capture here holds HSRP version 2 (UDP 2029, 224.0.0.102): a Group State TLV
// (type 1, length 40) and an MD5 authentication TLV (type 4), as Cisco lays them out.
test('version 2: group state TLV fields, MD5 authentication (no credential) (synthetic)', async () => {
  const gs = Buffer.alloc(42);
  gs[0] = 1;
  gs[1] = 40;
  gs[2] = 2;
  gs[3] = 0;
  gs[4] = 16;
  gs[5] = 4;
  gs.writeUInt16BE(300, 6);
  Buffer.from('02970e000002', 'hex').copy(gs, 8);
  gs.writeUInt32BE(150, 14);
  gs.writeUInt32BE(3000, 18);
  gs.writeUInt32BE(10000, 22);
  Buffer.from([10, 97, 14, 1]).copy(gs, 26);
  const md5 = Buffer.alloc(30);
  md5[0] = 4;
  md5[1] = 28;
  const payload = Buffer.concat([gs, md5]);
  const udp = Buffer.alloc(8);
  udp.writeUInt16BE(2029, 0);
  udp.writeUInt16BE(2029, 2);
  udp.writeUInt16BE(8 + payload.length, 4);
  const ip = Buffer.alloc(20);
  ip[0] = 0x45;
  ip.writeUInt16BE(28 + payload.length, 2);
  ip[8] = 1;
  ip[9] = 17;
  Buffer.from([10, 97, 14, 2]).copy(ip, 12);
  Buffer.from([224, 0, 0, 102]).copy(ip, 16);
  const frame = new Uint8Array(Buffer.concat([Buffer.from('01005e00006602970e0000020800', 'hex'), ip, udp, payload]));
  const run = await runCaptures([writePcap([{ ts: 1, frame }])]);
  try {
    const [l] = run.log('hsrp');
    assert.deepEqual([l.version, l.opcode, l.state, l.group, l.identifier, l.priority, l.hello_time, l.hold_time, l.virtual_ip, l.auth, l.password], [2, 'hello', 'active', 300, '02:97:0e:00:00:02', 150, 3, 10, '10.97.14.1', 'md5', undefined]);
  } finally {
    run.cleanup();
  }
});

test('parseHsrp() survives truncation and mutation of real messages', async () => {
  const seeds = (await payloads(PCAP, { proto: 17 })).map((p) => p.bytes);
  assert.equal(seeds.length, 13);
  fuzzParser(seeds, (b) => {
    parseHsrp(b, 0, b.length, false);
    parseHsrp(b, 0, b.length, true);
  });
});
