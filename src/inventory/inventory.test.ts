// Whole-inventory properties on real captures: byte-identical output for the same input and
// knowledge base, a category (or "unknown" with a reason) for every device, bounded evidence
// citing real packets, no credential in any output.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { corpus, haveCorpus } from '../testutil/corpus.js';
import { runInventory } from './testutil.js';
import { MAX_EVIDENCE } from './evidence.js';
import { inventoryCsv } from './csv.js';

const skip = !haveCorpus();

const MIXED = [
  'zeek/traces/wikipedia.pcap',
  'zeek/traces/smb/raw_ntlm_in_smb.pcap',
  'arkime/tests/pcap/wireshark-lldp.pcap',
  'arkime/tests/pcap/ntlm_synthetic.pcap',
  'arkime/tests/pcap/bacnet-stack-services.pcap',
  'tapirx/HL7-ORU.pcap',
  'suricata-verify/tests/dhcp-eve-extended-option-60/input.pcap',
];

test('inventory: the same captures and knowledge base give byte-identical devices', { skip }, async () => {
  const paths = MIXED.map((p) => corpus(p));
  const a = await runInventory(paths, { external: true });
  const b = await runInventory(paths, { external: true });
  assert.ok(a.devices.length > 20);
  assert.equal(JSON.stringify(b.devices), JSON.stringify(a.devices));
  assert.equal(inventoryCsv(b.devices), inventoryCsv(a.devices));
  const ids = a.devices.map((d) => d.id);
  assert.deepEqual(ids, [...ids].sort(), 'sorted by id');
  assert.equal(new Set(ids).size, ids.length, 'ids unique');
});

test('inventory: every device has a category, or unknown with the reason, and bounded evidence citing input packets', { skip }, async () => {
  const paths = MIXED.map((p) => corpus(p));
  const { devices, result } = await runInventory(paths, { external: true });
  const packets = new Map(result.inputs.map((i) => [i.path, i.packets]));
  for (const d of devices) {
    assert.ok(typeof d.category_reason === 'string' && d.category_reason.length > 0, d.id);
    if (d.category === 'unknown') assert.match(d.category_reason!, /^no classification rule matched/);
    else assert.match(d.category_reason!, new RegExp(`^${d.category}, score \\d+`));
    assert.ok(d.evidence.length > 0 && d.evidence.length <= MAX_EVIDENCE, `${d.id}: ${d.evidence.length}`);
    for (const e of d.evidence) {
      const n = packets.get(e.file);
      assert.ok(n !== undefined && e.packet >= 1 && e.packet <= n, `${d.id}: ${e.file}#${e.packet}`);
      assert.ok(e.fact !== '' && e.source !== '' && e.value !== '' && Number.isFinite(e.ts));
    }
    assert.equal(d.medical, ['imaging', 'pacs', 'infusion_pump', 'patient_monitor', 'lab_analyzer', 'medical_other'].includes(d.category));
    if (d.confidence !== undefined) assert.ok(d.confidence >= 0 && d.confidence <= 1);
  }
});

test('inventory: evidence per device stays within the bound on a busy capture, keeping what decided the OS', { skip }, async () => {
  const { devices } = await runInventory([corpus('arkime/tests/pcap/ntlm_synthetic.pcap')], { external: true, maxEvidence: 4 });
  for (const d of devices) {
    assert.ok(d.evidence.length <= 4, d.id);
    if (d.os !== null && d.os.confidence! > 0.9) assert.ok(d.evidence.some((e) => e.fact === 'os'), `${d.id}: the deciding OS claim was dropped`);
  }
});

test('inventory: passwords and community strings never appear in devices', { skip }, async () => {
  // Arkime's expectations name them: http-basicauth "passwordddd" (Basic dXNlcnJycnI6cGFzc3dvcmRkZGRk),
  // SNMPv2c community "[R0_C@cti!]".
  const { devices } = await runInventory([corpus('arkime/tests/pcap/http-basicauth.pcap'), corpus('arkime/tests/pcap/SNMPv2c_get_requests.pcap')], { external: true });
  const json = JSON.stringify(devices);
  for (const secret of ['passwordddd', 'dXNlcnJycnI6cGFzc3dvcmRkZGRk', 'R0_C@cti!']) assert.ok(!json.includes(secret), secret);
});
