// The DER reader and X.509 parser against Zeek's x509.log baselines, on certificates cut from
// real captures: TLS chains, and the RDP-carried certificates of rdp-x509.pcap (multi-valued RDNs,
// an escaped control character, the OIW sha1WithRSA signature, a signature OID as key type).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { corpus, haveCorpus, readZeekTsv } from '../../testutil/corpus.js';
import { fuzzParser } from '../../testutil/fuzz.js';
import { TAG_GENERALIZED_TIME, TAG_UTC_TIME, children, oidText, parseTime, readTlv } from './der.js';
import { hostMatches, parseCertificate, type X509Info } from './x509.js';
import { flowsOf, serverCertificates, zeekUnescape } from './testkit.js';

const skip = !haveCorpus() && 'shared corpus not present';

const time = (t: number | null): string => (t === null ? '-' : t.toFixed(6));
const list = (l: string[] | undefined): string => (l === undefined ? '-' : l.join(','));
const bool = (b: boolean | undefined): string => (b === undefined ? '-' : b ? 'T' : 'F');

/** The x509.log columns a certificate determines, in Zeek's TSV spelling. */
function zeekColumns(x: X509Info): Record<string, string> {
  return {
    fingerprint: x.fingerprint,
    'certificate.version': String(x.version),
    'certificate.serial': x.serial,
    'certificate.subject': x.subject,
    'certificate.issuer': x.issuer,
    'certificate.not_valid_before': time(x.not_valid_before),
    'certificate.not_valid_after': time(x.not_valid_after),
    'certificate.key_alg': x.key_alg,
    'certificate.sig_alg': x.sig_alg,
    'certificate.key_type': x.key_type ?? '-',
    'certificate.key_length': x.key_length === undefined ? '-' : String(x.key_length),
    'certificate.exponent': x.exponent ?? '-',
    'certificate.curve': x.curve ?? '-',
    'san.dns': list(x.san_dns),
    'san.uri': list(x.san_uri),
    'san.email': list(x.san_email),
    'san.ip': list(x.san_ip),
    'basic_constraints.ca': bool(x.basic_constraints_ca),
    'basic_constraints.path_len': x.basic_constraints_path_len === undefined ? '-' : String(x.basic_constraints_path_len),
  };
}

function compare(got: X509Info[], baseline: string): void {
  const want = readZeekTsv(corpus('zeek', 'baselines', baseline, 'x509.log'));
  assert.equal(got.length, want.length, 'certificate count');
  for (let i = 0; i < want.length; i++) {
    const g = zeekColumns(got[i]);
    for (const k of Object.keys(g)) assert.equal(g[k], zeekUnescape(want[i][k]), `certificate ${i} ${k}`);
  }
}

for (const [trace, baseline] of [
  ['tls1.2.pcap', 'scripts.base.protocols.ssl.tls-1.2'],
  ['tls1_1.pcap', 'scripts.base.protocols.ssl.tls1_1'],
  ['tls-conn-with-extensions.pcap', 'scripts.base.protocols.ssl.basic'],
  ['ecdhe.pcap', 'scripts.base.protocols.ssl.ecdhe'],
  ['smtp-starttls.pcap', 'scripts.base.protocols.smtp.starttls'],
]) {
  test(`parseCertificate() reproduces Zeek's x509.log for ${trace}`, { skip }, async () => {
    const flows = await flowsOf('zeek', 'traces', 'tls', trace);
    const certs = flows.flatMap((f) => serverCertificates(f)).map((d) => parseCertificate(d));
    assert.ok(certs.every((c) => c !== null));
    compare(certs as X509Info[], baseline);
  });
}

/** DER certificates found anywhere in a byte stream (SEQUENCE, long length, SEQUENCE). */
function scanCertificates(s: Uint8Array): X509Info[] {
  const out: X509Info[] = [];
  for (let i = 0; i + 5 < s.length; i++) {
    if (s[i] !== 0x30 || s[i + 1] !== 0x82 || s[i + 4] !== 0x30) continue;
    const end = i + 4 + ((s[i + 2] << 8) | s[i + 3]);
    const c = end <= s.length ? parseCertificate(s.slice(i, end)) : null;
    if (c !== null) {
      out.push(c);
      i = end - 1;
    }
  }
  return out;
}

