// TFTP in the inventory: the file a client requests is evidence (tftp.fname) and the server gets
// the role tftp-server, on nDPI's tftp.pcap (tshark: 192.168.0.253 reads rfc1350.txt from
// 192.168.0.10). No corpus capture has a phone fetching its configuration, so the Cisco
// SEP<mac>.cnf.xml rule is checked on synthetic facts in the firmware's naming.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { corpus, haveCorpus } from '../testutil/corpus.js';
import { deviceWithIp, runInventory, testKb } from './testutil.js';
import { evaluate, loadRules } from './rules.js';
import { DEFAULT_KB_DIR } from '../knowledge/kb.js';

const skip = !haveCorpus();

test('the requested file is the client\'s evidence and the server a tftp-server (ndpi tftp.pcap)', { skip }, async () => {
  testKb();
  const { devices } = await runInventory([corpus('ndpi', 'pcap', 'tftp.pcap')]);
  const client = deviceWithIp(devices, '192.168.0.253');
  assert.ok(client?.evidence.some((e) => e.source === 'tftp.fname' && e.value === 'rfc1350.txt'));
  const server = deviceWithIp(devices, '192.168.0.10');
  assert.ok(server?.evidence.some((e) => e.source === 'tftp.request' && e.value === 'tftp-server'));
});

test('a client fetching SEP<mac>.cnf.xml is a Cisco phone; other file names say nothing (synthetic facts)', () => {
  const rules = loadRules(DEFAULT_KB_DIR);
  const fired = evaluate(rules, new Map([['tftp.fname', [{ value: 'SEP0011223344AA.cnf.xml', ref: 0 }]]]));
  assert.ok(fired.some((f) => f.rule.category === 'phone' && f.rule.vendor === 'Cisco'));
  for (const name of ['pxelinux.0', 'rfc1350.txt', 'SEPDefault.cnf', 'router-confg']) {
    assert.ok(!evaluate(rules, new Map([['tftp.fname', [{ value: name, ref: 0 }]]])).some((f) => f.rule.category === 'phone'), name);
  }
});
