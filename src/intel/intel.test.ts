// Threat-intelligence matching against Zeek's intel framework tests: the indicator files are the
// ones those tests write (their @TEST-START-FILE blocks, read from the Zeek test scripts in the
// corpus), the expectations their intel.log baselines. Compared per line on the connection,
// indicator, type, where and sources (the uids and fuids are each tool's own). Parsing errors,
// subnets and the other seen locations no Zeek test covers are checked on synthetic input.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { corpus, haveCorpus, readZeekTsv, runCaptures } from '../testutil/corpus.js';
import { IntelError, IntelSet } from './intel.js';

const skip = !haveCorpus() && 'shared corpus not present';

/** The files a Zeek btest script writes with @TEST-START-FILE … @TEST-END-FILE. */
function testFiles(script: string): Map<string, string> {
  const out = new Map<string, string>();
  const lines = readFileSync(script, 'utf8').split('\n');
  for (let i = 0; i < lines.length; i++) {
    const m = /^#\s*@TEST-START-FILE\s+(\S+)/.exec(lines[i]);
    if (m === null) continue;
    const body: string[] = [];
    for (i++; i < lines.length && !/@TEST-END-FILE/.test(lines[i]); i++) body.push(lines[i]);
    out.set(m[1], body.join('\n') + '\n');
  }
  return out;
}

function intelOf(script: string): IntelSet {
  const s = new IntelSet();
  for (const [name, text] of testFiles(script)) s.addText(text, name);
  return s;
}

const row = (r: Record<string, unknown>): string => ['id.orig_h', 'id.orig_p', 'id.resp_h', 'id.resp_p', 'seen.indicator', 'seen.indicator_type', 'seen.where', 'sources'].map((k) => (Array.isArray(r[k]) ? (r[k] as string[]).join(',') : String(r[k]))).join(' ');

const CASES: { name: string; script: string[]; baseline: string; trace: string[]; only?: (w: Record<string, string>) => boolean; why?: string }[] = [
  {
    name: 'DNS queries and HTTP Host headers, with a whitelisted indicator (whitelisting)',
    script: ['tests', 'scripts', 'policy', 'frameworks', 'intel', 'whitelisting.zeek'],
    baseline: 'scripts.policy.frameworks.intel.whitelisting',
    trace: ['traces', 'wikipedia.pcap'],
  },
  {
    name: 'a certificate hash and its subject name (seen/certs, on ssl.v3.pcap)',
    script: ['tests', 'scripts', 'policy', 'frameworks', 'intel', 'seen', 'certs.zeek'],
    baseline: 'scripts.policy.frameworks.intel.seen.certs',
    trace: ['traces', 'tls', 'ssl.v3.pcap'],
    // The test's other trace (tls/ecdsa-cert.pcap) is not in the corpus.
    only: (w) => w['id.resp_h'] === '194.127.84.106',
  },
  {
    name: 'a file name in a multipart HTTP upload (seen/filename-in-http-post)',
    script: ['tests', 'scripts', 'policy', 'frameworks', 'intel', 'seen', 'filename-in-http-post.zeek'],
    baseline: 'scripts.policy.frameworks.intel.seen.filename-in-http-post',
    trace: ['traces', 'http', 'putty-upload.pcap'],
  },
  {
    name: 'a file name read over SMB (seen/smb)',
    script: ['tests', 'scripts', 'policy', 'frameworks', 'intel', 'seen', 'smb.zeek'],
    baseline: 'scripts.policy.frameworks.intel.seen.smb',
    trace: ['traces', 'smb', 'smb2readwrite.pcap'],
  },
];

for (const c of CASES) {
  test(`intel.log matches Zeek's: ${c.name}`, { skip }, async () => {
    const intel = intelOf(corpus('zeek', ...c.script));
    const want = readZeekTsv(corpus('zeek', 'baselines', c.baseline, c.baseline.endsWith('certs') ? 'intel-all.log' : 'intel.log')).filter(c.only ?? (() => true));
    assert.ok(want.length > 0);
    const run = await runCaptures([corpus('zeek', ...c.trace)], undefined, { intel });
    try {
      const got = run.log('intel');
      assert.deepEqual(got.map(row).sort(), want.map((w) => row(w)).sort());
      // Zeek's fuid column is set on these lines; wardline's where it has the file: files and
      // certificates (no fuid: wardline does not treat certificates as files).
      for (const g of got) if (String(g['seen.where']).startsWith('SMB::') || String(g['seen.where']).startsWith('Files::')) assert.match(String(g.fuid), /^F/);
    } finally {
      run.cleanup();
    }
  });
}

