// ssl.log, x509.log and conn.log service through the whole pipeline, against the peers' outputs
// in the shared corpus: Zeek's ssl.log and x509.log baselines, Arkime's session JSON, suricata-
// verify's expected EVE records and nDPI's per-flow results.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { corpus, haveCorpus, readZeekTsv, runCaptures, zeekBaselines, type RunOutput } from '../../testutil/corpus.js';
import { formatAddr } from '../../decode/packet.js';
import { TLS } from './index.js';
import { zeekUnescape } from './testkit.js';

const skip = !haveCorpus() && 'shared corpus not present';

/** A JSON log value in Zeek's TSV spelling. */
function tsv(v: unknown): string {
  if (v === undefined || v === null) return '-';
  if (typeof v === 'boolean') return v ? 'T' : 'F';
  if (Array.isArray(v)) return v.length === 0 ? '(empty)' : v.join(',');
  return String(v);
}

/** Baselines not compared, and why. */
const NOT_COMPARED: Record<string, string> = {};
/** Fields that legitimately differ, per baseline, and why. */
const IGNORED: Record<string, { fields: string[]; why: string }> = {
  'scripts.policy.protocols.ssl.validate-certs-no-cache': {
    fields: ['validation_status'],
    why: "Zeek validates chains against Mozilla's root store; wardline has no trust store and only reports a lone self-signed certificate",
  },
};
const SSL_FIELDS = ['version', 'cipher', 'curve', 'server_name', 'resumed', 'last_alert', 'next_protocol', 'established', 'ssl_history', 'cert_chain_fps', 'client_cert_chain_fps', 'subject', 'issuer', 'sni_matches_cert', 'validation_status'];

/** The whole pipeline: TLS after STARTTLS, RDP, MySQL's SSLRequest and FTP's AUTH TLS is handed over. */
async function run(trace: string): Promise<RunOutput> {
  return runCaptures([trace]);
}

const sslBaselines = skip ? [] : zeekBaselines('ssl.log');

test('the corpus has Zeek ssl.log baselines to compare with', { skip }, () => {
  assert.ok(sslBaselines.length >= 8, `found ${sslBaselines.length}`);
});

for (const { trace, baseline } of sslBaselines) {
  const dir = baseline.split('/').slice(-2)[0];
  const why = NOT_COMPARED[dir];
  test(`ssl.log matches Zeek's baseline ${dir}`, { skip: skip || why }, async () => {
    const want = readZeekTsv(baseline);
    const r = await run(trace);
    try {
      const got = r.log('ssl');
      assert.equal(got.length, want.length, 'ssl.log lines');
      const ignored = IGNORED[dir]?.fields ?? [];
      for (const w of want) {
        const g = got.find((x) => String(x['id.orig_p']) === w['id.orig_p'] && x['id.resp_h'] === w['id.resp_h']);
        assert.ok(g, `connection ${w['id.orig_p']} > ${w['id.resp_h']}`);
        for (const f of SSL_FIELDS) {
          if (w[f] === undefined || ignored.includes(f)) continue;
          assert.equal(tsv(g[f]), zeekUnescape(w[f]), `${w['id.orig_p']} ${f}`);
        }
      }
    } finally {
      r.cleanup();
    }
  });
}

const X509_FIELDS = [
  'fingerprint', 'certificate.version', 'certificate.serial', 'certificate.subject', 'certificate.issuer', 'certificate.not_valid_before',
  'certificate.not_valid_after', 'certificate.key_alg', 'certificate.sig_alg', 'certificate.key_type', 'certificate.key_length',
  'certificate.exponent', 'certificate.curve', 'san.dns', 'san.uri', 'san.email', 'san.ip', 'basic_constraints.ca', 'basic_constraints.path_len',
  'host_cert', 'client_cert',
];
/** x509 baselines not produced by the TLS analyzer, and why. */
const X509_ELSEWHERE: Record<string, string> = {
  'scripts.base.protocols.rdp.rdp-x509': 'the certificates travel inside RDP, not TLS; x509.test.ts parses them directly',
};

