// EAPOL frames against tshark 4.0's decode of a generated capture of real implementations
// (test/fixtures/generated/dot1x/generate.sh: hostapd as a wired authenticator with its EAP
// server, wpa_supplicant with EAP-MD5 right and wrong, PEAP-MSCHAPv2 and EAP-TLS); a Nak, LEAP
// and a Logoff, which these do not send here, built by hand (said there); fuzzing of the parser.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { linesByFrame, readTsharkFields, REPO_ROOT, runCaptures } from '../../testutil/corpus.js';
import { fuzzParser } from '../../testutil/fuzz.js';
import { pcapFrames, writePcap } from '../../testutil/pcapwriter.js';
import { EAP_TYPES, EAPOL_TYPES, parseEapol } from './parse.js';
import { EapTlsHandshakes } from './eaptls.js';

const GEN = join(REPO_ROOT, 'test', 'fixtures', 'generated');
const PCAP = join(GEN, 'generated-8021x.pcap');
/** tshark's rows: frame, eth src, eth dst, EAPOL version, type, EAP code, id, type, identity, EAP-MD5 value size. */
const rows = readTsharkFields(join(GEN, 'dot1x', 'tshark.tsv'));
const CODES: Record<string, string> = { '1': 'request', '2': 'response', '3': 'success', '4': 'failure' };

test("eapol.log: one line per frame with tshark's EAPOL version and type, EAP code, id, method and identity (generated: hostapd and wpa_supplicant, EAP-MD5, PEAP, EAP-TLS)", async () => {
  assert.equal(rows.length, 46);
  const run = await runCaptures([PCAP]);
  try {
    for (const { l, r, at } of linesByFrame(run.log('eapol'), rows)) {
      assert.deepEqual([l.mac_src, l.mac_dst, l.eapol_version, l.eapol_type], [r[1], r[2], Number(r[3]), EAPOL_TYPES[Number(r[4])]], at);
      assert.deepEqual([l.eap_code ?? '', l.eap_id ?? '', l.eap_type ?? '', l.identity ?? ''], [CODES[r[5]] ?? '', r[6] === '' ? '' : Number(r[6]), r[7] === '' ? '' : EAP_TYPES[Number(r[7])], r[8]], at);
      // EAP-MD5's value: its presence, as tshark's value size says; never the value itself.
      assert.equal(l.challenge_value ?? false, r[9] !== '' && Number(r[9]) > 0, at);
    }
    assert.deepEqual(Object.keys(run.result.weirds).filter((w) => w.startsWith('eapol.')), []);
    // The challenge responses (frames 5 and 11) are in no output, not even as hex.
    const frames = pcapFrames(PCAP);
    for (const n of [5, 11]) {
      const f = frames[n - 1];
      const value = Buffer.from(f.subarray(14 + 4 + 6, 14 + 4 + 6 + 16)).toString('hex');
      assert.equal(f[14 + 4 + 5], 16);
      assert.ok(!JSON.stringify(run.log('eapol')).includes(value));
    }
  } finally {
    run.cleanup();
  }
});

test("the TLS handshakes of PEAP and EAP-TLS: tshark's chosen version and cipher, and each side's certificate (the RADIUS server's, and EAP-TLS's client certificate naming the device)", async () => {
  /** tshark's rows: frame, handshake types, version, cipher suite(s), certificates (DER hex), at the frame completing each EAP-TLS message. */
  const tls = readTsharkFields(join(GEN, 'dot1x', 'tls.tsv'));
  const run = await runCaptures([PCAP]);
  try {
    const log = run.log('eapol');
    const certs = log.filter((l) => l.cert_sha1 !== undefined);
    const want = tls.filter((r) => r[4] !== '').map((r) => [Number(r[0]), createHash('sha1').update(Buffer.from(r[4].split(',')[0], 'hex')).digest('hex')]);
    assert.deepEqual(certs.map((l) => [l.packet, l.cert_sha1]), want);
    assert.deepEqual(certs.map((l) => l.cert_subject), ['CN=radius.ward.local', 'CN=radius.ward.local', 'CN=host/icu-pc01.ward.local']);
    // wardline reads each TLS record as its EAP fragment arrives, so the ServerHello (whole in the
    // first fragment) is logged there; tshark dissects the reassembled EAP-TLS message at its last.
    const hellos = log.filter((l) => l.tls_version !== undefined);
    const serverHellos = tls.filter((r) => r[1].split(',').includes('2'));
    assert.equal(hellos.length, serverHellos.length);
    hellos.forEach((l, i) => {
      const r = serverHellos[i];
      assert.ok((l.packet as number) <= Number(r[0]));
      assert.deepEqual([l.tls_version, l.tls_cipher], [r[2] === '0x0303' ? 'TLSv12' : r[2], r[3] === '0xc030' ? 'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384' : r[3]]);
    });
  } finally {
    run.cleanup();
  }
});

// Synthetic: neither hostapd nor wpa_supplicant sent a Nak, LEAP or a Logoff here; built after
// RFC 3748 §5.3, Cisco LEAP as Wireshark's packet-eap.c reads it, and 802.1X-2010 §11.3.
test('a Nak naming the methods the peer wants, LEAP with its user name, and a Logoff (synthetic)', async () => {
  const eapol = (type: number, eap: Buffer): Uint8Array =>
    new Uint8Array(Buffer.concat([Buffer.from('0180c2000003' + '02971200002a' + '888e', 'hex'), Buffer.from([1, type, eap.length >> 8, eap.length & 0xff]), eap]));
  const eap = (code: number, id: number, body: Buffer): Buffer => Buffer.concat([Buffer.from([code, id, 0, 4 + body.length]), body]);
  const nak = eap(2, 7, Buffer.from([3, 25, 13]));
  const leap = eap(2, 8, Buffer.concat([Buffer.from([17, 1, 0, 24]), Buffer.alloc(24, 0x5a), Buffer.from('nurse.kim')]));
  const run = await runCaptures([writePcap([{ ts: 1, frame: eapol(0, nak) }, { ts: 2, frame: eapol(0, leap) }, { ts: 3, frame: eapol(2, Buffer.alloc(0)) }])]);
  try {
    const [a, b, c] = run.log('eapol');
    assert.deepEqual([a.eap_type, a.nak_types], ['nak', ['peap', 'tls']]);
    assert.deepEqual([b.eap_type, b.leap_user, b.challenge_value], ['leap', 'nurse.kim', true]);
    assert.ok(!JSON.stringify(b).includes('5a5a'));
    assert.equal(c.eapol_type, 'logoff');
  } finally {
    run.cleanup();
  }
});

test('parseEapol() survives truncation and mutation of real frames', () => {
  // Each frame after Ethernet (14 bytes).
  const seeds = pcapFrames(PCAP, 14);
  assert.deepEqual(seeds.map((x) => parseEapol(x, 0, x.length) !== 'bad'), rows.map(() => true));
  // The EAP-TLS reassembly too: mutated fragments fed in order to one handshake state.
  const tls = new EapTlsHandshakes();
  fuzzParser(seeds, (b) => {
    const r = parseEapol(b, 0, b.length);
    if (r !== 'bad' && r.tlsAt !== undefined && r.tlsEnd !== undefined) tls.data(r.eap_code === 'response' ? 'c' : 's', b, r.tlsAt, r.tlsEnd);
  });
});
