// iSCSI analyzer tests. No corpus capture holds iSCSI, so the capture is generated from real
// implementations (test/fixtures/generated/iscsi/generate.sh: Debian's tgt target and libiscsi's
// initiators): discovery, CHAP and unauthenticated logins, INQUIRY, the serial number page, READ
// CAPACITY, READ(10) and WRITE(10), six refused CHAP logins. Expectations: tshark 4.0's iSCSI and
// SCSI dissectors (iscsi/tshark.tsv, its command in generate.sh) and the tools' own output
// (iscsi-*.out), not wardline's. A second capture (iscsi-digest/generate.sh) negotiates a CRC32C
// header digest.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT, runCaptures } from '../../testutil/corpus.js';
import { feedAnalyzer, flowBytes, recut } from '../../testutil/flowbytes.js';
import { fuzzParser, rng } from '../../testutil/fuzz.js';
import { PROBE_CERTAIN, PROBE_MAYBE, PROBE_NO, PROBE_YES } from '../types.js';
import { IscsiAnalyzer } from './analyzer.js';
import { BHS_LEN, parseKeys, validBhs } from './parse.js';
import { probe } from './probe.js';

const DIR = join(REPO_ROOT, 'test', 'fixtures', 'generated');
const PCAP = join(DIR, 'generated-iscsi.pcap');
const DIGEST_PCAP = join(DIR, 'generated-iscsi-digest.pcap');

interface Expected {
  initiator?: string;
  target?: string;
  sessionType?: string;
  chapUser?: string;
  status?: string;
  headerDigest?: string;
  targets: string[];
  reads: number;
  writes: number;
  inquiries: Set<string>;
  serials: Set<string>;
  capacities: Set<number>;
}

const STATUS: Record<string, string> = { '0x0000': 'success', '0x0201': 'authentication failure' };

/** tshark's reading, per connection (the initiator's port). */
function expected(path = join(DIR, 'iscsi', 'tshark.tsv')): Map<number, Expected> {
  const out = new Map<number, Expected>();
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    if (line === '') continue;
    const f = line.split('\t');
    const fromInitiator = f[2] === '3260';
    const port = Number(fromInitiator ? f[1] : f[2]);
    let e = out.get(port);
    if (e === undefined) out.set(port, (e = { targets: [], reads: 0, writes: 0, inquiries: new Set(), serials: new Set(), capacities: new Set() }));
    const keys = f[5] === '' ? [] : f[5].split(',');
    const value = (k: string): string | undefined => keys.find((x) => x.startsWith(`${k}=`))?.slice(k.length + 1);
    if (f[3] === '0x03') {
      e.initiator ??= value('InitiatorName');
      e.target ??= value('TargetName');
      e.sessionType ??= value('SessionType');
      e.chapUser ??= value('CHAP_N');
    } else if (f[3] === '0x23') {
      e.status = STATUS[f[4]] ?? f[4];
      e.headerDigest = value('HeaderDigest') ?? e.headerDigest;
    }
    else if (f[3] === '0x24') {
      for (const k of keys) if (k.startsWith('TargetName=')) e.targets.push(k.slice(11));
    } else if (f[3] === '0x01') {
      // A WRITE's frame holds its Data-Out too: tshark lists the opcode once per PDU.
      const op = f[7].split(',')[0];
      if (op === '0x28') e.reads++;
      if (op === '0x2a') e.writes++;
    } else if (f[3] === '0x25') {
      if (f[8] !== '' && !f[8].includes(',')) e.inquiries.add(`${f[8].trim()} ${f[9].trim()} ${f[10].trim()}`);
      if (f[11] !== '') e.serials.add(f[11].trim());
      if (f[12] !== '' && f[13] !== '') e.capacities.add((Number(f[12]) + 1) * Number(f[13]));
    }
  }
  return out;
}