for (const { trace, baseline } of skip ? [] : zeekBaselines('x509.log')) {
  const dir = baseline.split('/').slice(-2)[0];
  test(`x509.log matches Zeek's baseline ${dir}`, { skip: skip || X509_ELSEWHERE[dir] }, async () => {
    const want = readZeekTsv(baseline);
    const r = await runCaptures([trace], [TLS]);
    try {
      const got = r.log('x509');
      assert.equal(got.length, want.length, 'x509.log lines');
      for (let i = 0; i < want.length; i++) {
        for (const f of X509_FIELDS) {
          const g = got[i][f];
          const v = typeof g === 'number' && f.includes('not_valid') ? g.toFixed(6) : tsv(g);
          assert.equal(v, zeekUnescape(want[i][f]), `certificate ${i} ${f}`);
        }
      }
    } finally {
      r.cleanup();
    }
  });
}

interface ArkimeCert {
  hash: string;
  serial: string;
  notBefore: number;
  notAfter: number;
  alt?: string[];
  publicAlgorithm: string;
  subjectCN?: string[];
}

/** Arkime spells versions "TLSv1", "TLSv1.2", "TLSv1.3-draft-18"; Zeek "TLSv10", "TLSv12", "TLSv13-draft18". */
function arkimeVersion(v: string): string {
  return v.replace(/^TLSv1$/, 'TLSv10').replace(/^TLSv1\.(\d)/, 'TLSv1$1').replace('-draft-', '-draft');
}

for (const name of ['openssl-ssl3', 'openssl-tls1', 'openssl-tls1_1', 'openssl-tls1_2', 'ssl-selfsign', 'tls13']) {
  test(`ssl.log and certificates agree with Arkime's ${name}.test`, { skip }, async () => {
    const d = JSON.parse(readFileSync(corpus('arkime', 'tests', 'pcap', `${name}.test`), 'utf8')) as { sessions3: { body: { tls: Record<string, string[]>; cert?: ArkimeCert[] } }[] };
    const want = d.sessions3[0].body;
    const r = await runCaptures([corpus('arkime', 'tests', 'pcap', `${name}.pcap`)]);
    try {
      const ssl = r.log('ssl');
      assert.equal(ssl.length, 1);
      assert.equal(ssl[0].version, arkimeVersion(want.tls.version[0]));
      assert.equal(ssl[0].cipher, want.tls.cipher[0]);
      assert.equal(ssl[0].ja3, want.tls.ja3[0]);
      assert.equal(ssl[0].ja3s, want.tls.ja3s[0]);
      assert.equal(ssl[0].ja4, want.tls.ja4[0]);
      const ch = r.result.events.find((e) => e.ev.type === 'ssl.client_hello')!.ev;
      assert.equal(ch.ja4_r, want.tls.ja4_r[0]);
      // Arkime lists the server's certificates (not a client's), in its own order: match by SHA-1.
      const certs = r.result.events.filter((e) => e.ev.type === 'ssl.certificate' && e.ev.is_orig === false).map((e) => e.ev.cert as Record<string, unknown>);
      assert.equal(certs.length, (want.cert ?? []).length);
      for (const w of want.cert ?? []) {
        const c = certs.find((x) => x.sha1 === w.hash.replace(/:/g, ''));
        assert.ok(c, `certificate ${w.hash}`);
        // Arkime keeps the DER sign byte of the serial; Zeek (and wardline) print the magnitude.
        assert.equal(c.serial, w.serial.replace(/^00(?=[89a-f])/, '').toUpperCase());
        assert.equal(Number(c.not_valid_before) * 1000, w.notBefore);
        assert.equal(Number(c.not_valid_after) * 1000, w.notAfter);
        assert.equal(c.key_alg, w.publicAlgorithm);
        assert.deepEqual(c.san_dns, w.alt);
        // Arkime lower-cases common names.
        assert.deepEqual((c.subject_cn as string[]).map((x) => x.toLowerCase()), w.subjectCN ?? []);
      }
    } finally {
      r.cleanup();
    }
  });
}

test("ssl.log gives suricata-verify's ja4-tls fingerprint", { skip }, async () => {
  const r = await runCaptures([corpus('suricata-verify', 'tests', 'ja4-tls', 'input.pcap')]);
  try {
    assert.deepEqual(
      r.log('ssl').map((l) => l.ja4),
      ['t12i1810s1_27d4652c4487_06a4338d0495'],
    );
  } finally {
    r.cleanup();
  }
});

