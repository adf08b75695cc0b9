// The ATT&CK techniques of findings: by rule, by the kind a rule's detail names, and the ids a
// detail cites itself (synthetic findings; the wording is the detectors' own).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { attackTechniques } from './attack.js';
import type { Finding } from './model.js';

function finding(rule: string, detail: string): Finding {
  return { id: 'f', rule, severity: 'high', device: 'ip:10.0.0.1', title: rule, detail, evidence: [], remediation: '', cves: [] };
}
const ids = (f: Finding) => attackTechniques(f).map((t) => t.uid);

test('scans: port and address scans, sweeps and web scanners are different techniques', () => {
  assert.deepEqual(ids(finding('scan', '10.0.0.1 probed 100 UDP ports of 10.0.0.2 without an answer (port scan; threshold 15 in 300 s)')), ['T1046']);
  assert.deepEqual(ids(finding('scan', '10.0.0.1 sent ICMP echo requests (ping) to 255 hosts (ping sweep; threshold 25 in 300 s)')), ['T1018']);
  assert.deepEqual(ids(finding('scan', '10.0.0.1 asked ARP for 255 different addresses (ARP sweep, host discovery on the local segment; threshold 50 in 60 s)')), ['T1018']);
  const web = attackTechniques(finding('scan', '10.0.0.1 ran the web scanner Nikto against 10.0.0.2:80 (its user agent says so): 1 HTTP request'));
  assert.deepEqual(web.map((t) => [t.uid, t.tactic.name]), [['T1595.002', 'Reconnaissance']]);
});

test('floods: SYN floods exhaust the OS, MQTT floods the service, the rest the network', () => {
  assert.deepEqual(ids(finding('dos-flood', '10.0.0.2 received 3,000 TCP SYN packets that opened no connection (SYN flood) from 10.0.0.1')), ['T1499.001']);
  assert.deepEqual(ids(finding('dos-flood', '10.0.0.2 (MQTT broker on port 1883) received 151 MQTT CONNECTs (connection flood) from 10.0.0.1')), ['T1499.002']);
  assert.deepEqual(ids(finding('dos-flood', '10.0.0.2 received 1,500 unanswered UDP datagrams (UDP flood) from 10.0.0.1')), ['T1498.001']);
});

test('ids a detail cites are added when known, in id order; posture rules have none', () => {
  assert.deepEqual(ids(finding('domain-attack', 'DCSync (MITRE ATT&CK T1003.006): drsuapi DRSGetNCChanges from a host not proven a domain controller')), ['T1003.006']);
  assert.deepEqual(ids(finding('remote-execution', 'svcctl CreateServiceW (T1569.002) after an executable written to ADMIN$ (T1570)')), ['T1569.002', 'T1570']);
  assert.deepEqual(ids(finding('brute-force', 'failed 12 FTP logins')), ['T1110']);
  assert.deepEqual(ids(finding('exploit-attempt', '10.0.0.1 sent 3 HTTP requests shaped as attacks to 10.0.0.2:80: SQL injection ×3')), ['T1190']);
  assert.deepEqual(ids(finding('eol-os', 'Windows 7 reached its end of support on 2020-01-14')), []);
  assert.deepEqual(ids(finding('scan', 'probed T9999 ports')), ['T1046'], 'an unknown id is not cited');
});

test("every rule's own technique is in the table, with its name and tactic", async () => {
  const { RULES } = await import('../monitor/rules.js');
  const { RISKS } = await import('../assess/risks.js');
  const rules = new Set([...Object.keys(RULES), ...RISKS.map((r) => r.id)]);
  for (const rule of rules) {
    for (const t of attackTechniques(finding(rule, ''))) assert.ok(typeof t.name === 'string' && t.name !== '' && typeof t.tactic?.name === 'string', `${rule}: ${t.uid}`);
  }
  assert.deepEqual(attackTechniques(finding('ransomware', '')).map((t) => [t.uid, t.name, t.tactic.name]), [['T1486', 'Data Encrypted for Impact', 'Impact']]);
});
