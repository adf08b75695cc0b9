// LLDP against real captures: Zeek's unknown_protocols record for lldp.pcap (the frame's first
// bytes, i.e. where our frame payload starts), Arkime's wireshark-lldp session (source MACs), and
// field values as Wireshark's LLDP dissector decodes them
// (`tshark -T fields -e lldp.chassis.id.mac -e lldp.port.id -e lldp.time_to_live …`).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { corpus, haveCorpus, linesByFrame, readTsharkFields, readZeekTsv, REPO_ROOT, runCaptures } from '../../testutil/corpus.js';
import { runPipeline } from '../../engine/pipeline.js';
import { INVENTORY } from '../../inventory/builder.js';
import { testKb } from '../../inventory/testutil.js';
import { fuzzParser } from '../../testutil/fuzz.js';
import { parseLldp } from './parse.js';

const skip = !haveCorpus() && 'shared corpus not present';
const hex = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s, 'hex'));

// Synthetic: an LLDP-MED advertisement (no capture in the corpus carries MED inventory TLVs):
// chassis MAC, port id "eth0" (interface name), TTL 120, MED hardware revision and model name.
const MED = hex(
  '0207040011223344550405056574683006020078' +
    'fe0a0012bb05' + Buffer.from('HW-1.2').toString('hex') +
    'fe0a0012bb0a' + Buffer.from('Pump-9').toString('hex') +
    '0000',
);

test('parseLldp() reads LLDP-MED inventory TLVs (synthetic)', () => {
  const r = parseLldp(MED, 0, MED.length);
  assert.equal(r.chassis_id, '00:11:22:33:44:55');
  assert.equal(r.port_id, 'eth0');
  assert.equal(r.ttl, 120);
  assert.equal(r.med_hardware_revision, 'HW-1.2');
  assert.equal(r.med_model_name, 'Pump-9');
  assert.deepEqual(r.problems, []);
});

test('parseLldp() survives truncation and mutation', { skip }, () => {
  const seeds = [MED];
  for (const f of [corpus('zeek', 'traces', 'lldp.pcap'), corpus('arkime', 'tests', 'pcap', 'wireshark-lldp.pcap')]) {
    const b = readFileSync(f);
    let p = 24;
    while (p + 16 <= b.length) {
      const cap = b.readUInt32LE(p + 8);
      seeds.push(Uint8Array.from(b.subarray(p + 16 + 14, p + 16 + cap)));
      p += 16 + cap;
    }
  }
  fuzzParser(seeds, (b) => {
    parseLldp(b, 0, b.length);
  }, { mutations: 150 });
});

test("lldp.pcap: the advertisement Zeek saw, decoded as Wireshark decodes it", { skip }, async () => {
  const [z] = readZeekTsv(corpus('zeek', 'baselines', 'core.unknown-protocol-log', 'unknown_protocols.log'));
  assert.equal(z.protocol_id, '0x88cc');
  const run = await runCaptures([corpus('zeek', 'traces', 'lldp.pcap')]);
  try {
    const [l] = run.log('lldp');
    // Zeek's first_bytes 02 07 04 00222d81db10 04…: chassis id TLV, MAC subtype, this MAC.
    assert.equal(z.first_bytes.slice(6, 18), String(l.chassis_id).replace(/:/g, ''));
    assert.equal(l.port_id, '1');
    assert.equal(l.ttl, 120);
    assert.equal(l.port_description, 'Port #1');
    assert.equal(l.system_name, 'SMCGS8P-Smart');
    assert.equal(l.system_description, 'SMCGS8P-Smart - SMCGS8P-Smart v3.20');
    assert.deepEqual(l.mgmt_addresses, ['192.168.2.10']);
    assert.equal(l.mac_src, '00:22:2d:81:db:10');
  } finally {
    run.cleanup();
  }
});