test("a ClientHello whose extensions break off keeps the server name nDPI reads (tls_invalid_reads.pcap)", { skip }, async () => {
  // The GTP-tunnelled hello's ALPN extension claims 47,241 bytes of list in 11 and what follows
  // is noise (tshark: "Vector length 47241 is too large"). nDPI still reports Hostname/SNI
  // e.crashlytics.com; wardline keeps it, reports the damage as a weird, and makes no JA3/JA4 from
  // the cut list (nDPI does: its JA3C fingerprints a client hello that was never sent).
  const r = await runCaptures([corpus('ndpi', 'pcap', 'tls_invalid_reads.pcap')]);
  try {
    const ssl = r.log('ssl').find((l) => l['id.orig_h'] === '10.191.139.17');
    assert.ok(ssl !== undefined);
    assert.equal(ssl.server_name, 'e.crashlytics.com');
    assert.equal(ssl.ja3, undefined);
    const ch = r.result.events.find((e) => e.uid === ssl.uid && e.ev.type === 'ssl.client_hello');
    assert.ok(ch !== undefined);
    assert.equal(ch.ev.ja4, undefined);
    assert.ok(r.log('weird').some((w) => w.uid === ssl.uid && w.name === 'ssl.bad_client_hello'));
  } finally {
    r.cleanup();
  }
});

/** Suricata's "C=US, ST=X, …, Email=e" (RDNs in order) as OpenSSL's RFC 2253 form Zeek prints. */
function suricataDn(s: string): string {
  const parts = s.split(/, (?=[A-Za-z]+=)/).map((p) => p.replace(/^Email=/, 'emailAddress=').replace(/^([^=]+=)(.*)$/, (_m, k: string, v: string) => k + v.replace(/([,+;])/g, '\\$1')));
  return parts.reverse().join(',');
}

test("an SSLv2-compatible ClientHello upgraded to TLS 1.0 gives suricata-verify's sslv2-tls-upgrade-01 certificate", { skip }, async () => {
  const r = await runCaptures([corpus('suricata-verify', 'tests', 'sslv2-tls-upgrade-01', 'ssl-v2-s1.pcap')]);
  try {
    const ssl = r.log('ssl');
    assert.equal(ssl.length, 1);
    assert.equal(ssl[0].version, 'TLSv10');
    assert.match(String(ssl[0].ssl_history), /^Cs/);
    assert.equal(ssl[0].subject, suricataDn('C=US, ST=California, L=Sunnyvale, O=NetScreen Technologies, Inc., OU=Security Team, CN=sigdb.secteam.netscreen.com, Email=aturner@netscreen.com'));
    assert.equal(ssl[0].issuer, suricataDn('C=US, ST=California, L=Sunnyvale, O=OneSecure, Inc., OU=Fulfillment, CN=jumper.sv-staging.onesecure.com, Email=fulfillment@onesecure.com'));
    const x = r.log('x509')[0];
    assert.equal(x['certificate.serial'], '55');
    assert.equal(x['certificate.not_valid_before'], Date.parse('2003-03-29T00:57:44Z') / 1000);
    assert.equal(x['certificate.not_valid_after'], Date.parse('2008-03-27T00:57:44Z') / 1000);
    const sha1 = (r.result.events.find((e) => e.ev.type === 'ssl.certificate')!.ev.cert as { sha1: string }).sha1;
    assert.equal(sha1, '8c:90:bd:2a:b3:ae:e6:0b:d0:ea:b7:86:b0:1a:e4:b1:cc:57:ef:22'.replace(/:/g, ''));
    assert.equal(r.conns[0].service, 'ssl');
  } finally {
    r.cleanup();
  }
});

test("TLS after LDAP StartTLS gives suricata-verify's ldap-starttls certificate", { skip }, async () => {
  const r = await runCaptures([corpus('suricata-verify', 'tests', 'ldap-starttls', 'input.pcap')]);
  try {
    // The LDAP analyzer sees the StartTLS extended operation succeed and hands the stream over.
    assert.deepEqual(r.conns.map((c) => c.service), ['ldap_tcp,ssl']);
    const ssl = r.log('ssl');
    assert.equal(ssl.length, 1);
    assert.equal(ssl[0].version, 'TLSv12');
    assert.equal(ssl[0].subject, 'CN=LDAP SSL test');
    assert.equal(ssl[0].issuer, 'CN=LDAP SSL test');
    // A lone self-signed certificate: the one validation verdict possible without a trust store.
    assert.equal(ssl[0].validation_status, 'self signed certificate');
    const x = r.log('x509')[0];
    assert.equal(x['certificate.serial'], '8A07E08D4AB50A7B');
    assert.equal(x['certificate.not_valid_after'], Date.parse('2025-01-28T02:18:29Z') / 1000);
    const cert = r.result.events.find((e) => e.ev.type === 'ssl.certificate')!.ev;
    assert.equal(cert.self_signed, true);
  } finally {
    r.cleanup();
  }
});