test('the findings: one threat-intel finding per device and listing, with the matches as evidence', { skip }, async () => {
  const { runPipeline } = await import('../engine/pipeline.js');
  const { INVENTORY } = await import('../inventory/builder.js');
  const { mkdtempSync, rmSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const out = mkdtempSync(join(tmpdir(), 'wardline-intel-'));
  try {
    const intel = intelOf(corpus('zeek', 'tests', 'scripts', 'policy', 'frameworks', 'intel', 'whitelisting.zeek'));
    const r = await runPipeline([corpus('zeek', 'traces', 'wikipedia.pcap')], { outDir: out, intel }, INVENTORY);
    const f = r.report.findings.filter((x) => x.rule === 'threat-intel');
    assert.equal(f.length, 1);
    assert.equal(f[0].severity, 'high');
    assert.equal(f[0].title, 'Threat-intelligence indicator seen: upload.wikimedia.org');
    assert.match(f[0].detail, /listed by source1 \("somehow bad"\)/);
    assert.ok(f[0].evidence.length >= 2 && f[0].evidence.every((e) => e.source === 'intel.seen'));
    const dev = r.report.devices.find((d) => d.id === f[0].device)!;
    assert.ok(dev.ips.includes('141.142.220.118'), 'the client that asked for the name');
    assert.ok(dev.risk.factors.some((x) => x.id === 'threat-intel'));
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});

test('intel files (synthetic): a bad line is refused with its file and line; subnets match the most specific listing; whitelisting wins', () => {
  const bad = (text: string): string => {
    try {
      new IntelSet().addText(text, 'feed.dat');
    } catch (e) {
      assert.ok(e instanceof IntelError);
      return (e as Error).message;
    }
    return 'accepted';
  };
  assert.match(bad('10.0.0.1\tIntel::ADDR\n'), /^feed\.dat line 1: an indicator before the #fields line/);
  assert.match(bad('#fields\tindicator\tindicator_type\tmeta.source\nevil\tIntel::BOGUS\ts\n'), /^feed\.dat line 2: unknown indicator_type Intel::BOGUS/);
  assert.match(bad('#fields\tindicator\tindicator_type\tmeta.source\n999.1.1.1\tIntel::ADDR\ts\n'), /^feed\.dat line 2: not a valid ADDR/);
  assert.match(bad('#fields\tindicator\tindicator_type\tmeta.source\n10.0.0.0/33\tIntel::SUBNET\ts\n'), /^feed\.dat line 2: not a valid SUBNET/);
  const s = new IntelSet();
  s.addText('#fields\tindicator\tindicator_type\tmeta.source\tmeta.whitelist\n10.0.0.0/8\tIntel::SUBNET\twide\t-\n10.1.0.0/16\tIntel::SUBNET\tnarrow\t-\n2001:db8::/32\tIntel::SUBNET\tsix\t-\nEvil.Example.\tIntel::DOMAIN\ta\t-\nevil.example\tIntel::DOMAIN\tb\t-\nok.example\tIntel::DOMAIN\ta\t-\nok.example\tIntel::DOMAIN\tallow\tT\n', 'feed.dat');
  assert.equal(s.lookupSubnet([0, 0, 0xffff, (10 << 24) | (1 << 16) | 5])?.sources[0], 'narrow');
  assert.equal(s.lookupSubnet([0, 0, 0xffff, ((10 << 24) | (2 << 16) | 5) >>> 0])?.sources[0], 'wide');
  assert.equal(s.lookupSubnet([0, 0, 0xffff, ((11 << 24) | 5) >>> 0]), undefined);
  assert.equal(s.lookupSubnet([0x20010db8, 0, 0, 1])?.sources[0], 'six');
  assert.deepEqual(s.lookup('DOMAIN', 'EVIL.example')?.sources, ['a', 'b']);
  assert.equal(s.lookup('DOMAIN', 'ok.example'), undefined);
});

test('monitor: a threat-intel alert per host and listing, with the matches as evidence', { skip }, async () => {
  const { Monitor } = await import('../monitor/monitor.js');
  const pcap = corpus('zeek', 'traces', 'wikipedia.pcap');
  const m = new Monitor({ fileName: () => pcap });
  const intel = intelOf(corpus('zeek', 'tests', 'scripts', 'policy', 'frameworks', 'intel', 'whitelisting.zeek'));
  const run = await runCaptures([pcap], undefined, { onEvent: m.onEvent, onConn: m.onConn, intel });
  run.cleanup();
  const a = m.finish().filter((x) => x.rule === 'threat-intel');
  assert.equal(a.length, 1);
  assert.equal(a[0].device, 'ip:141.142.220.118');
  assert.equal(a[0].severity, 'high');
  assert.equal(a[0].count, 20, 'the 8 DNS queries and 12 Host headers of intel.log');
  assert.match(a[0].why, /matched DOMAIN upload\.wikimedia\.org listed by source1/);
});

test('seen locations no Zeek intel test covers (SSH host key, file hash, TLS server name, subnet on a connection), on real captures', { skip }, async () => {
  const feed = [
    '#fields\tindicator\tindicator_type\tmeta.source',
    // Zeek's ssh fingerprints test prints this server host key for ssh1-ssh2-fingerprints.pcap.
    'c7:eb:77:5d:d1:64:31:d6:1b:e8:99:5f:a7:09:a1:d7\tIntel::PUBKEY_HASH\tkeys',
    // post.pcap's request body (Zeek's file-analysis baseline gives its MD5).
    '5eb63bbbe01eeed093cb22bb8f5acdc3\tIntel::FILE_HASH\thashes',
    '192.150.187.0/24\tIntel::SUBNET\tnets',
    '',
  ].join('\n');
  const intel = new IntelSet();
  intel.addText(feed, 'feed.dat');
  const run = await runCaptures([corpus('zeek', 'traces', 'ssh', 'ssh1-ssh2-fingerprints.pcap'), corpus('zeek', 'traces', 'http', 'post.pcap'), corpus('zeek', 'traces', 'tls', 'ssl.v3.pcap')], undefined, { intel });
  try {
    const got = run.log('intel');
    const where = new Set(got.map((g) => `${String(g['seen.where'])} ${String(g.sources)}`));
    assert.ok(where.has('SSH::IN_SERVER_HOST_KEY keys'), [...where].join('; '));
    assert.ok(where.has('Files::IN_HASH hashes'), [...where].join('; '));
    assert.ok(where.has('Conn::IN_ORIG nets'), [...where].join('; '));
  } finally {
    run.cleanup();
  }
});