test("iscsi.log: each connection's login, discovery, LUNs and commands as tshark reads them", async () => {
  const run = await runCaptures([PCAP]);
  try {
    const want = expected();
    const log = run.log('iscsi');
    assert.equal(log.length, want.size);
    assert.equal(want.size, 16);
    for (const r of log) {
      const e = want.get(Number(r['id.orig_p']))!;
      const luns = (r.luns ?? []) as { vendor?: string; product?: string; revision?: string; serial?: string; capacity?: number; device_type?: string }[];
      const ctx = `port ${String(r['id.orig_p'])}`;
      assert.deepEqual(
        [r.initiator_name, r.target_name, r.session_type, r.chap_user, r.login_status, r.logged_in],
        [e.initiator, e.target, e.sessionType, e.chapUser, e.status, e.status === 'success'],
        ctx,
      );
      assert.deepEqual(r.targets ?? [], e.targets, ctx);
      assert.deepEqual([r.reads, r.writes], [e.reads, e.writes], ctx);
      assert.deepEqual(new Set(luns.filter((l) => l.vendor !== undefined).map((l) => `${l.vendor} ${l.product} ${l.revision}`)), e.inquiries, ctx);
      assert.deepEqual(new Set(luns.filter((l) => l.serial !== undefined).map((l) => l.serial)), e.serials, ctx);
      assert.deepEqual(new Set(luns.filter((l) => l.capacity !== undefined).map((l) => l.capacity)), e.capacities, ctx);
    }
    // The tools' own words: iscsi-ls lists two targets, the refused logins say "Authentication failure(513)".
    assert.match(readFileSync(join(DIR, 'iscsi', 'iscsi-targets.out'), 'utf8'), /pacs-archive[\s\S]*scratch|scratch[\s\S]*pacs-archive/);
    assert.equal(log.filter((r) => r.login_status === 'authentication failure').length, readFileSync(join(DIR, 'iscsi', 'iscsi-refused.err'), 'utf8').match(/Authentication failure\(513\)/g)!.length);
    // Without a security stage (discovery straight to the operational stage) nobody authenticated;
    // the scratch target chose None, the archive CHAP.
    const methods = new Set(log.map((r) => `${String(r.session_type)} ${String(r.target_name ?? '-')} ${String(r.auth_method)}`));
    assert.deepEqual([...methods].sort(), ['Discovery - None', 'Normal iqn.2026-11.example.hospital.san:pacs-archive CHAP', 'Normal iqn.2026-11.example.hospital.san:scratch None']);
    assert.ok(run.log('conn').every((c) => c.service === 'iscsi'));
    // CHAP's challenge and response never reach a log.
    const text = JSON.stringify(log);
    assert.ok(!/CHAP_R|CHAP_C|Chap-Secret/.test(text));
  } finally {
    run.cleanup();
  }
});

test('the assessment: cleartext-protocol high on the target that let a session in without authentication; the refused logins are a brute-force alert', async () => {
  const run = await runCaptures([PCAP]);
  run.cleanup();
  const { assessCaptures } = await import('../../assess/testutil.js');
  const a = await assessCaptures([PCAP]);
  try {
    const f = a.result.findings.filter((x) => x.rule === 'cleartext-protocol');
    assert.equal(f.length, 1);
    assert.equal(f[0].severity, 'high');
    assert.match(f[0].detail, /without authentication[\s\S]*target iqn\.2026-11\.example\.hospital\.san:scratch/);
    const d = a.result.devices.find((x) => x.id === f[0].device)!;
    assert.ok(d.ips.includes('10.97.0.10'));
  } finally {
    a.run.cleanup();
  }
  const { Monitor } = await import('../../monitor/monitor.js');
  const m = new Monitor({ fileName: () => PCAP });
  const r2 = await runCaptures([PCAP], undefined, { onEvent: m.onEvent, onConn: m.onConn });
  r2.cleanup();
  const brute = m.finish().filter((x) => x.rule === 'brute-force');
  assert.equal(brute.length, 1);
  assert.match(brute[0].why, /failed 6 iSCSI logins on 10\.97\.0\.10/);
});

test('a capture begun mid-session: the flow is turned the right way round by port 3260 and its commands read from the next PDU', async () => {
  // generated-iscsi-midway.pcap: the same capture from its first SCSI Response on (generate.sh).
  const rows = readFileSync(join(DIR, 'iscsi', 'tshark.tsv'), 'utf8').split('\n').filter((l) => l !== '').map((l) => l.split('\t'));
  const firstResponse = rows.find((r) => r[3] === '0x21')!;
  const cut = Number(firstResponse[0]);
  const port = Number(firstResponse[2]);
  const commands = rows.filter((r) => Number(r[0]) >= cut && Number(r[1]) === port && r[3] === '0x01').length;
  const run = await runCaptures([join(DIR, 'generated-iscsi-midway.pcap')]);
  try {
    const conn = run.log('conn').find((c) => c['id.orig_p'] === port)!;
    assert.deepEqual([conn['id.orig_h'], conn['id.resp_p'], conn.service], ['10.97.0.20', 3260, 'iscsi']);
    const r = run.log('iscsi').find((x) => x['id.orig_p'] === port)!;
    assert.deepEqual([r.logged_in, r.initiator_name, r.commands], [false, undefined, commands]);
    assert.ok(commands > 0);
  } finally {
    run.cleanup();
  }
});

