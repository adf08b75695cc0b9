// AS-REP roasting (domain.ts) on a generated capture of real implementations
// (test/fixtures/generated/asrep/generate.sh: MIT krb5kdc for HOSPITAL.EXAMPLE; kinit from a
// workstation as a user that must pre-authenticate; kinit from another host with a wrong password
// for five accounts, three of which do not require pre-authentication). Which AS request carried
// pre-authentication (PA-ENC-TIMESTAMP, padata type 2) and which got a ticket comes from tshark.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { readTsharkFields, REPO_ROOT } from '../testutil/corpus.js';
import { alertTechniques, monitorCaptures } from './detector.testutil.js';

const GEN = join(REPO_ROOT, 'test', 'fixtures', 'generated');
const PCAP = join(GEN, 'generated-asrep-roasting.pcap');
/** tshark's rows: frame, source, destination, message type (10 AS-REQ, 11 AS-REP, 30 error), client name, error code, padata types. */
const rows = readTsharkFields(join(GEN, 'asrep', 'tshark.tsv'));
const KDC = '10.97.90.88';
const ATT = '10.97.90.66';

/** The AS-REQs of `host` (the last one for the name before each AS-REP) that carried no PA-ENC-TIMESTAMP and got an AS-REP. */
function withoutPreauth(host: string): string[][] {
  const out: string[][] = [];
  rows.forEach((r, i) => {
    if (r[3] !== '11' || r[2] !== host) return;
    const req = rows.slice(0, i).reverse().find((x) => x[3] === '10' && x[1] === host && x[4] === r[4])!;
    if (!req[6].split(',').includes('2')) out.push(req);
  });
  return out;
}

test('AS-REP roasting: the host that got AS-REPs without pre-authentication for three accounts is a domain-attack (T1558.004); the workstation that pre-authenticated is not', async () => {
  const roasted = withoutPreauth(ATT);
  assert.deepEqual(roasted.map((r) => r[4]), ['svc-pacs', 'svc-backup', 'svc-lis']);
  assert.deepEqual(withoutPreauth('10.97.90.20'), []);
  const alerts = await monitorCaptures([PCAP]);
  assert.deepEqual(
    alerts.map((a) => [a.rule, a.device, a.peer, a.severity, a.evidence.map((e) => e.packet)]),
    [['domain-attack', `ip:${ATT}`, KDC, 'high', roasted.map((r) => Number(r[0]))]],
  );
  assert.match(alerts[0].why, /^AS-REP roasting \(MITRE ATT&CK T1558\.004\): 10\.97\.90\.66 received AS-REPs without pre-authentication for 3 different accounts within 10 minutes \(svc-pacs\/HOSPITAL\.EXAMPLE, svc-backup\/HOSPITAL\.EXAMPLE, svc-lis\/HOSPITAL\.EXAMPLE\)/);
  assert.deepEqual(alertTechniques(alerts[0]), ['T1558.004']);
  // (The evidence is each exchange's request.) One more account needed: nothing.
  assert.deepEqual(await monitorCaptures([PCAP], { asrepRoastAccounts: 4 }), []);
});