test("parseCertificate() reproduces Zeek's x509.log for the RDP certificates of rdp-x509.pcap", { skip }, async () => {
  const flows = await flowsOf('zeek', 'traces', 'rdp', 'rdp-x509.pcap');
  const certs = flows.flatMap((f) => [...scanCertificates(f.orig), ...scanCertificates(f.resp)]);
  compare(certs, 'scripts.base.protocols.rdp.rdp-x509');
});

test('parseCertificate() marks a self-issued certificate (Arkime ssl-selfsign.pcap) and not a CA-issued one', { skip }, async () => {
  const self = serverCertificates((await flowsOf('arkime', 'tests', 'pcap', 'ssl-selfsign.pcap')).find((f) => f.proto === 6)!);
  const x = parseCertificate(self[0]);
  assert.ok(x !== null && x.self_issued);
  assert.deepEqual(x?.subject_cn, ['molochftw']);
  const chain = serverCertificates((await flowsOf('zeek', 'traces', 'tls', 'tls1.2.pcap'))[0]);
  assert.equal(parseCertificate(chain[0])?.self_issued, false);
  // The chain's last certificate is the self-signed AddTrust root.
  assert.equal(parseCertificate(chain[2])?.self_issued, true);
});

test('hostMatches() follows RFC 6125 wildcard rules', () => {
  assert.ok(hostMatches('ssl.gstatic.com', '*.gstatic.com'));
  assert.ok(hostMatches('WWW.Example.com.', 'www.example.com'));
  assert.ok(!hostMatches('gstatic.com', '*.gstatic.com'));
  assert.ok(!hostMatches('a.b.gstatic.com', '*.gstatic.com'));
  assert.ok(!hostMatches('192.168.1.150', 'WIN2K8R2.awakecoding.ath.cx'));
});

test('parseTime() reads UTCTime across the 1950/2049 pivot and GeneralizedTime with offsets', () => {
  // Synthetic DER times (RFC 5280 §4.1.2.5): the real ones are covered by the baselines above.
  const t = (tag: number, s: string): number | null => {
    const b = Uint8Array.from([tag, s.length, ...Buffer.from(s, 'latin1')]);
    const tlv = readTlv(b, 0, b.length);
    return tlv === null ? null : parseTime(b, tlv);
  };
  assert.equal(t(TAG_UTC_TIME, '491231235959Z'), Date.UTC(2049, 11, 31, 23, 59, 59) / 1000);
  assert.equal(t(TAG_UTC_TIME, '500101000000Z'), Date.UTC(1950, 0, 1) / 1000);
  assert.equal(t(TAG_GENERALIZED_TIME, '20250128021829Z'), Date.UTC(2025, 0, 28, 2, 18, 29) / 1000);
  assert.equal(t(TAG_GENERALIZED_TIME, '20250128021829.5+0100'), Date.UTC(2025, 0, 28, 1, 18, 29) / 1000);
  assert.equal(t(TAG_UTC_TIME, 'garbage!!!Z'), null);
});

test('readTlv() refuses lengths past the window and indefinite lengths', () => {
  assert.equal(readTlv(Uint8Array.of(0x30, 0x05, 1, 2), 0, 4), null);
  assert.equal(readTlv(Uint8Array.of(0x30, 0x80, 0, 0), 0, 4), null);
  assert.equal(readTlv(Uint8Array.of(0x30, 0x84, 0xff, 0xff, 0xff, 0xff), 0, 6), null);
  const oid = Uint8Array.of(0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0b);
  assert.equal(oidText(oid, readTlv(oid, 0, oid.length)!), '1.2.840.113549.1.1.11');
});

test('the DER reader and certificate parser survive truncation and mutation of real certificates', { skip }, async () => {
  const chain = serverCertificates((await flowsOf('zeek', 'traces', 'tls', 'tls1_1.pcap'))[0]);
  const rdp = (await flowsOf('zeek', 'traces', 'rdp', 'rdp-x509.pcap')).flatMap((f) => [f.resp]);
  const seeds = [chain[1], chain[2], rdp[0].slice(539, 539 + 869)];
  fuzzParser(
    seeds,
    (b) => {
      parseCertificate(b);
      const t = readTlv(b, 0, b.length);
      if (t !== null) children(b, t);
    },
    { mutations: 400 },
  );
});