// ---- nDPI ---------------------------------------------------------------------------------

interface NdpiFlow {
  no: string;
  proto: string;
  a: string;
  b: string;
  app: string;
  line: string;
}

function ndpiFlows(file: string): NdpiFlow[] {
  const out: NdpiFlow[] = [];
  for (const line of readFileSync(corpus('ndpi', 'result', `${file}.out`), 'utf8').split('\n')) {
    const m = /^\s+(\d+)\s+(TCP|UDP) (\S+) (?:<->|->) (\S+) .*?\[proto: ([^\]]+)\]/.exec(line);
    if (m !== null) out.push({ no: m[1], proto: m[2], a: m[3].replace(/^\[|\](?=:\d+$)/g, ''), b: m[4].replace(/^\[|\](?=:\d+$)/g, ''), app: m[5], line });
  }
  return out;
}

const field = (line: string, k: string): string | undefined => new RegExp(`\\[${k}: ([^\\]]*)\\]`).exec(line)?.[1];

/** nDPI's JA4 next to the spec's (FoxIO), made comparable; see the test below for why. */
function ja4Comparable(j: string): string {
  const [a, b, c] = j.split('_');
  const empty = (h: string): string => (h === 'e3b0c44298fc' ? '000000000000' : h);
  return `${a.slice(0, 3)}?${a.slice(4, 8)}??_${empty(b)}_${empty(c)}`;
}

/** Per-flow differences with nDPI that are understood: (file, flow number) → field → why. */
const NDPI_DIFFERENCES: Record<string, Record<string, string>> = {
  'dtls.pcap#1': { ja4: 'the client offers DTLS 1.3 (0xfefc): JA4 says "d3", this nDPI version prints "d2"' },
  'dtls_old_version.pcapng#1': { ja4: 'OpenSSL\'s pre-RFC DTLS version 0x0100 is "00" in JA4; nDPI prints "s3"' },
  'dtls_certificate_fragments.pcap#1': { version: 'the ServerHello picks DTLS 1.0 (0xfeff), which Zeek and wardline log; nDPI shows the client\'s DTLS 1.2' },
  'tls_with_huge_ch.pcapng#1': { version: 'the ServerHello\'s supported_versions selects TLS 1.3 (cipher TLS_CHACHA20_POLY1305_SHA256 exists only in 1.3); nDPI shows the legacy 1.2' },
  'tls_2_reasms.pcapng#1': { version: "Facebook's Fizz version 0xfb1a: Zeek's name is unknown-64282, nDPI's \"TLSv1.3 (Fizz)\"" },
  'tls_2_reasms_b.pcapng#1': { version: "Facebook's Fizz version 0xfb1a: Zeek's name is unknown-64282, nDPI's \"TLSv1.3 (Fizz)\"" },
};

/** nDPI's version names in Zeek's spelling. */
const ndpiVersion = (v: string): string => v.replace(/^TLSv1$/, 'TLSv10').replace(/^(D?TLSv1)\.(\d)$/, '$1$2');

const ndpiFiles = skip
  ? []
  : readdirSync(corpus('ndpi', 'result'))
      .map((f) => f.replace(/\.out$/, ''))
      .filter((f) => ndpiFlows(f).some((x) => /(^|[:.\/])D?TLS\b/.test(x.app) && x.line.includes('[Confidence: DPI]') && !x.app.startsWith('GTP')));

test('the nDPI corpus has TLS and DTLS flows to compare with', { skip }, () => {
  assert.ok(ndpiFiles.length >= 30, `found ${ndpiFiles.length}`);
});

