// SNMP writes (snmp-write.ts) on a generated capture of real implementations
// (test/fixtures/generated/snmp-set/generate.sh: net-snmp's snmpd as the agent; a management
// station reading sysName and setting sysContact; an attacker with the write community sending a
// Cisco configuration copy (refused), shutting interface 1 and overwriting sysName), and on
// Zeek's snmpv1_set trace (one accepted set of sysName, its out3 baseline). Which packet is which
// comes from tshark's decode and Zeek's events.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { corpus, haveCorpus, readTsharkFields, REPO_ROOT } from '../testutil/corpus.js';
import { alertTechniques, monitorCaptures } from './detector.testutil.js';

const GEN = join(REPO_ROOT, 'test', 'fixtures', 'generated');
const PCAP = join(GEN, 'generated-snmp-set.pcap');
/** tshark's rows: frame, source, PDU type (3 set-request, 2 response), request id, error status, OIDs. */
const rows = readTsharkFields(join(GEN, 'snmp-set', 'tshark.tsv'));
const AGENT = '10.97.50.2';
const NMS = '10.97.50.10';
const ATT = '10.97.50.66';
/** A set's frame and its response's, by the set's source and first OID prefix. */
function exchange(src: string, oid: string): [number, number, string] {
  const set = rows.find((r) => r[1] === src && r[2] === '3' && r[5].startsWith(oid))!;
  const rsp = rows.find((r) => r[1] === AGENT && r[2] === '2' && r[3] === set[3])!;
  return [Number(set[0]), Number(rsp[0]), rsp[4]];
}
const configCopy = exchange(ATT, '1.3.6.1.4.1.9.9.96.1.1.1.1.');
const ifDown = exchange(ATT, '1.3.6.1.2.1.2.2.1.7.');
const sysName = exchange(ATT, '1.3.6.1.2.1.1.5.0');
const sysContact = exchange(NMS, '1.3.6.1.2.1.1.4.0');

test('snmp-write: the configuration copy (refused, notWritable) and the interface shut (accepted) from the attacker, high; the station\'s sysContact and the sysName overwrite not judged without snmpManagers', async () => {
  // tshark: the copy's response has error status 17 (notWritable), the others 0.
  assert.deepEqual([configCopy[2], ifDown[2], sysName[2], sysContact[2]], ['17', '0', '0', '0']);
  const alerts = await monitorCaptures([PCAP]);
  assert.deepEqual(
    alerts.map((a) => [a.rule, a.device, a.peer, a.severity, a.count, a.evidence.map((e) => e.packet)]),
    [['snmp-write', `ip:${ATT}`, AGENT, 'high', 2, [configCopy[0], configCopy[1], ifDown[0], ifDown[1]]]],
  );
  assert.match(alerts[0].why, /^10\.97\.50\.66, no manager is listed \(snmpManagers\), wrote over SNMP to the agent 10\.97\.50\.2: a Cisco configuration copy \(CISCO-CONFIG-COPY-MIB ccCopyTable[^)]*\), refused \(notWritable\); an interface's administrative status \(IF-MIB ifAdminStatus[^)]*\), accepted — /);
  assert.deepEqual(alertTechniques(alerts[0]), ['T1602.002']);
});

test('snmp-write: with the station listed, the attacker\'s sysName overwrite joins its alert; listing the attacker instead, the station\'s write is the unlisted one', async () => {
  const listed = await monitorCaptures([PCAP], { snmpManagers: [`${NMS}/32`] });
  assert.deepEqual(listed.map((a) => [a.device, a.severity, a.count]), [[`ip:${ATT}`, 'high', 3]]);
  assert.ok(listed[0].why.includes('a write of sysName (1.3.6.1.2.1.1.5.0), accepted'), listed[0].why);
  assert.deepEqual(listed[0].evidence.map((e) => e.packet).slice(-2), [sysName[0], sysName[1]]);
  const other = await monitorCaptures([PCAP], { snmpManagers: [`${ATT}/32`] });
  assert.deepEqual(other.map((a) => [a.device, a.peer, a.severity, a.evidence.map((e) => e.packet)]), [[`ip:${NMS}`, AGENT, 'medium', [sysContact[0], sysContact[1]]]]);
  assert.match(other[0].why, /^10\.97\.50\.10, not one of the snmpManagers \(10\.97\.50\.66\/32\), wrote over SNMP to the agent 10\.97\.50\.2: a write of sysContact \(1\.3\.6\.1\.2\.1\.1\.4\.0\), accepted/);
  assert.deepEqual(alertTechniques(other[0]), []);
});

test("snmp-write: Zeek's snmpv1_set (one accepted set of sysName) is quiet by default and an unlisted manager's write once managers are listed", { skip: !haveCorpus() && 'shared corpus not present' }, async () => {
  const trace = corpus('zeek', 'traces', 'snmp', 'snmpv1_set.pcap');
  const zeek = readFileSync(corpus('zeek', 'baselines', 'scripts.base.protocols.snmp.v1', 'out3'), 'utf8');
  assert.match(zeek, /snmp_set_request\n.*orig_h=127\.0\.0\.1.*resp_h=127\.0\.0\.1, resp_p=161\/udp[\s\S]*?oid: 1\.3\.6\.1\.2\.1\.1\.5\.0[\s\S]*snmp_response[\s\S]*?error_stat: 0/);
  assert.deepEqual(await monitorCaptures([trace]), []);
  const alerts = await monitorCaptures([trace], { snmpManagers: ['192.0.2.1/32'] });
  assert.deepEqual(alerts.map((a) => [a.rule, a.device, a.peer, a.severity]), [['snmp-write', 'ip:127.0.0.1', '127.0.0.1', 'medium']]);
  assert.ok(alerts[0].why.includes('a write of sysName (1.3.6.1.2.1.1.5.0), accepted'), alerts[0].why);
});
