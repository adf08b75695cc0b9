// Raw printing (TCP 9100) on a generated capture (test/fixtures/generated/jetdirect/generate.sh),
// since no corpus capture has any: real clients — CUPS 2.4.2's socket backend with HPLIP's
// hpcups (PJL + PCL), CUPS' PostScript and Zebra ZPL drivers, a raw ZPL wristband, Nmap 7.93's
// pjl-ready-message — and hand-written inventory and attacker connections; the printers' answers
// are synthetic (printer.py, as HP's PJL and Zebra's ZPL manuals lay them out). tshark 4.0 has no
// PJL or ZPL dissector: expectations are the streams as `tshark -qz follow,tcp,raw|ascii,N` shows
// them (byte counts, the PJL lines, the PostScript header, the printers' answers).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT, runCaptures } from '../../testutil/corpus.js';
import { feedAnalyzer, flowBytes } from '../../testutil/flowbytes.js';
import { deviceWithIp, runInventory } from '../../inventory/testutil.js';
import { assessCaptures } from '../../assess/testutil.js';
import { fuzzParser } from '../../testutil/fuzz.js';
import { PROBE_MAYBE, PROBE_NO, PROBE_YES } from '../types.js';
import { JetdirectAnalyzer } from './analyzer.js';
import { climbsOut, parsePjl, parseZplIdentity, pjlOption, sniffLanguage } from './parse.js';
import { probe } from './probe.js';
import type { JetdirectSession } from './events.js';

const GENERATED = join(REPO_ROOT, 'test', 'fixtures', 'generated', 'generated-jetdirect.pcap');
const enc = (s: string): Uint8Array => new TextEncoder().encode(s);

test('jetdirect.log: each print job and query as the streams carry them', async () => {
  const run = await runCaptures([GENERATED]);
  try {
    const conns = run.log('conn');
    // Nine connections: eight to port 9100 that carried data, and Nmap's SYN probe (no payload).
    assert.equal(conns.length, 9);
    assert.deepEqual(conns.filter((c) => c.service === 'jetdirect').length, 8);
    const log = run.log('jetdirect');
    assert.equal(log.length, 8);
    const [hpcups, ps, label, wristband, nmap, id, zplId, attack] = log;
    // Stream 0: ESC E, UEL, four @PJL SET lines, "@PJL ENTER LANGUAGE=PCL", then 64,083 bytes of
    // PCL raster to the closing UEL (64,207 bytes in all).
    assert.deepEqual([hpcups['id.resp_h'], hpcups.languages, hpcups.pjl_commands, hpcups.documents, hpcups.document_bytes], ['10.96.0.40', ['pcl'], ['SET', 'ENTER'], 1, 64083]);
    // Stream 1: PostScript (184,691 bytes) whose DSC header says %%Creator: GPL Ghostscript 10000
    // (ps2write), %%For: (nurse.kim), %%Title: (Discharge letter ZZJETTEST): the title is not kept.
    assert.deepEqual([ps.languages, ps.document_bytes, ps.user, ps.creator, ps.named], [['postscript'], 184691, 'nurse.kim', 'GPL Ghostscript 10000 (ps2write)', true]);
    // Stream 2: CUPS' Zebra driver: ~DG graphic download and two ^XA formats (14,807 bytes).
    assert.deepEqual([label['id.resp_h'], label.languages, label.zpl_labels, label.document_bytes, label.zpl_fields], ['10.96.0.41', ['zpl'], 2, 14807, undefined]);
    // Stream 3: the wristband: one ^XA format, four ^FD fields, 192 bytes; the field data (the
    // patient's name, MRN, birth date) is never read.
    assert.deepEqual([wristband.zpl_labels, wristband.zpl_fields, wristband.document_bytes], [1, 4, 192]);
    // Nmap: "@PJL INFO STATUS" (no UEL), RDYMSG DISPLAY = "PWNED BY NMAP", INFO STATUS again;
    // the printer's answers: CODE=10001, DISPLAY="00 READY" then "PWNED BY NMAP", ONLINE=TRUE.
    assert.deepEqual(
      [nmap.pjl_commands, nmap.info_queries, nmap.ready_message, nmap.status_code, nmap.display, nmap.online, nmap.reply_bytes],
      [['INFO', 'RDYMSG'], ['INFO STATUS'], 'PWNED BY NMAP', 10001, 'PWNED BY NMAP', true, 64 + 69],
    );
    // INFO ID answered "HP LaserJet 4250".
    assert.deepEqual([id.info_queries, id.model, id.display, id.reply_bytes], [['INFO ID', 'INFO STATUS'], 'HP LaserJet 4250', '00 READY', 35 + 64]);
    // ~HI answered STX "ZD420-300dpi,V84.20.18Z,12,8176KB" ETX; ~HS with three status frames.
    assert.deepEqual([zplId.zpl_commands, zplId.model, zplId.firmware, zplId.reply_bytes], [['~HI', '~HS'], 'ZD420-300dpi', 'V84.20.18Z', 37 + 82]);
    // The attacker: FSDIRLIST of 0:\ (four entries answered), FSUPLOAD of 0:\..\..\etc\passwd
    // (SIZE=30 answered), JOB PASSWORD=4711, DEFAULT PASSWORD=0.
    assert.deepEqual(
      [attack.fs_commands, attack.fs_paths, attack.fs_traversal, attack.fs_entries, attack.fs_upload_bytes, attack.defaults, attack.password, attack.jobs],
      [['FSDIRLIST', 'FSUPLOAD'], ['0:\\', '0:\\..\\..\\etc\\passwd'], true, 4, 30, ['PASSWORD'], '<redacted>', 1],
    );
    assert.equal(run.log('weird').length, 0);
    // Document text, titles, the wristband's fields, the password and the uploaded file appear nowhere.
    let all = JSON.stringify(run.result.events);
    for (const f of readdirSync(join(run.outDir, 'logs'))) all += readFileSync(join(run.outDir, 'logs', f), 'utf8');
    for (const s of ['ZZJETTEST', 'WLPID7770999', '1975-05-05', 'pneumonia', 'Discharge letter', '4711', 'root:x:0']) assert.ok(!all.includes(s), s);
  } finally {
    run.cleanup();
  }
});

