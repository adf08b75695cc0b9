// rsync's daemon protocol on nDPI's capture (test/fixtures/ndpi/ndpi-rsync.pcap) and on Debian's
// rsync client and daemon (test/fixtures/generated/generated-rsync.pcap). Expectations: ndpiReader
// 4.2's labels, tshark 4.0's rsync decode (versions, module queries, MOTD, module list) and the
// daemon's own answer lines read from tshark's payloads (tshark leaves them undecoded), with the
// rsync client's output (rsync/rsync-refused.err) for the refused login.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT, runCaptures } from '../../testutil/corpus.js';
import { feedAnalyzer } from '../../testutil/flowbytes.js';
import { ndpiFlows } from '../../testutil/peers.js';
import { fuzzParser } from '../../testutil/fuzz.js';
import { PROBE_CERTAIN, PROBE_MAYBE, PROBE_NO } from '../types.js';
import { RsyncAnalyzer } from './analyzer.js';
import { probe } from './probe.js';
import { assessCaptures } from '../../assess/testutil.js';
import { Monitor } from '../../monitor/monitor.js';

const NDPI = join(REPO_ROOT, 'test', 'fixtures', 'ndpi');
const GEN = join(REPO_ROOT, 'test', 'fixtures', 'generated');
const NDPI_PCAP = join(NDPI, 'ndpi-rsync.pcap');
const GEN_PCAP = join(GEN, 'generated-rsync.pcap');

interface Row {
  frame: number;
  stream: number;
  port: number;
  version: string;
  query: string;
  motd: string;
  modules: string[];
  /** Payload text when it starts with '@' (the daemon's answers, the greetings). */
  at: string;
  /** A client's "<user> <response>" answer to AUTHREQD (tshark's rsync.command). */
  command: string;
}

function rows(path: string): Row[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => {
      const f = l.split('\t');
      const un = (s: string | undefined) => (s ?? '').replace(/\\n/g, '\n').replace(/\\t/g, '\t');
      return {
        frame: Number(f[0]),
        stream: Number(f[1]),
        port: Number(f[2]),
        version: un(f[3]).trim(),
        query: un(f[4]).trim(),
        motd: un(f[5]).trim(),
        modules: f[6] === '' || f[6] === undefined ? [] : un(f[6]).split('|').map((x) => x.split('\t')[0].trim()),
        at: f[7] ? Buffer.from(f[7], 'hex').toString('latin1') : '',
        command: un(f[8]).trim(),
      };
    });
}

test("nDPI's rsync session: conn.log rsync; versions and module as tshark decodes them; the daemon's OK; a download", async () => {
  const ndpi = ndpiFlows(join(NDPI, 'ndpi-rsync.pcap.out'));
  assert.equal(ndpi.length, 3);
  const r = rows(join(NDPI, 'ndpi-rsync.tshark.tsv'));
  const run = await runCaptures([NDPI_PCAP]);
  try {
    // The session nDPI recognised by inspection; the two unanswered SYNs (by port to nDPI) carry no bytes.
    const session = ndpi.find((f) => f.line.includes('Confidence: DPI]'))!;
    const c = run.conns.find((x) => x.oPort === session.aPort && x.rPort === session.bPort)!;
    assert.equal(c.service, 'rsync');
    const log = run.log('rsync');
    assert.equal(log.length, 1);
    const l = log[0];
    const client = r.find((x) => x.port === session.aPort && x.version !== '')!;
    const server = r.find((x) => x.port === 873 && x.version !== '')!;
    assert.deepEqual(
      [l.client_version, l.server_version, l.module, l.listing, l.auth_required],
      [client.version, server.version, r.find((x) => x.query !== '')!.query, false, false],
    );
    assert.ok(r.some((x) => x.port === 873 && x.at.startsWith('@RSYNCD: OK')));
    assert.deepEqual([l.result, l.direction, l.paths], ['ok', 'download', ['flag/']]);
  } finally {
    run.cleanup();
  }
});

test("Debian's rsync: the list, an anonymous download, a refused login and an upload, as tshark and the client show them", async () => {
  const r = rows(join(GEN, 'rsync', 'tshark.tsv'));
  const run = await runCaptures([GEN_PCAP]);
  try {
    const log = run.log('rsync');
    assert.equal(log.length, 12);
    assert.ok(run.conns.filter((c) => c.rPort === 873).every((c) => c.service === 'rsync'));
    const byStream = (s: number) => log.find((l) => l['id.orig_p'] === r.find((x) => x.stream === s && x.port !== 873)!.port)!;
    const motd = r.find((x) => x.motd !== '')!.motd;
    for (const l of log) {
      assert.deepEqual([l.server_version, l.client_version, l.checksums, l.motd], ['32.0', '32.0', ['sha512', 'sha256', 'sha1', 'md5', 'md4'], motd]);
    }
    // (0) The list: the modules tshark decodes; the daemon's EXIT.
    const list = byStream(0);
    assert.deepEqual([list.listing, list.modules, list.result], [true, r.filter((x) => x.stream === 0).flatMap((x) => x.modules), 'listed']);
    assert.deepEqual(list.modules, ['pacs-export', 'archive']);
    // (1) Anonymous download.
    const dl = byStream(1);
    assert.deepEqual([dl.module, dl.auth_required, dl.user, dl.result, dl.direction, dl.paths], [r.find((x) => x.stream === 1 && x.query !== '')!.query, false, undefined, 'ok', 'download', ['pacs-export/']]);
    // (2) Refused: the daemon's @ERROR as the client printed it; the response hash never logged.
    const refused = readFileSync(join(GEN, 'rsync', 'rsync-refused.err'), 'utf8').split('\n')[0];
    const bad = byStream(2);
    assert.deepEqual([bad.module, bad.auth_required, bad.user, bad.result, `@ERROR: ${String(bad.error)}`], ['archive', true, 'backup', 'auth-failed', refused]);
    assert.ok(r.some((x) => x.stream === 2 && x.at.startsWith('@RSYNCD: AUTHREQD ')));
    // tshark's rsync.command: "backup <response>", the user and the response hash (never logged).
    const responses = r.filter((x) => x.command !== '').map((x) => x.command.split(' ')[1]);
    assert.equal(responses.length, 10);
    for (const h of responses) assert.ok(!JSON.stringify(log).includes(h.slice(0, 16)));
    // (3) Upload with the right password: no --sender.
    const up = byStream(3);
    assert.deepEqual([up.module, up.user, up.result, up.direction], ['archive', 'backup', 'ok', 'upload']);
    // (4-11) The guesser: eight refusals.
    assert.equal(log.filter((l) => l.result === 'auth-failed').length, 9);
  } finally {
    run.cleanup();
  }
});

