// The kind of a device known only by its MAC's registrant, on real captures: single-purpose
// manufacturers' OUIs name a category at weight 2 (knowledge/rules/classify.rules). The
// registrant itself is checked against Arkime in oui.test.ts; tshark resolves the same names.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_KB_DIR } from '../knowledge/kb.js';
import { corpus, haveCorpus } from '../testutil/corpus.js';
import { classify } from './classify.js';
import type { Fact } from './facts.js';
import { loadRules } from './rules.js';
import { runInventory } from './testutil.js';

const skip = !haveCorpus();

const cases: [string, string, string, RegExp][] = [
  // capture, MAC, category, registrant
  ['ndpi/pcap/cip_io.pcap', 'f4:54:33:98:1b:3f', 'industrial', /^Rockwell Automation/],
  ['ndpi/pcap/cip_io.pcap', 'e4:90:69:ab:2c:14', 'industrial', /^Rockwell Automation/],
  ['arkime/tests/pcap/wireshark-dhcp.pcap', '00:0b:82:01:fc:42', 'phone', /^Grandstream/],
  ['ndpi/pcap/nest_log_sink.pcap', '18:b4:30:26:34:40', 'iot_other', /^Nest Labs/],
];

for (const [capture, mac, category, registrant] of cases) {
  test(`inventory: ${mac} in ${capture} is ${category} by its registrant`, { skip }, async () => {
    const { devices } = await runInventory([corpus(capture)]);
    const d = devices.find((x) => x.mac === mac);
    assert.ok(d !== undefined);
    assert.match(d.vendor ?? '', registrant);
    assert.equal(d.category, category);
    assert.match(d.category_reason ?? '', /mac\.oui=/);
    assert.ok(d.evidence.some((e) => e.source === 'mac.oui'), 'the registrant is cited');
  });
}

// Synthetic: weights only (no capture holds a printer maker's OUI next to a protocol that says
// otherwise, nor Xerox's 00:00:00 block as a real printer).
test('an OUI category yields to any protocol evidence, and 00:00:00 is nobody', () => {
  const rules = loadRules(DEFAULT_KB_DIR);
  const fact = (f: string, value: string, source: string): Fact => ({ fact: f, value, source, file: 'x', packet: 1, ts: 0, self: true, seq: 0 });
  const lexmark = fact('vendor', 'LEXMARK INTERNATIONAL, INC.', 'mac.oui');
  assert.equal(classify(rules, [lexmark, fact('mac', '00:04:00:6b:18:61', 'eth.src')], [], () => '').category, 'printer');
  assert.equal(classify(rules, [lexmark, fact('mac', '00:04:00:6b:18:61', 'eth.src')], [['os.family', 'Windows']], () => '').category, 'workstation');
  const xerox = fact('vendor', 'XEROX CORPORATION', 'mac.oui');
  assert.equal(classify(rules, [xerox, fact('mac', '00:00:00:aa:00:00', 'eth.src')], [], () => '').category, 'unknown');
});
