// IPP tests on a capture made from real implementations (CUPS 2.4 ippeveprinter answering
// ipptool; commands and the tools' own output in test/fixtures/generated/README.md): the
// printer's identity reaches ipp.log and the inventory, the job name that names a patient
// record reaches no output; parser bounds, truncation and mutation.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT, filesUnder, runCaptures } from '../../testutil/corpus.js';
import { recordStreams } from '../../testutil/recorded.js';
import { fuzzParser } from '../../testutil/fuzz.js';
import { deviceWithIp, runInventory } from '../../inventory/testutil.js';
import { deviceIdField, operationName, parseIpp, statusName } from './parse.js';

const PCAP = join(REPO_ROOT, 'test', 'fixtures', 'generated', 'generated-ipp-label-printer.pcap');

test('ipp.log: Get-Printer-Attributes answered with the identity ippeveprinter was started with, and a Print-Job by its user', async () => {
  const run = await runCaptures([PCAP]);
  try {
    const lines = run.log('ipp');
    assert.equal(lines.length, 2);
    const [attrs, job] = lines;
    // ippeveprinter -M "Zebra Technologies" -m "ZD621" -l "Ward 4B nurses station" "Ward4B-Labels"
    assert.equal(attrs.operation, 'Get-Printer-Attributes');
    assert.equal(attrs.status, 'successful-ok');
    assert.equal(attrs.printer_make_and_model, 'Zebra Technologies ZD621');
    assert.equal(attrs.printer_device_id, 'MFG:Zebra Technologies;MDL:ZD621;CMD:PDF,PWG;');
    assert.equal(attrs.printer_location, 'Ward 4B nurses station');
    assert.equal(attrs.printer_info, 'Ward4B-Labels');
    assert.equal(attrs.version, '2.0');
    // ipp-print-label.test: requesting-user-name nurse.kim, document-format text/plain; ipptool: [PASS]
    assert.equal(job.operation, 'Print-Job');
    assert.equal(job.status, 'successful-ok');
    assert.equal(job.requesting_user_name, 'nurse.kim');
    assert.equal(job.document_format, 'text/plain');
    assert.equal(job.version, '1.1');
    for (const c of run.conns) assert.deepEqual(c.service.split(',').sort(), ['http', 'ipp']);
  } finally {
    run.cleanup();
  }
});

test('the job name (here a medical record number) never reaches any output: logs, reports, CEF, OCSF, CSV', () => {
  const out = mkdtempSync(join(tmpdir(), 'wardline-ipp-'));
  try {
    const r = spawnSync(process.execPath, [join(REPO_ROOT, 'dist', 'wardline.mjs'), 'analyze', PCAP, '--out', join(out, 'o'), '--no-progress', '--cef', join(out, 'f.cef'), '--ocsf', join(out, 'f.ocsf'), '--inventory-csv', join(out, 'i.csv')], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const files = filesUnder(out);
    assert.ok(files.some((f) => f.endsWith('ipp.log')) && files.some((f) => f.endsWith('report.html')));
    for (const f of files) {
      const text = readFileSync(f, 'latin1');
      assert.ok(!text.includes('00412345') && !text.includes('Specimen label'), f);
    }
    assert.ok(!r.stdout.includes('00412345'));
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});

test('the inventory makes the IPP answerer a printer with the vendor and model of its device id, citing the packet', async () => {
  const { devices } = await runInventory([PCAP]);
  const d = deviceWithIp(devices, '127.0.0.1')!;
  assert.equal(d.category, 'printer');
  assert.equal(d.vendor, 'Zebra Technologies');
  assert.equal(d.model, 'ZD621');
  const ev = d.evidence.find((e) => e.source === 'ipp.device_id_mfg');
  assert.ok(ev !== undefined && ev.packet > 0);
});

/** The IPP bodies of the capture's HTTP messages (Content-Length or chunked). */
async function bodies(): Promise<Uint8Array[]> {
  const out: Uint8Array[] = [];
  for (const s of await recordStreams(PCAP)) {
    for (const dir of [s.orig, s.resp]) {
      const text = Buffer.from(dir).toString('latin1');
      let at = 0;
      for (;;) {
        const h = text.indexOf('\r\n\r\n', at);
        if (h < 0) break;
        const head = text.slice(at, h);
        let body = h + 4;
        if (/content-type: application\/ipp/i.test(head)) {
          const cl = /content-length: (\d+)/i.exec(head);
          if (cl !== null) out.push(dir.subarray(body, body + Number(cl[1])));
          else if (/transfer-encoding: chunked/i.test(head)) {
            const nl = text.indexOf('\r\n', body);
            const n = parseInt(text.slice(body, nl), 16);
            out.push(dir.subarray(nl + 2, nl + 2 + n));
          }
        }
        at = body;
      }
    }
  }
  return out;
}

test('parseIpp() reads the captured messages, keeps no job name, and survives truncation and mutation', async () => {
  const bs = await bodies();
  assert.equal(bs.length, 4);
  const parsed = bs.map((b) => parseIpp(b, 0, b.length)!);
  assert.deepEqual(parsed.map((m) => m.code), [0x000b, 0x0000, 0x0002, 0x0000]);
  assert.ok(parsed.every((m) => m.complete));
  assert.ok(parsed.every((m) => !m.attrs.has('job-name')));
  // Cut short: what was read is kept, and the message says it is incomplete.
  const big = bs[1];
  const cut = parseIpp(big, 0, 600)!;
  assert.equal(cut.complete, false);
  fuzzParser(bs, (b) => {
    parseIpp(b, 0, b.length);
  });
});

test('parseIpp() refuses bodies that are no IPP; names and device ids are read as the specs spell them', () => {
  // Synthetic: a JSON body and a wrong version, which no capture of IPP holds.
  const json = new TextEncoder().encode('{"a":1}\n');
  assert.equal(parseIpp(json, 0, json.length), null);
  assert.equal(parseIpp(Uint8Array.from([9, 9, 0, 0x0b, 0, 0, 0, 1, 1, 3]), 0, 10), null);
  assert.equal(operationName(0x000b), 'Get-Printer-Attributes');
  assert.equal(operationName(0x4002), 'CUPS-Get-Printers');
  assert.equal(operationName(0x7777), '0x7777');
  assert.equal(statusName(0x0507), 'server-error-busy');
  assert.equal(deviceIdField('MANUFACTURER:HP;MODEL:LaserJet M507;', 'MFG', 'MANUFACTURER'), 'HP');
  assert.equal(deviceIdField('MFG:;MDL:X;', 'MFG'), undefined);
});