test("wireshark-lldp.pcap: Arkime's three sources, Wireshark's values, the duplicate TTL as a weird", { skip }, async () => {
  const session = (JSON.parse(readFileSync(corpus('arkime', 'tests', 'pcap', 'wireshark-lldp.test'), 'utf8')) as { sessions3: { body: { source: { mac: string[] } } }[] }).sessions3[0];
  const run = await runCaptures([corpus('arkime', 'tests', 'pcap', 'wireshark-lldp.pcap')]);
  try {
    const lines = run.log('lldp');
    assert.deepEqual(lines.map((l) => l.mac_src).sort(), [...session.body.source.mac].sort());
    assert.deepEqual(lines.map((l) => [l.chassis_id, l.port_id, l.ttl]), [
      ['00:04:96:1f:a7:26', '1/3', 120],
      ['00:01:30:f9:ad:a0', '1/1', 120],
      ['00:13:21:57:ca:40', '1', 120],
    ]);
    assert.equal(lines[1].system_name, 'Summit300-48');
    assert.equal(lines[1].port_vlan, 488);
    assert.deepEqual(lines[1].mgmt_addresses, ['00:01:30:f9:ad:a0']);
    assert.deepEqual(lines[1].enabled_capabilities, ['bridge', 'router']);
    assert.deepEqual(lines[2].mgmt_addresses, ['15.255.122.148']);
    assert.deepEqual(lines[2].enabled_capabilities, ['bridge']);
    // tshark: frame 3's LLDP-MED class 4 (network connectivity) and its voice policy: VLAN 50, tagged, priority 6, DSCP 46.
    assert.deepEqual([lines[2].med_class, lines[2].med_policies], ['network_connectivity', ['voice vlan 50 tagged priority 6 dscp 46']]);
    assert.ok((run.result.weirds['lldp.duplicate_tlv'] ?? 0) >= 1);
  } finally {
    run.cleanup();
  }
});

// lldpd announcing itself as an IP phone would (test/fixtures/generated/lldp-med/generate.sh):
// LLDP-MED class III and a voice network policy, against tshark's decode.
const MED_PCAP = join(REPO_ROOT, 'test', 'fixtures', 'generated', 'generated-lldp-med-phone.pcap');
const MED_APPS: Record<string, string> = { '1': 'voice' };

test("LLDP-MED device class and network policy as tshark reads them (generated: lldpd -M 3 with a voice policy); the announcer is a phone on the voice VLAN", async () => {
  /** tshark's rows: frame, eth src, MED class, application type, tagged flag, VLAN id, priority, DSCP. */
  const rows = readTsharkFields(join(REPO_ROOT, 'test', 'fixtures', 'generated', 'lldp-med', 'tshark.tsv'));
  assert.equal(rows.length, 6);
  const run = await runCaptures([MED_PCAP]);
  try {
    for (const { l, r, at } of linesByFrame(run.log('lldp'), rows)) {
      assert.equal(l.med_class, r[2] === '3' ? 'endpoint_class_iii' : undefined, at);
      const policy = r[3] === '' ? undefined : [`${MED_APPS[r[3]]} vlan ${r[5]}${r[4] === '1' ? ' tagged' : ' untagged'} priority ${r[6]} dscp ${r[7]}`];
      assert.deepEqual(l.med_policies, policy, at);
    }
  } finally {
    run.cleanup();
  }
  const p = await runPipeline([MED_PCAP], { outDir: null, kb: testKb() }, INVENTORY);
  const phone = p.report.devices.find((d) => d.id === 'mac:02:97:16:00:00:20')!;
  assert.equal(phone.category, 'phone');
  assert.ok(phone.evidence.some((e) => e.fact === 'vlan' && e.value === '110' && e.source === 'lldp.med_policy' && e.packet === 2));
});

test("a switch's LLDP-MED voice policy is what it offers its port's phones, not its own VLAN (Arkime's wireshark-lldp.pcap, the ProCurve)", { skip }, async () => {
  const p = await runPipeline([corpus('arkime', 'tests', 'pcap', 'wireshark-lldp.pcap')], { outDir: null, kb: testKb() }, INVENTORY);
  const sw = p.report.devices.find((d) => d.evidence.some((e) => e.fact === 'hostname' && e.value === 'ProCurve Switch 2600-8-PWR'))!;
  assert.equal(sw.category, 'network');
  assert.ok(!sw.evidence.some((e) => e.source === 'lldp.med_policy' || e.source === 'lldp.med_class'));
});