test('the printers: HP by its PJL INFO ID answer, Zebra by its ~HI answer, both with a clear-text raw port', async () => {
  const { devices } = await runInventory([GENERATED]);
  const hp = deviceWithIp(devices, '10.96.0.40')!;
  assert.deepEqual([hp.category, hp.vendor, hp.model], ['printer', 'HP', 'HP LaserJet 4250']);
  assert.ok(hp.evidence.some((e) => e.source === 'jetdirect.pjl_id' && e.value === 'HP LaserJet 4250'));
  const zebra = deviceWithIp(devices, '10.96.0.41')!;
  assert.deepEqual([zebra.category, zebra.vendor, zebra.model], ['printer', 'Zebra', 'ZD420-300dpi']);
  assert.ok(zebra.evidence.some((e) => e.source === 'jetdirect.zpl_firmware' && e.value === 'V84.20.18Z'));
  const a = await assessCaptures([GENERATED]);
  try {
    const rows = a.result.findings.map((f) => [f.rule, f.title]);
    assert.deepEqual(rows.filter((f) => f[0] === 'cleartext-protocol').map((f) => f[1]), ['Clear-text jetdirect served on port 9100', 'Clear-text jetdirect served on port 9100']);
    // The job password crossed in clear; 0 (protection off) is no secret and no credential.
    assert.deepEqual(rows.filter((f) => f[0] === 'cleartext-credentials' || f[0] === 'default-credentials'), [['cleartext-credentials', 'Credentials sent in clear text: PJL on port 9100']]);
    const creds = a.result.findings.find((f) => f.rule === 'cleartext-credentials')!;
    assert.equal(creds.remediation.startsWith('Send print jobs through the print server'), true);
  } finally {
    a.run.cleanup();
  }
});

