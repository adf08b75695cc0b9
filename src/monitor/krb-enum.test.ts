// Kerberos user enumeration (domain.ts) on a generated capture of real implementations
// (test/fixtures/generated/krb-enum/generate.sh: MIT krb5kdc for HOSPITAL.EXAMPLE; twelve
// clinicians logging on with kinit from one terminal server; nmap's krb5-enum-users over TCP
// with a list of 40 names, and over UDP with its ten defaults). Which AS request carried
// pre-authentication (PA-ENC-TIMESTAMP, padata type 2) and what the KDC answered comes from tshark.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { readTsharkFields, REPO_ROOT } from '../testutil/corpus.js';
import { alertTechniques, monitorCaptures } from './detector.testutil.js';

const GEN = join(REPO_ROOT, 'test', 'fixtures', 'generated');
const PCAP = join(GEN, 'generated-kerberos-user-enum.pcap');
/** tshark's rows: frame, source, destination, message type (10 AS-REQ, 11 AS-REP, 30 error), client name, error code, padata types. */
const rows = readTsharkFields(join(GEN, 'krb-enum', 'tshark.tsv'));
const KDC = '10.97.91.88';
const RDS = '10.97.91.30';
const TCP_ENUM = '10.97.91.66';
const UDP_ENUM = '10.97.91.67';

/** For `host`: each name it asked without pre-authentication, and the KDC's answer (the next reply to the host naming it). */
function probes(host: string): Map<string, string> {
  const out = new Map<string, string>();
  rows.forEach((r, i) => {
    if (r[3] !== '10' || r[1] !== host || r[6].split(',').includes('2')) return;
    const answer = rows.slice(i + 1).find((x) => x[2] === host && x[4] === r[4] && (x[3] === '30' || x[3] === '11'))!;
    out.set(r[4], answer[3] === '11' ? 'ticket' : answer[5]);
  });
  return out;
}
/** Names `host` later asked again with pre-authentication (a logon). */
function loggedOn(host: string): Set<string> {
  return new Set(rows.filter((r) => r[3] === '10' && r[1] === host && r[6].split(',').includes('2')).map((r) => r[4]));
}

test('Kerberos user enumeration: nmap krb5-enum-users over TCP and UDP is a domain-attack (T1087.002); the terminal server where clinicians log on is not', async () => {
  const tcp = probes(TCP_ENUM);
  const udp = probes(UDP_ENUM);
  // tshark: the TCP run asked 41 names (nmap's own probe and the list), 14 of which exist.
  assert.equal(tcp.size, 41);
  assert.equal([...tcp.values()].filter((c) => c === '25').length, 14);
  assert.equal([...tcp.values()].filter((c) => c === '6').length, 27);
  assert.equal(loggedOn(TCP_ENUM).size, 0);
  assert.equal(udp.size, 11);
  assert.equal([...udp.values()].filter((c) => c === '25').length, 1);
  // The terminal server asked twelve names without pre-authentication too, and logged on with each.
  const rds = probes(RDS);
  assert.equal(rds.size, 12);
  assert.deepEqual([...rds.keys()].filter((n) => !loggedOn(RDS).has(n)), []);

  const alerts = await monitorCaptures([PCAP]);
  assert.deepEqual(
    alerts.map((a) => [a.rule, a.device, a.peer, a.severity]),
    [
      ['domain-attack', `ip:${TCP_ENUM}`, KDC, 'medium'],
      ['domain-attack', `ip:${UDP_ENUM}`, KDC, 'medium'],
    ],
  );
  const found = (m: Map<string, string>): string[] => [...m].filter(([, c]) => c === '25').map(([n]) => `${n}/HOSPITAL.EXAMPLE`);
  assert.match(alerts[0].why, /^Kerberos user enumeration \(MITRE ATT&CK T1087\.002\): 10\.97\.91\.66 asked 10\.97\.91\.88 for tickets for 41 different accounts without pre-authentication within 10 minutes and logged on with none of them: 27 names the KDC does not know, 14 it does \(/);
  // Five of the names that exist (in the order the KDC answered: nmap keeps several connections open).
  const listed = /14 it does \(([^)]*) …\)/.exec(alerts[0].why)![1].split(', ');
  assert.equal(listed.length, 5);
  for (const n of listed) assert.ok(found(tcp).includes(n), n);
  assert.match(alerts[1].why, new RegExp(`11 different accounts .* 10 names the KDC does not know, 1 it does \\(${found(udp)[0]}\\)`));
  assert.deepEqual(alertTechniques(alerts[0]), ['T1087.002']);
  // The evidence: five of the requests (the first answered), each an AS-REQ without pre-authentication as tshark reads it.
  const reqs = new Set(rows.filter((r) => r[3] === '10' && r[1] === TCP_ENUM && !r[6].split(',').includes('2')).map((r) => Number(r[0])));
  assert.equal(alerts[0].evidence.length, 5);
  for (const e of alerts[0].evidence) assert.ok(reqs.has(e.packet!), String(e.packet));
  // Not password guessing: no brute-force alert for either (no password was sent).
  assert.equal(alerts.filter((a) => a.rule === 'brute-force').length, 0);
  // Above the UDP run's eleven names, only the TCP run is left.
  assert.deepEqual((await monitorCaptures([PCAP], { krbEnumAccounts: 12 })).map((a) => a.device), [`ip:${TCP_ENUM}`]);
});