test('the daemon gets a clear-text rsync finding, high for the module it served without a password; role rsync-server', async () => {
  const a = await assessCaptures([GEN_PCAP]);
  try {
    const f = a.result.findings.filter((x) => x.rule === 'cleartext-protocol' && x.device.includes('10.96.0.50'));
    assert.equal(f.length, 1);
    assert.equal(f[0].title, 'Clear-text rsync daemon served on port 873');
    assert.equal(f[0].severity, 'high');
    assert.match(f[0].detail, /module "pacs-export", read without a password/);
    assert.ok(!a.result.findings.some((x) => x.device.includes('10.96.0.31') && x.rule === 'cleartext-protocol'));
  } finally {
    a.run.cleanup();
  }
});

test('monitor: the nine refused rsync logins are one brute-force alert on the guessing client, the daemon its peer', async () => {
  const m = new Monitor({ fileName: () => GEN_PCAP });
  const run = await runCaptures([GEN_PCAP], undefined, { onEvent: m.onEvent, onConn: m.onConn });
  run.cleanup();
  const got = m.finish().filter((a) => a.rule === 'brute-force');
  assert.equal(got.length, 1);
  assert.deepEqual([got[0].device, got[0].peer], ['ip:10.96.0.31', '10.96.0.50']);
  assert.match(got[0].why, /rsync/);
  // The first refusal: stream 2's session (its greeting is the evidence packet).
  const r = rows(join(GEN, 'rsync', 'tshark.tsv'));
  assert.equal(got[0].evidence[0].packet, r.find((x) => x.stream === 2 && x.version !== '')!.frame);
});

test('probe: the greeting from either side, nothing else', () => {
  const g = Buffer.from('@RSYNCD: 31.0 md5 md4\n');
  assert.equal(probe(g, 0, g.length), PROBE_CERTAIN);
  assert.equal(probe(g, 0, 4), PROBE_MAYBE);
  for (const s of ['@RSYNCD: x', 'GET / HTTP/1.1', '@ERROR: x']) assert.equal(probe(Buffer.from(s), 0, s.length), PROBE_NO, s);
  // Not rsync after all: released, nothing logged.
  const out = feedAnalyzer(new RsyncAnalyzer(), [{ isOrig: true, bytes: Buffer.from('@RSYNCD: nope\n') }]);
  assert.deepEqual([out.services, out.events.length], [[], 0]);
});

test('protocol 29 (synthetic: newline-terminated arguments) and lines split anywhere', () => {
  const client = Buffer.from('@RSYNCD: 29\nbackups\n--server\n-vlogDtpr\n.\nbackups/2026/\n\n\x00\x00\x00\x00');
  const server = Buffer.from('@RSYNCD: 29\n@RSYNCD: OK\n');
  for (const cut of [1, 5, 12, 20, 33, client.length - 3]) {
    const out = feedAnalyzer(new RsyncAnalyzer(), [
      { isOrig: true, bytes: client.subarray(0, 12) },
      { isOrig: false, bytes: server.subarray(0, Math.min(cut, server.length)) },
      { isOrig: false, bytes: server.subarray(Math.min(cut, server.length)) },
      { isOrig: true, bytes: client.subarray(12, Math.max(12, cut)) },
      { isOrig: true, bytes: client.subarray(Math.max(12, cut)) },
    ]);
    const s = out.events.find((e) => e.type === 'rsync.session')!;
    assert.deepEqual([s.client_version, s.module, s.result, s.direction, s.paths], ['29', 'backups', 'ok', 'upload', ['backups/2026/']], `cut ${cut}`);
  }
});

test('the analyzer survives truncation and mutation of real exchanges', () => {
  const r = rows(join(GEN, 'rsync', 'tshark.tsv'));
  const seeds = [
    Buffer.from('@RSYNCD: 32.0 sha512 sha256 sha1 md5 md4\n'),
    Buffer.from(r.find((x) => x.at.startsWith('@RSYNCD: AUTHREQD'))!.at, 'latin1'),
    Buffer.from('pacs-export    \tPACS export (read-only)\narchive        \tNightly archive\n@RSYNCD: EXIT\n'),
    Buffer.from('\x00--sender\x00-logDtpre.iLsfxCIvu\x00.\x00pacs-export/\x00\x00', 'latin1'),
  ];
  fuzzParser(seeds, (b) => {
    probe(b, 0, b.length);
    feedAnalyzer(new RsyncAnalyzer(), [
      { isOrig: true, bytes: seeds[0] },
      { isOrig: false, bytes: seeds[0] },
      { isOrig: true, bytes: Buffer.from('archive\n') },
      { isOrig: false, bytes: b },
      { isOrig: true, bytes: b },
    ]);
  });
});