test('probe(): PJL anywhere; a bare page description language only on the raw ports; never HTTP', () => {
  const pjl = enc('\x1b%-12345X@PJL INFO ID\r\n');
  assert.equal(probe(pjl, 0, pjl.length, true, 6, 9100), PROBE_YES);
  assert.equal(probe(pjl, 0, pjl.length, true, 6, 4444), PROBE_YES);
  const reset = enc('\x1bE\x1b%-12345X');
  assert.equal(probe(reset, 0, reset.length, true, 6, 4444), PROBE_YES);
  const bare = enc('@PJL INFO STATUS\r\n');
  assert.equal(probe(bare, 0, bare.length, true, 6, 4444), PROBE_YES);
  for (const doc of ['%!PS-Adobe-3.0\n', '%PDF-1.7\n', '^XA^FO50,50^FDx^FS^XZ', '~HI\r\n', '\x1bE\x1b&l0O', ') HP-PCL XL;2;0\r\n']) {
    const b = enc(doc);
    assert.equal(probe(b, 0, b.length, true, 6, 9100), PROBE_YES, doc);
    assert.equal(probe(b, 0, b.length, true, 6, 8080), PROBE_NO, doc);
  }
  // Prometheus' node exporter also listens on 9100.
  const metrics = enc('GET /metrics HTTP/1.1\r\n');
  assert.equal(probe(metrics, 0, metrics.length, true, 6, 9100), PROBE_NO);
  const answer = enc('@PJL INFO ID\r\n"HP LaserJet 4250"\r\n\f');
  assert.equal(probe(answer, 0, answer.length, false, 6, 9100), PROBE_YES);
  assert.equal(probe(answer, 0, answer.length, false, 6, 4444), PROBE_MAYBE);
  assert.equal(probe(pjl, 0, pjl.length, true, 17, 9100), PROBE_NO);
});

test('parsers: PJL commands and options, ZPL identity, languages, traversal', () => {
  const l = enc('@PJL  set   USERNAME = "nurse kim"\r');
  assert.deepEqual(parsePjl(l, 0, l.length), { verb: 'SET', rest: 'USERNAME = "nurse kim"' });
  assert.equal(pjlOption('NAME="0:\\x" OFFSET=0 SIZE=12', 'size'), '12');
  assert.equal(pjlOption('FORMAT:BINARY NAME = "a b" SIZE=3', 'NAME'), 'a b');
  assert.equal(pjlOption('NAME="x"', 'SIZE'), undefined);
  assert.deepEqual(parseZplIdentity('ZT410-300dpi,V75.19.15Z,12,8192KB'), { model: 'ZT410-300dpi', firmware: 'V75.19.15Z' });
  // ~HS answers are status numbers, not an identity.
  assert.equal(parseZplIdentity('030,0,0,0812,000,0,0,0,000,0,0,0'), null);
  assert.equal(sniffLanguage(enc('\x04%!PS'), 0, 5), 'postscript');
  assert.equal(sniffLanguage(enc('hello'), 0, 5), undefined);
  assert.ok(climbsOut('0:\\..\\..\\etc\\passwd'));
  assert.ok(climbsOut('../webServer'));
  assert.ok(!climbsOut('0:\\PJL\\..x'));
});

test('the analyzer: ENTER LANGUAGE, UEL split across segments, file downloads passed over, gaps, fuzzing', async () => {
  const a = new JetdirectAnalyzer();
  const out = feedAnalyzer(a, [
    { isOrig: true, bytes: enc('\x1b%-12345X@PJL JOB NAME="MRN 123"\r\n@PJL SET USERNAME="kim"\r\n@PJL ENTER LANGUAGE=POSTSCRIPT\r\n%!PS\n%%Creator: Epic\n%%EndComments\nshowpage\n\x1b%-12') },
    { isOrig: true, bytes: enc('345X@PJL FSDOWNLOAD FORMAT:BINARY SIZE=6 NAME="0:\\f"\r\n@PJL X\n@PJL EOJ\r\n\x1b%-12345X') },
  ]);
  const s = out.events.find((e) => e.type === 'jetdirect.session') as JetdirectSession;
  assert.deepEqual(
    [s.languages, s.jobs, s.named, s.user, s.creator, s.documents, s.fs_commands, s.fs_download_bytes, s.pjl_commands],
    [['postscript'], 1, true, 'kim', 'Epic', 1, ['FSDOWNLOAD'], 6, ['JOB', 'SET', 'ENTER', 'FSDOWNLOAD', 'EOJ']],
  );
  // The six downloaded bytes ("@PJL X") were file content, not a command.
  assert.ok(!s.pjl_commands.includes('X'));
  const flows = await flowBytes(GENERATED);
  const seeds = flows.flatMap((f) => f.chunks.slice(0, 4).map((c) => c.bytes.subarray(0, 2048)));
  fuzzParser(seeds, (b) => {
    parsePjl(b, 0, b.length);
    sniffLanguage(b, 0, b.length);
    const x = new JetdirectAnalyzer();
    feedAnalyzer(x, [
      { isOrig: true, bytes: b },
      { isOrig: false, bytes: b },
      { isOrig: true, bytes: b.subarray(0, b.length >> 1) },
    ]);
  });
});
