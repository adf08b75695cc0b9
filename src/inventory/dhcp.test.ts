// DHCP clients get the OS (or device type) Satori's dhcp.xml gives their fingerprint. The
// fingerprints are Wireshark's reading of the captures (fixtures/dhcp-tshark.tsv; the option-60
// one is also what suricata-verify's EVE expectation lists); the answers are read from
// knowledge/satori/fingerprints/dhcp.xml here with a plain scan — the fingerprints whose exact
// option-55 test for the message type (or "Any") equals the client's list — not through the
// knowledge base's own Satori index.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { corpus, haveCorpus, REPO_ROOT } from '../testutil/corpus.js';
import { runInventory } from './testutil.js';

const skip = !haveCorpus();
const TYPES: Record<string, string> = { '1': 'Discover', '3': 'Request', '8': 'Inform' };

interface Fingerprint {
  name: string;
  os: string;
  osClass: string;
  deviceType: string;
}

function exactOption55(list: string, type: string): Fingerprint[] {
  const xml = readFileSync(join(REPO_ROOT, 'knowledge', 'satori', 'fingerprints', 'dhcp.xml'), 'utf8');
  const out: Fingerprint[] = [];
  let cur: Fingerprint | null = null;
  for (const line of xml.split('\n')) {
    const f = /<fingerprint name="([^"]*)" os_name="([^"]*)" os_class="([^"]*)"[^>]*device_type="([^"]*)"/.exec(line);
    if (f !== null) {
      cur = { name: f[1], os: f[2], osClass: f[3], deviceType: f[4] };
      continue;
    }
    const t = /matchtype="exact" dhcptype="(\w+)" dhcpoption55="([^"]*)"/.exec(line);
    if (t !== null && cur !== null && (t[1] === type || t[1] === 'Any') && t[2].replace(/\s/g, '') === list && !out.includes(cur)) out.push(cur);
  }
  return out;
}

const rows = readFileSync(join(REPO_ROOT, 'src', 'inventory', 'fixtures', 'dhcp-tshark.tsv'), 'utf8')
  .split('\n')
  .filter((l) => l !== '' && !l.startsWith('#'))
  .map((l) => {
    const [capture, mac, type, list, vendorClass] = l.split('\t');
    return { capture, mac, type: TYPES[type], list, vendorClass };
  });

for (const r of rows) {
  test(`inventory: the DHCP client of ${r.capture} gets what dhcp.xml gives its option 55 list`, { skip }, async () => {
    const want = exactOption55(r.list, r.type);
    assert.ok(want.length > 0, 'dhcp.xml has an exact test for this list');
    const { devices } = await runInventory([corpus(r.capture)]);
    const d = devices.find((x) => x.mac === r.mac);
    assert.ok(d !== undefined, r.mac);
    assert.ok(d.evidence.some((e) => e.source === 'dhcp.option55' && e.value === r.list), 'option 55 kept as evidence');
    const osNames = [...new Set(want.map((w) => w.os).filter((o) => o !== ''))];
    if (osNames.length > 0) {
      // Satori's candidates tie on this list: each named OS is evidence, the family is the answer.
      const families = [...new Set(want.map((w) => w.osClass))];
      assert.equal(families.length, 1);
      assert.equal(d.os?.family, families[0]);
      const ev = d.evidence.filter((e) => e.source === 'satori.dhcp' && e.fact === 'os').map((e) => e.value);
      assert.deepEqual([...new Set(ev)].sort(), osNames.sort());
    } else {
      const types = [...new Set(want.map((w) => w.deviceType))];
      assert.equal(types.length, 1);
      assert.ok(d.evidence.some((e) => e.source === 'satori.dhcp' && e.fact === 'device_type' && e.value === types[0]));
    }
  });
}

test('inventory: the option-60 client is the one suricata-verify expects (params start subnet_mask, domain, router, dns_server; MSFT 5.0)', { skip }, () => {
  const r = rows.find((x) => x.capture.includes('option-60'))!;
  const yaml = readFileSync(corpus('suricata-verify', 'tests', 'dhcp-eve-extended-option-60', 'test.yaml'), 'utf8');
  assert.match(yaml, /dhcp\.vendor_class_identifier: MSFT 5\.0/);
  assert.equal(r.vendorClass, 'MSFT 5.0');
  // RFC 2132: subnet mask 1, domain name 15, router 3, domain name server 6.
  assert.match(yaml, /params\[0\]: subnet_mask[\s\S]*params\[1\]: domain[\s\S]*params\[2\]: router[\s\S]*params\[3\]: dns_server/);
  assert.ok(r.list.startsWith('1,15,3,6,'));
});

// suricata-verify's EVE expectation for this capture is `dhcp.hostname: "nas1\u0000"` (the QNAP
// counts a NUL terminator in option 12) and tshark displays "nas1": the device's name is "nas1".
test('inventory: a NUL-terminated DHCP host name names the device without the NUL', { skip }, async () => {
  const { devices } = await runInventory([corpus('suricata-verify', 'tests', 'dhcp-eve-extended', 'input.pcap')]);
  const d = devices.find((x) => x.mac === '00:11:32:17:49:f0');
  assert.ok(d !== undefined);
  assert.deepEqual(d.hostnames, ['nas1']);
});
