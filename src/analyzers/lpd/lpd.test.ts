// LPD (RFC 1179) on a generated capture of LPRng 3.8.B at both ends
// (test/fixtures/generated/lpd/generate.sh), which no corpus capture has: two print jobs, the
// short and long queue state, a removal. Expectations are the streams as tshark 4.0 follows
// them (`tshark -qz follow,tcp,ascii,N`: the control files' lines, the file counts, the
// server's answers); tshark's own LPD dissector names only the command codes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT, runCaptures } from '../../testutil/corpus.js';
import { feedAnalyzer, flowBytes } from '../../testutil/flowbytes.js';
import { deviceWithIp, runInventory } from '../../inventory/testutil.js';
import { fuzzParser } from '../../testutil/fuzz.js';
import { PROBE_MAYBE, PROBE_NO, PROBE_YES } from '../types.js';
import { LpdAnalyzer } from './analyzer.js';
import { parseControlFile, parseDaemonCommand, parseFileCommand } from './parse.js';
import { probe } from './probe.js';

const GENERATED = join(REPO_ROOT, 'test', 'fixtures', 'generated', 'generated-lpd.pcap');

test('lpd.log: each job as its control file states it, and the status and remove commands', async () => {
  const run = await runCaptures([GENERATED]);
  try {
    assert.deepEqual(run.log('conn').map((c) => c.service), ['lpd', 'lpd', 'lpd', 'lpd', 'lpd']);
    const log = run.log('lpd');
    assert.deepEqual(
      log.map((l) => [l.command, l.queue, l.control_file, l.host, l.user, l.class, l.mail_to, l.named, l.formats, l.data_files, l.data_bytes, l.accepted]),
      [
        // stream 0: "\x02ward3", "\x02246 cfA597ward3-ws.hospital.example", the control file's
        // H, P, J, C, L, M, T … N and f lines, then "\x03171 dfA597…": 171 bytes; every answer 0.
        ['receive_job', 'ward3', 'cfA597ward3-ws.hospital.example', 'ward3-ws.hospital.example', 'root', 'A', 'nurse3@hospital.example', true, ['text'], 1, 171, true],
        // stream 1: the label, printed literally (an "l" line), 31 bytes.
        ['receive_job', 'ward3', 'cfA606ward3-ws.hospital.example', 'ward3-ws.hospital.example', 'root', 'A', undefined, true, ['literal'], 1, 31, true],
        ['queue_state_short', 'ward3', undefined, undefined, undefined, undefined, undefined, undefined, undefined, undefined, undefined, undefined],
        ['queue_state_long', 'ward3', undefined, undefined, undefined, undefined, undefined, undefined, undefined, undefined, undefined, undefined],
        ['remove_jobs', 'ward3', undefined, undefined, undefined, undefined, undefined, undefined, undefined, undefined, undefined, undefined],
      ],
    );
    // The server's answers: 23 bytes "ward3@localhost 2 jobs", 341 bytes from "Printer: ward3@localhost", 161 to the removal.
    assert.deepEqual(log.slice(2).map((l) => [l.reply, l.reply_bytes]), [['ward3@localhost 2 jobs', 23], ['Printer: ward3@localhost', 341], ['Printer ward3@localhost:', 161]]);
    assert.deepEqual(log[4].operands, ['root', 'all']);
    assert.equal(run.log('weird').length, 0);
    // The document's text (an invented patient's discharge summary) and the job's name, title
    // and file name appear nowhere.
    let all = JSON.stringify(run.result.events);
    for (const f of readdirSync(join(run.outDir, 'logs'))) all += readFileSync(join(run.outDir, 'logs', f), 'utf8');
    for (const s of ['ZZLPDTEST', 'WLPID7770456', 'pneumonia', 'Discharge summary', 'Ward 3 discharge', 'summary.txt', 'label.txt']) assert.ok(!all.includes(s), s);
  } finally {
    run.cleanup();
  }
});

test('the print server is a printer with a clear-text LPD service; the workstation is named by its jobs', async () => {
  const { devices } = await runInventory([GENERATED]);
  const ws = deviceWithIp(devices, '10.95.0.30')!;
  assert.ok(ws.hostnames.includes('ward3-ws.hospital.example'), JSON.stringify(ws.hostnames));
  assert.equal(deviceWithIp(devices, '10.95.0.9')!.category, 'printer');
});

test('probe(): a daemon command line; a yes on port 515, a maybe elsewhere', () => {
  const recv = new TextEncoder().encode('\x02ward3\n');
  assert.equal(probe(recv, 0, recv.length, true, 6, 515), PROBE_YES);
  assert.equal(probe(recv, 0, recv.length, true, 6, 4000), PROBE_MAYBE);
  assert.equal(probe(recv, 0, recv.length, false, 6, 515), PROBE_NO);
  const noLf = new TextEncoder().encode('\x02ward3');
  assert.equal(probe(noLf, 0, noLf.length, true, 6, 515), PROBE_NO);
  const control = new TextEncoder().encode('\x02wa\x01rd\n');
  assert.equal(probe(control, 0, control.length, true, 6, 515), PROBE_NO);
  const http = new TextEncoder().encode('GET / HTTP/1.1\r\n');
  assert.equal(probe(http, 0, http.length, true, 6, 515), PROBE_NO);
});

test('the analyzer survives a data file of unknown length, truncation and mutation', async () => {
  const flows = await flowBytes(GENERATED);
  const job = flows[0];
  // Zero count: the data runs to the end of the connection (some clients send that).
  const a = new LpdAnalyzer();
  const out = feedAnalyzer(a, [
    { isOrig: true, bytes: new TextEncoder().encode('\x02q\n\x030 dfA1h\n') },
    { isOrig: false, bytes: new Uint8Array([0, 0]) },
    { isOrig: true, bytes: new Uint8Array(5000) },
  ]);
  const r = out.events.find((e) => e.type === 'lpd.request')!;
  assert.deepEqual([r.data_files, r.data_bytes, r.accepted], [1, 5000, true]);
  const seeds = job.chunks.filter((c) => c.isOrig).map((c) => c.bytes);
  fuzzParser(seeds, (b) => {
    parseDaemonCommand(b, 0, b.length);
    parseFileCommand(b, 0, b.length);
    parseControlFile(b, 0, b.length);
    feedAnalyzer(new LpdAnalyzer(), [{ isOrig: true, bytes: b }]);
  });
});
