// An OPC UA server is an industrial device and names itself: nDPI's opc-ua.pcap (open62541 on
// loopback, whose GetEndpoints answer Wireshark decodes as ApplicationUri
// urn:open62541.server.application, ProductUri http://open62541.org) and Arkime's
// opcua_synthetic.pcap (five servers answering a Hello on 4840). The vendor rules are checked on
// synthetic ProductUris: no corpus capture holds a vendor's OPC UA server.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { corpus, haveCorpus } from '../testutil/corpus.js';
import { arkimeSessions } from '../testutil/peers.js';
import { DEFAULT_KB_DIR } from '../knowledge/kb.js';
import { evaluate, loadRules, type FactIndex } from './rules.js';
import { deviceWithIp, runInventory } from './testutil.js';

const skip = !haveCorpus();

test('inventory: the open62541 server gets the opcua-server role, category industrial and its ApplicationDescription', { skip }, async () => {
  const { devices } = await runInventory([corpus('ndpi', 'pcap', 'opc-ua.pcap')]);
  const d = deviceWithIp(devices, '127.0.0.1');
  assert.ok(d !== undefined);
  assert.equal(d.category, 'industrial');
  const ev = (source: string): string | undefined => d.evidence.find((e) => e.source === source)?.value;
  assert.equal(d.evidence.find((e) => e.fact === 'role')?.value, 'opcua-server');
  assert.equal(ev('opcua.application_uri'), 'urn:open62541.server.application');
  assert.equal(ev('opcua.product_uri'), 'http://open62541.org');
  // An SDK's URI names no device vendor.
  assert.equal(d.vendor, null);
});

test("inventory: each server of Arkime's OPC UA sessions is an opcua-server, its clients are not", { skip }, async () => {
  const sessions = arkimeSessions(corpus('arkime', 'tests', 'pcap', 'opcua_synthetic.test'));
  const { devices } = await runInventory([corpus('arkime', 'tests', 'pcap', 'opcua_synthetic.pcap')]);
  for (const s of sessions) {
    const server = deviceWithIp(devices, (s.destination as { ip: string }).ip);
    const client = deviceWithIp(devices, (s.source as { ip: string }).ip);
    assert.ok(server?.evidence.some((e) => e.fact === 'role' && e.value === 'opcua-server'), String((s.destination as { ip: string }).ip));
    assert.ok(!client?.evidence.some((e) => e.fact === 'role' && e.value === 'opcua-server'));
    assert.equal(server?.category, 'industrial');
  }
});

test('classify.rules: a ProductUri on a vendor domain names the vendor, an SDK or look-alike does not (synthetic URIs)', () => {
  const rules = loadRules(DEFAULT_KB_DIR);
  const vendor = (uri: string): string | undefined => {
    const idx: FactIndex = new Map([['opcua.product_uri', [{ value: uri, ref: 0 }]]]);
    return evaluate(rules, idx).find((f) => f.rule.vendor !== undefined)?.rule.vendor;
  };
  assert.equal(vendor('https://www.siemens.com/s7-1500'), 'Siemens');
  assert.equal(vendor('urn:Siemens.Automation.SimaticNET.OPC-UA'), 'Siemens');
  assert.equal(vendor('http://www.beckhoff.com/TwinCAT3/OpcUaServer'), 'Beckhoff');
  assert.equal(vendor('http://open62541.org'), undefined);
  assert.equal(vendor('http://notsiemens.com.example.org/x'), undefined);
});
