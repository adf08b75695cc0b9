// Every clear-text service, credential protocol and patient-data protocol the rules report has a
// remediation of its own (fixes.ts), so none falls back to the risks table's generic list.
// Their use on real captures is tested in assess.test.ts (cleartext-credentials cases).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { credentialFix, phiFix, serviceFix } from './fixes.js';
import { CREDENTIAL_PROTOCOL_NAMES } from './rules/cleartext-credentials.js';
import { CLEARTEXT_SERVICE_NAMES } from './rules/cleartext-protocol.js';

test('every clear-text service the cleartext-protocol rule names has its own fix', () => {
  for (const s of Object.keys(CLEARTEXT_SERVICE_NAMES)) assert.ok(serviceFix(s) !== undefined, s);
});

test('every credential protocol has its own fix, ending with what to change', () => {
  for (const p of Object.keys(CREDENTIAL_PROTOCOL_NAMES)) {
    const f = credentialFix(p);
    assert.ok(f !== undefined, p);
    assert.match(f, p === 'snmp' ? /change the community strings that crossed in clear\.$/ : /change the passwords that crossed in clear\.$/, p);
  }
  assert.equal(credentialFix('no-such-protocol'), undefined);
});

test('every patient-data protocol has its own fix citing transmission security', () => {
  for (const p of ['hl7', 'dicom', 'astm', 'fhir', 'poct1a']) assert.match(phiFix(p) ?? '', /HIPAA §164\.312\(e\)/, p);
});

test('a fix names its own protocol\'s protection, not another\'s', () => {
  assert.match(serviceFix('snmp')!, /SNMPv3/);
  assert.doesNotMatch(serviceFix('snmp')!, /SFTP|HTTPS|LDAPS/);
  assert.match(serviceFix('telnet')!, /SSH/);
  assert.match(serviceFix('dicom')!, /DICOM TLS/);
  assert.doesNotMatch(phiFix('hl7')!, /DICOM|FHIR|ASTM/);
});
