// Directory reconnaissance over LDAP (ldap-recon.ts) on a generated capture of real implementations
// (test/fixtures/generated/ldap-enum/generate.sh: OpenLDAP's slapd with 1,500 people; a PACS
// looking users up one at a time; ldapsearch dumping the tree and sending the filters of AD attack
// tools; nmap's ldap-search with its "users" filter). What each search asked for and how many
// entries came back is tshark's reading.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { readTsharkFields, REPO_ROOT } from '../testutil/corpus.js';
import { alertTechniques, monitorCaptures } from './detector.testutil.js';

const GEN = join(REPO_ROOT, 'test', 'fixtures', 'generated');
const PCAP = join(GEN, 'generated-ldap-enumeration.pcap');
/** tshark's rows: frame, source, destination, operations, message ids, base, scope, presence attributes, extensible match values, equality values. */
const rows = readTsharkFields(join(GEN, 'ldap-enum', 'tshark.tsv'));
const SERVER = '10.97.92.89';
const PACS = '10.97.92.40';
const DUMPER = '10.97.92.66';
const NMAP = '10.97.92.67';

const ops = (r: string[]): string[] => r[3].split('|');
/** Search requests of `host`, and the entries (searchResEntry) sent back to it. */
const searches = (host: string): string[][] => rows.filter((r) => r[1] === host && ops(r).includes('3'));
const entries = (host: string): number => rows.filter((r) => r[2] === host).reduce((n, r) => n + ops(r).filter((o) => o === '4').length, 0);

test('LDAP reconnaissance: a dump and the AD attack tools\' filters are ldap-recon; a PACS looking users up is not', async () => {
  // tshark: the PACS's five lookups got one entry each; the dumper's (objectClass=*) got the whole
  // tree and its six tool filters nothing (an OpenLDAP directory has no AD attributes); nmap's
  // users filter got every person.
  assert.equal(searches(PACS).length, 5);
  assert.equal(entries(PACS), 5);
  const dump = searches(DUMPER);
  assert.equal(dump.length, 7);
  assert.equal(entries(DUMPER), 1543);
  assert.deepEqual(dump.map((r) => r[7]), ['objectClass', 'servicePrincipalName', '', 'msDS-AllowedToDelegateTo|msDS-AllowedToActOnBehalfOfOtherIdentity', '', 'ms-MCS-AdmPwd', '']);
  assert.deepEqual(dump.map((r) => r[8]), ['', '512|2', '4194304|2', '16777216|524288|2', '', '', '']);
  assert.deepEqual(dump.map((r) => r[9]), ['', 'computer', 'computer', '', '1', '', 'trustedDomain']);
  assert.equal(entries(NMAP), 1501); // the root DSE, then 1,500 people

  const alerts = await monitorCaptures([PCAP]);
  assert.deepEqual(alerts.map((a) => [a.rule, a.device, a.peer, a.severity]), [
    ['ldap-recon', `ip:${DUMPER}`, SERVER, 'medium'],
    ['ldap-recon', `ip:${NMAP}`, SERVER, 'medium'],
  ]);
  const [d, n] = alerts;
  assert.match(d.why, /^10\.97\.92\.66 searched the directory on 10\.97\.92\.89 the way Active Directory reconnaissance tools do: 1,543 directory entries in 1 search within 10 minutes: a dump of the directory/);
  for (const what of ['accounts with a service principal name, to Kerberoast', 'accounts without Kerberos pre-authentication, to AS-REP roast', 'accounts trusted for delegation', 'privileged accounts, adminCount=1', 'LAPS local administrator passwords', 'domain trusts']) {
    assert.ok(d.why.includes(what), what);
  }
  assert.deepEqual(alertTechniques(d), ['T1069.002', 'T1087.002', 'T1482', 'T1552']);
  // Evidence: the dump first, then the tool searches, as tshark numbers their requests.
  assert.deepEqual(d.evidence.map((e) => e.packet), dump.slice(0, 6).map((r) => Number(r[0])));
  assert.match(n.why, /1,500 directory entries in 1 search within 10 minutes: a dump of the directory/);
  assert.deepEqual(n.evidence.map((e) => e.packet), [Number(searches(NMAP)[1][0])]);

  // Above both dumps only the tool searches are left; a listed client is not judged.
  const higher = await monitorCaptures([PCAP], { ldapDumpEntries: 1600 });
  assert.deepEqual(higher.map((a) => a.device), [`ip:${DUMPER}`]);
  assert.doesNotMatch(higher[0].why, /a dump of the directory/);
  assert.deepEqual((await monitorCaptures([PCAP], { ldapClients: [`${DUMPER}/32`] })).map((a) => a.device), [`ip:${NMAP}`]);
});
