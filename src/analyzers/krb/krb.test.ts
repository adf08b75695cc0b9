// Kerberos tests against real captures: Zeek's kerberos.log baselines (UDP TGS exchange, AP-REQ in
// SMB GSS-API), Suricata's krb5 expectations (Kerberoasting's RC4 service ticket, an AS-REQ
// refused for pre-authentication), nDPI's realm\host names; parser fuzzing on the captures'
// own messages; probing off-port.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { REPO_ROOT, corpus, haveCorpus, readZeekTsv, runCaptures } from '../../testutil/corpus.js';
import { ndpiFlows, recordStreams, suricataChecks } from '../../testutil/recorded.js';
import { fuzzParser } from '../../testutil/fuzz.js';
import { PROBE_NO, PROBE_YES } from '../types.js';
import { kerberosTime, krbRecordLength, parseKrb, parseKrbGssToken } from './parse.js';
import { probe } from './probe.js';
import { deviceWithIp, runInventory } from '../../inventory/testutil.js';
import { etypeName, weakEtype } from './names.js';

const skip = !haveCorpus() && 'shared corpus not present';
const PROTO_TCP = 6;
const PROTO_UDP = 17;

const FIELDS = ['request_type', 'client', 'service', 'success', 'error_msg', 'from', 'till', 'cipher', 'forwardable', 'renewable'];

/** A Zeek TSV value as wardline's JSON renders it (T/F booleans, times as numbers, '-' unset). */
function zeek(v: string | undefined): unknown {
  if (v === undefined || v === '-') return undefined;
  if (v === 'T') return true;
  if (v === 'F') return false;
  if (/^\d+\.\d{6}$/.test(v)) return Number(v);
  return v;
}

// The ticket-logging baseline adds auth_ticket_sha256/new_ticket_sha256 (a policy script, off by
// default in Zeek); wardline logs the base fields, which are compared.
const BASELINES = [
  ['zeek/traces/krb/auth.pcap', 'zeek/baselines/scripts.base.protocols.krb.tgs/kerberos.log'],
  ['zeek/traces/krb/auth.pcap', 'zeek/baselines/scripts.policy.protocols.krb.ticket-logging/kerberos.log'],
  ['zeek/traces/krb/smb_gssapi.pcap', 'zeek/baselines/scripts.base.protocols.krb.smb_gssapi/kerberos.log'],
];

for (const [trace, baseline] of BASELINES) {
  const name = baseline.split('/').slice(-2).join('/');
  test(`kerberos.log matches Zeek's ${name}`, { skip }, async () => {
    const want = readZeekTsv(corpus(baseline));
    const run = await runCaptures([corpus(trace)]);
    try {
      const got = run.log('kerberos');
      assert.equal(got.length, want.length);
      for (let i = 0; i < want.length; i++) {
        for (const k of ['id.orig_h', 'id.orig_p', 'id.resp_h', 'id.resp_p']) assert.equal(String(got[i][k]), want[i][k], `${name} ${k}`);
        for (const f of FIELDS) assert.deepEqual(got[i][f], zeek(want[i][f]), `${name} ${f}`);
      }
    } finally {
      run.cleanup();
    }
  });
}

test('conn.log names Kerberos as Zeek does: krb on UDP, krb_tcp on TCP, krb inside SMB GSS-API', { skip }, async () => {
  const run = await runCaptures([corpus('zeek/traces/krb/auth.pcap'), corpus('suricata-verify/tests/krb5-kerberoasting/kerberoast.pcap'), corpus('zeek/traces/krb/smb_gssapi.pcap')]);
  try {
    assert.equal(run.conns.find((c) => c.proto === PROTO_UDP && c.rPort === 88)?.service, 'krb');
    assert.ok(run.conns.some((c) => c.proto === PROTO_TCP && c.rPort === 88 && c.service === 'krb_tcp'));
    assert.deepEqual(run.conns.find((c) => c.rPort === 445)?.service.split(',').sort(), ['gssapi', 'krb', 'smb']);
  } finally {
    run.cleanup();
  }
});

test("Suricata's Kerberoasting case: the RC4-HMAC service ticket is logged as a weak cipher", { skip }, async () => {
  // krb5-kerberoasting/test.yaml: one KRB_TGS_REP, ticket_encryption rc4-hmac, ticket_weak_encryption true.
  const checks = suricataChecks(corpus('suricata-verify/tests/krb5-kerberoasting/test.yaml'));
  const want = checks.find((c) => c.match['event_type'] === 'krb5' && c.match['krb5.msg_type'] === 'KRB_TGS_REP')!;
  assert.equal(want.match['krb5.ticket_encryption'], 'rc4-hmac');
  const run = await runCaptures([corpus('suricata-verify/tests/krb5-kerberoasting/kerberoast.pcap')]);
  try {
    const tgs = run.log('kerberos').filter((r) => r.request_type === 'TGS' && r.success === true);
    assert.equal(tgs.length, want.count);
    assert.equal(tgs[0].cipher, want.match['krb5.ticket_encryption']);
    assert.equal(String(tgs[0].weak_cipher), want.match['krb5.ticket_weak_encryption']);
    assert.equal(tgs[0].service, 'HTTP/dc-mantvydas.offense.local');
  } finally {
    run.cleanup();
  }
});