for (const file of ndpiFiles) {
  test(`TLS service, JA3, JA3S, JA4, version and cipher agree with nDPI's ${file}.out`, async () => {
    // JA4 is compared without its SNI letter and ALPN characters, and nDPI's sha256 of an empty
    // list is read as JA4's "000000000000": this nDPI build marks "d" for SNI when it knows a host
    // name from elsewhere, takes the first two ALPN characters ("ht" for http/1.1, where the JA4
    // spec and Arkime take first and last, "h1"), and hashes empty lists. Flows nDPI tunnels in
    // GTP are skipped (wardline does not decapsulate GTP), as are flows nDPI matched by port only.
    const r = await runCaptures([corpus('ndpi', 'pcap', file)]);
    try {
      for (const f of ndpiFlows(file)) {
        if (!/(^|[:.\/])D?TLS\b/.test(f.app) || f.app.startsWith('GTP') || !f.line.includes('[Confidence: DPI]')) continue;
        const diff = NDPI_DIFFERENCES[`${file}#${f.no}`] ?? {};
        const conns = r.conns.filter((c) => {
          const o = `${formatAddr(c.o0, c.o1, c.o2, c.o3)}:${c.oPort}`;
          const p = `${formatAddr(c.r0, c.r1, c.r2, c.r3)}:${c.rPort}`;
          return (o === f.a && p === f.b) || (o === f.b && p === f.a);
        });
        assert.ok(conns.length > 0, `flow ${f.no} ${f.a} ${f.b}`);
        // The flow table may split one nDPI flow (e.g. several SYN-ACKs); one part must be TLS.
        const c = conns.find((x) => /\b(ssl|dtls)\b/.test(x.service));
        assert.ok(c, `flow ${f.no}: service ${conns.map((x) => x.service || '-').join('/')}`);
        const evs = r.result.events.filter((e) => e.uid === c.uid).map((e) => e.ev);
        const ch = evs.find((e) => e.type === 'ssl.client_hello');
        const sh = evs.find((e) => e.type === 'ssl.server_hello');
        const ssl = r.log('ssl').find((l) => l.uid === c.uid);
        const ja4 = field(f.line, 'JA4');
        if (ja4 !== undefined && diff.ja4 === undefined) assert.equal(ja4Comparable(String(ch?.ja4)), ja4Comparable(ja4), `flow ${f.no} JA4`);
        const ja3c = field(f.line, 'JA3C');
        if (ja3c !== undefined) assert.equal(ch?.ja3, ja3c, `flow ${f.no} JA3C`);
        const ja3s = field(f.line, 'JA3S')?.split(' ')[0];
        if (ja3s !== undefined) assert.equal(sh?.ja3s, ja3s, `flow ${f.no} JA3S`);
        const cipher = field(f.line, 'Cipher');
        if (cipher !== undefined) assert.equal(ssl?.cipher, cipher, `flow ${f.no} cipher`);
        const version = /\]\[((?:D)?TLSv1(?:\.\d)?[^\]]*)\]\[/.exec(f.line)?.[1];
        if (version !== undefined && ssl?.version !== undefined && diff.version === undefined) assert.equal(ssl.version, ndpiVersion(version), `flow ${f.no} version`);
      }
    } finally {
      r.cleanup();
    }
  });
}

test("conn.log service names what Zeek's conn baselines name where TLS follows another protocol", { skip }, async () => {
  // Zeek logs "mysql,ssl" and "ftp,ssl": MySQL's SSLRequest and FTP's AUTH TLS hand the stream
  // to the TLS analyzer. wardline's list is in the order the protocols appeared, Zeek's is not.
  let compared = 0;
  for (const { trace, baseline } of zeekBaselines('conn.log')) {
    const want = readZeekTsv(baseline).filter((w) => w.service?.split(',').includes('ssl'));
    if (want.length === 0) continue;
    const r = await runCaptures([trace]);
    try {
      for (const w of want) {
        const c = r.conns.find((x) => String(x.oPort) === w['id.orig_p'] && String(x.rPort) === w['id.resp_p']);
        assert.ok(c !== undefined, `${trace} ${w['id.orig_p']}`);
        assert.deepEqual(c.service.split(',').sort(), w.service.split(',').sort(), `${trace} ${w['id.orig_p']}`);
        compared++;
      }
    } finally {
      r.cleanup();
    }
  }
  assert.ok(compared >= 2, `compared ${compared}`);
});