test('probe: a login request naming the initiator is certain, a login response with keys yes, other PDUs a maybe on 3260 only', async () => {
  const flows = await flowBytes(PCAP);
  const first = flows[0];
  const req = first.chunks.find((c) => c.isOrig)!.bytes;
  const resp = first.chunks.find((c) => !c.isOrig)!.bytes;
  assert.equal(probe(req, 0, req.length, true, 6, 3260), PROBE_CERTAIN);
  assert.equal(probe(req, 0, req.length, true, 6, 12345), PROBE_CERTAIN);
  assert.equal(probe(resp, 0, resp.length, false, 6, 12345), PROBE_YES);
  assert.equal(probe(req, 0, req.length, false, 6, 3260), PROBE_NO, 'a login request from the target');
  assert.equal(probe(req, 0, BHS_LEN - 1, true, 6, 3260), PROBE_NO);
  const cmd = flows.flatMap((f) => f.chunks).find((c) => c.isOrig && (c.bytes[0] & 0x3f) === 0x01)!.bytes;
  assert.equal(probe(cmd, 0, cmd.length, true, 6, 3260), PROBE_MAYBE);
  assert.equal(probe(cmd, 0, cmd.length, true, 6, 12345), PROBE_NO);
  assert.ok(validBhs(cmd, 0, true) && !validBhs(cmd, 0, false));
  assert.deepEqual(parseKeys(new TextEncoder().encode('A=1\0B=x=y\0\0noequals\0C='), 0, 22), [['A', '1'], ['B', 'x=y'], ['C', '']]);
});

test('the analyzer reads the same whatever the segment boundaries', async () => {
  const flows = (await flowBytes(PCAP)).filter((f) => f.chunks.length > 8);
  const r = rng(3260);
  for (const f of flows) {
    const whole = feedAnalyzer(new IscsiAnalyzer(), f.chunks, 6).events;
    for (const max of [1, 7, 48, 100]) assert.deepEqual(feedAnalyzer(new IscsiAnalyzer(), recut(f.chunks, r, max), 6).events, whole, `max ${max}`);
  }
});

test('a negotiated CRC32C header digest: four bytes after every BHS once the login is over, read as tshark reads them (tgt and libiscsi with header_digest=crc32c)', async () => {
  // iscsi-digest/generate.sh: the discovery session stays without digest (tgt answers None
  // there), the normal sessions agree on HeaderDigest=CRC32C; tshark follows the negotiation.
  const want = expected(join(DIR, 'iscsi-digest', 'tshark.tsv'));
  const run = await runCaptures([DIGEST_PCAP]);
  try {
    const log = run.log('iscsi');
    assert.equal(log.length, want.size);
    assert.equal(want.size, 6);
    for (const r of log) {
      const e = want.get(Number(r['id.orig_p']))!;
      const ctx = `port ${String(r['id.orig_p'])}`;
      const luns = (r.luns ?? []) as { vendor?: string; product?: string; revision?: string; serial?: string; capacity?: number }[];
      assert.deepEqual([r.initiator_name, r.target_name, r.session_type, r.login_status, r.header_digest], [e.initiator, e.target, e.sessionType, e.status, e.headerDigest], ctx);
      assert.deepEqual(r.targets ?? [], e.targets, ctx);
      assert.deepEqual([r.reads, r.writes], [e.reads, e.writes], ctx);
      assert.deepEqual(new Set(luns.filter((l) => l.vendor !== undefined).map((l) => `${l.vendor} ${l.product} ${l.revision}`)), e.inquiries, ctx);
      assert.deepEqual(new Set(luns.filter((l) => l.serial !== undefined).map((l) => l.serial)), e.serials, ctx);
      assert.deepEqual(new Set(luns.filter((l) => l.capacity !== undefined).map((l) => l.capacity)), e.capacities, ctx);
    }
    assert.deepEqual(log.map((r) => r.header_digest).sort(), ['CRC32C', 'CRC32C', 'CRC32C', 'CRC32C', 'CRC32C', 'None']);
    assert.ok(log.some((r) => Number(r.reads) > 0));
    assert.deepEqual(run.result.weirds, {});
  } finally {
    run.cleanup();
  }
});

test('the parser, the probe and the analyzer survive truncation and mutation of real PDUs', async () => {
  const seeds: Uint8Array[] = [];
  for (const f of await flowBytes(PCAP)) for (const c of f.chunks.slice(0, 4)) seeds.push(c.bytes);
  fuzzParser(seeds.slice(0, 40), (b) => {
    parseKeys(b, 0, b.length);
    probe(b, 0, b.length, true, 6, 3260);
    probe(b, 0, b.length, false, 6, 3260);
    feedAnalyzer(new IscsiAnalyzer(), [{ isOrig: true, bytes: b }, { isOrig: false, bytes: b }], 6);
  }, { mutations: 60 });
});
