// SIP identity in the inventory: User-Agent and Server headers become software facts
// (sip.user_agent / sip.server) and classify phones and SIP servers. Real captures where the
// corpus has them (tshark: sip_hello.pcapng's "Huawei SoftX3000 V300R011", wireshark.pcap's
// "Cirpack/v4.38e (gw_sip)" and "Sip EXpress router"); the phone vendors' user agents appear in no
// corpus capture, so those rules are checked on synthetic facts carrying real-world formats.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { corpus, haveCorpus } from '../testutil/corpus.js';
import { deviceWithIp, runInventory, testKb } from './testutil.js';
import { evaluate, expand, loadRules, type FactIndex } from './rules.js';
import { DEFAULT_KB_DIR } from '../knowledge/kb.js';

const skip = !haveCorpus();

test('a softswitch answering REGISTER is a server with its SIP Server header as software (sip_hello.pcapng)', { skip }, async () => {
  testKb();
  const { devices } = await runInventory([corpus('ndpi', 'pcap', 'sip_hello.pcapng')]);
  const d = deviceWithIp(devices, '10.239.156.235');
  assert.ok(d !== undefined);
  assert.ok(d.software.includes('Huawei SoftX3000 V300R011'));
  assert.equal(d.category, 'server');
  assert.ok(d.evidence.some((e) => e.source === 'sip.server'));
});

test("SIP proxies are servers and the softphone's user agent is its software (wireshark.pcap)", { skip }, async () => {
  const { devices } = await runInventory([corpus('zeek', 'traces', 'sip', 'wireshark.pcap')], { external: true });
  for (const ip of ['212.242.33.35', '200.68.120.81']) assert.equal(deviceWithIp(devices, ip)?.category, 'server', ip);
  const ua = deviceWithIp(devices, '192.168.1.2');
  assert.ok(ua?.software.includes('Nero SIPPS IP Phone Version 2.0.51.16'));
  // A PC softphone names no phone vendor: no phone rule fires on it.
  assert.notEqual(ua?.vendor, 'Nero');
});

test('phone vendors and models from SIP user agents (synthetic facts in the vendors\' formats)', () => {
  const rules = loadRules(DEFAULT_KB_DIR);
  const cases: [string, string, string | undefined][] = [
    ['Cisco-CP8841/12.8.1', 'Cisco', 'CP8841'],
    ['Cisco-CP-7821/11.0.1', 'Cisco', 'CP-7821'],
    ['Cisco/SPA504G-7.6.2b', 'Cisco', 'SPA504G'],
    ['Yealink SIP-T46S 66.85.0.5', 'Yealink', 'SIP-T46S'],
    ['Yealink W60B 77.83.0.25', 'Yealink', 'W60B'],
    ['PolycomVVX-VVX_410-UA/5.9.0.9373', 'Polycom', 'VVX_410'],
    ['PolycomSoundPointIP-SPIP_650-UA/4.0.4.2906', 'Polycom', 'SPIP_650'],
    ['Polycom/5.4.0.12345 PolycomVVX-VVX_300', 'Polycom', undefined],
    ['Grandstream GXP2160 1.0.11.6', 'Grandstream', 'GXP2160'],
    ['Grandstream HT-502 V1.2A 1.0.8.4', 'Grandstream', 'HT-502'],
    ['snom760/8.9.3.80', 'snom', '760'],
    ['snomD785/10.1.33.33', 'snom', 'D785'],
    ['Avaya one-X Deskphone 7.1.2.0.14', 'Avaya', 'one-X Deskphone'],
    ['Avaya J179 IP Phone 4.0.10.3.2', 'Avaya', 'J179'],
    ['Mitel 6867i/5.1.0.2051', 'Mitel', '6867i'],
    ['Aastra 6757i/3.3.1.4305', 'Aastra', '6757i'],
    ['Spectralink 8440 4.11.0.1061', 'Spectralink', '8440'],
    ['Ascom i63 4.2.4', 'Ascom', 'i63'],
    ['Panasonic_KX-UT136/01.133 (0080f0123456)', 'Panasonic', 'KX-UT136'],
    ['2N Helios IP Verso 2.30.0.45.3', '2N', 'Helios IP Verso'],
  ];
  for (const [ua, vendor, model] of cases) {
    const idx: FactIndex = new Map([['sip.user_agent', [{ value: ua, ref: 0 }]]]);
    const fired = evaluate(rules, idx);
    assert.ok(fired.some((f) => f.rule.category === 'phone'), ua);
    const v = fired.find((f) => f.rule.vendor !== undefined);
    assert.equal(v?.rule.vendor, vendor, ua);
    const m = fired.find((f) => f.rule.model !== undefined);
    assert.equal(m === undefined ? undefined : expand(m.rule.model!, m.groups), model, ua);
  }
  // Servers and gateways of the same vendors are not phones.
  for (const ua of ['Cisco-SIPGateway/IOS-15.x', 'Avaya CM/R018x.01.0.890.0 AVAYA-SM-8.1.3', 'Asterisk PBX 18.2.0', 'Nero SIPPS IP Phone Version 2.0.51.16']) {
    const fired = evaluate(rules, new Map([['sip.user_agent', [{ value: ua, ref: 0 }]]]));
    assert.ok(!fired.some((f) => f.rule.category === 'phone'), ua);
  }
});