test('preauth says whether an AS request carried pre-authentication, as tshark lists its padata types', { skip }, async () => {
  // tshark -Y 'kerberos.msg_type==10' -e kerberos.padata_type on nDPI's kerberos.pcap: each
  // client's first AS-REQ (frames 1, 15, 44, 55) carries only PA-PAC-REQUEST (128) and is refused
  // with error 25; each retry (3, 17, 46, 57) carries PA-ENC-TIMESTAMP (2) as well (its answer
  // is not in the capture). Suricata's
  // krb5-probing: PA-PAC-OPTIONS (149) only, refused with error 25. The generated MIT capture
  // (test/fixtures/generated): PA-REQ-ENC-PA-REP and PA-PAC-OPTIONS (150, 149), answered.
  const cases: [string, [boolean, string][]][] = [
    [corpus('ndpi/pcap/kerberos.pcap'), [[false, 'refused'], [true, 'pending'], [false, 'refused'], [true, 'pending'], [false, 'refused'], [true, 'pending'], [false, 'refused'], [true, 'pending']]],
    [corpus('suricata-verify/tests/krb5-probing/krb.pcap'), [[false, 'refused']]],
    [join(REPO_ROOT, 'test', 'fixtures', 'generated', 'generated-kerberoast-mit.pcap'), [[false, 'answered']]],
  ];
  for (const [pcap, want] of cases) {
    const run = await runCaptures([pcap]);
    try {
      const as = run.log('kerberos').filter((r) => r.request_type === 'AS');
      const got = as.map((r) => [r.preauth, r.success === true ? 'answered' : r.error_msg === 'KDC_ERR_PREAUTH_REQUIRED' ? 'refused' : 'pending']);
      assert.deepEqual(got.slice().sort(), want.slice().sort(), pcap);
    } finally {
      run.cleanup();
    }
  }
});

test("Suricata's krb5-probing case: the KDC's error to an AS request over TCP is one failed AS exchange", { skip }, async () => {
  // krb5-probing/test.yaml: one KRB_ERROR whose failed_request is KRB_AS_REQ, no anomaly.
  const checks = suricataChecks(corpus('suricata-verify/tests/krb5-probing/test.yaml'));
  const want = checks.find((c) => c.match['krb5.msg_type'] === 'KRB_ERROR')!;
  assert.equal(want.match['krb5.failed_request'], 'KRB_AS_REQ');
  const run = await runCaptures([corpus('suricata-verify/tests/krb5-probing/krb.pcap')]);
  try {
    const errs = run.log('kerberos').filter((r) => r.success === false);
    assert.equal(errs.length, want.count);
    assert.equal(errs[0].request_type, 'AS');
    assert.equal(errs[0].error_msg, 'KDC_ERR_PREAUTH_REQUIRED');
    assert.equal(run.log('weird').filter((w) => String(w.name).startsWith('krb.')).length, 0);
  } finally {
    run.cleanup();
  }
});

test("the host names nDPI reads from Kerberos requests (realm\\host) are the names wardline reports for those clients", { skip }, async () => {
  const flows = ndpiFlows(corpus('ndpi/result/kerberos.pcap.out')).filter((f) => f.app.startsWith('Kerberos'));
  const named = new Map<string, string>();
  for (const f of flows) {
    const m = /\[([^\]\\]+)\\([^\]]+)\]/.exec(f.line);
    if (m !== null) named.set(f.a, m[2].toLowerCase());
  }
  assert.ok(named.size > 0);
  const hosts: { host: string; name: string }[] = [];
  const run = await runCaptures([corpus('ndpi/pcap/kerberos.pcap')], undefined, { onEvent: (ev) => void (ev.type === 'krb.host' && hosts.push({ host: String(ev.host), name: String(ev.name) })) });
  run.cleanup();
  for (const [ip, name] of named) assert.ok(hosts.some((h) => h.host === ip && h.name.toLowerCase() === name), `${ip} ${name}`);
});

test("the inventory names nDPI's Kerberos client by its computer account, citing the packet", { skip }, async () => {
  // nDPI: "TCP 172.16.8.201:49171 <-> 172.16.8.8:88 … [happycraft.org\\johnson-pc]".
  const flow = ndpiFlows(corpus('ndpi/result/kerberos.pcap.out')).find((f) => /\\johnson-pc\]/.test(f.line))!;
  const { devices } = await runInventory([corpus('ndpi/pcap/kerberos.pcap')]);
  const d = deviceWithIp(devices, flow.a)!;
  assert.ok(d.hostnames.includes('johnson-pc'), d.hostnames.join(','));
  const ev = d.evidence.find((e) => e.fact === 'hostname' && e.source === 'krb.cname');
  assert.ok(ev !== undefined && ev.packet > 0);
});

test('kerberos-login.pcap: a Windows XP client with DES and RC4 tickets, one line per UDP exchange', { skip }, async () => {
  // nDPI labels all 13 flows Kerberos; tshark shows each is one TGS request and its reply.
  const run = await runCaptures([corpus('ndpi/pcap/kerberos-login.pcap')]);
  try {
    const lines = run.log('kerberos');
    const flows = ndpiFlows(corpus('ndpi/result/kerberos-login.pcap.out')).filter((f) => f.app.startsWith('Kerberos'));
    assert.ok(lines.length >= flows.length - 1);
    for (const l of lines) if (l.cipher !== undefined) assert.equal(l.weak_cipher, /^(rc4|des-)/.test(String(l.cipher)), String(l.cipher));
    assert.ok(lines.some((l) => l.client === 'xp1$/DENYDC.COM' && l.service === 'cifs/VPC-W2K3ENT'));
  } finally {
    run.cleanup();
  }
});

// ---- parser --------------------------------------------------------------------------------

async function messages(): Promise<Uint8Array[]> {
  const out: Uint8Array[] = [];
  for (const p of ['zeek/traces/krb/auth.pcap', 'ndpi/pcap/kerberos.pcap', 'ndpi/pcap/kerberos-error.pcap', 'suricata-verify/tests/krb5-kerberoasting/kerberoast.pcap']) {
    for (const s of await recordStreams(corpus(p))) {
      if (s.oPort !== 88 && s.rPort !== 88) continue;
      for (const c of s.chunks) out.push(s.proto === PROTO_UDP ? c.bytes : c.bytes.subarray(4));
    }
  }
  return out.filter((b) => b.length > 0 && typeof parseKrb(b, 0, b.length) !== 'string');
}

test('parseKrb() reads every message kind of the captures, and survives truncation and mutation of each', { skip }, async () => {
  const msgs = await messages();
  const kinds = new Set(msgs.map((b) => (parseKrb(b, 0, b.length) as { kind: string }).kind));
  assert.deepEqual([...kinds].sort(), ['error', 'kdc_rep', 'kdc_req']);
  fuzzParser(msgs.slice(0, 12), (b) => {
    parseKrb(b, 0, b.length);
    parseKrbGssToken(b, 0, b.length);
    krbRecordLength(b, 0, b.length);
    probe(b, 0, b.length, true, PROTO_UDP);
    probe(b, 0, b.length, true, PROTO_TCP);
  });
});

test('probe() recognises a real AS-REQ on UDP and a record-marked one on TCP, and not HTTP or TLS', { skip }, async () => {
  const s = (await recordStreams(corpus('suricata-verify/tests/krb5-probing/krb.pcap'))).find((x) => x.rPort === 88)!;
  assert.equal(probe(s.orig, 0, s.orig.length, true, PROTO_TCP), PROBE_YES);
  assert.equal(probe(s.orig, 4, s.orig.length - 4, true, PROTO_UDP), PROBE_YES);
  const http = new TextEncoder().encode('GET / HTTP/1.1\r\nHost: x\r\n\r\n');
  assert.equal(probe(http, 0, http.length, true, PROTO_TCP), PROBE_NO);
  const tls = Uint8Array.from([0x16, 0x03, 0x01, 0x00, 0x80, 0x01, 0x00, 0x00, 0x7c]);
  assert.equal(probe(tls, 0, tls.length, true, PROTO_TCP), PROBE_NO);
});

test('names: RC4 and single DES are weak, AES is not; private (negative) types are shown as such', () => {
  assert.equal(etypeName(23), 'rc4-hmac');
  assert.ok(weakEtype(23) && weakEtype(3) && !weakEtype(18) && !weakEtype(17));
  assert.equal(etypeName(-135), 'private(-135)');
  assert.equal(etypeName(99), 'unknown-99');
});

test('kerberosTime() reads GeneralizedTime and refuses malformed or non-UTC text', () => {
  // Synthetic: the three forms RFC 4120 §5.2.3 allows or forbids, none of which needs a capture.
  const t = (s: string): number | null => {
    const b = new TextEncoder().encode(s);
    return kerberosTime(b, { cls: 0, constructed: false, tag: 24, start: 0, off: 0, len: b.length, end: b.length });
  };
  assert.equal(t('20370913024805Z'), 2136422885);
  assert.equal(t('19700101000000Z'), 0);
  assert.equal(t('20370913024805'), null);
  assert.equal(t('2037091302480xZ'), null);
});
