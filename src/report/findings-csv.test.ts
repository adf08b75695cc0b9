// findingsCsv() through the CLI on the generated PACS capture (test/fixtures/generated/exposure):
// one row per report.json finding, every field read back by an RFC 4180 parser equal to the
// report's; and the formula guard on a synthetic finding.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from '../testutil/corpus.js';
import { findingsCsv, FINDINGS_CSV_COLUMNS } from './findings-csv.js';
import type { Finding } from './model.js';

/** RFC 4180 records (CRLF line ends, quoted fields with doubled quotes). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let f = '';
  let q = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (q) {
      if (ch === '"' && text[i + 1] === '"') (f += '"'), i++;
      else if (ch === '"') q = false;
      else f += ch;
    } else if (ch === '"') q = true;
    else if (ch === ',') row.push(f), (f = '');
    else if (ch === '\r' && text[i + 1] === '\n') {
      row.push(f);
      rows.push(row);
      (row = []), (f = ''), i++;
    } else f += ch;
  }
  return rows;
}

test('analyze --findings-csv: one row per finding, with its device and first evidence (generated PACS capture)', () => {
  const out = mkdtempSync(join(tmpdir(), 'wardline-fcsv-'));
  try {
    const pcap = join(REPO_ROOT, 'test', 'fixtures', 'generated', 'generated-internet-exposure.pcap');
    const r = spawnSync(process.execPath, [join(REPO_ROOT, 'dist', 'wardline.mjs'), 'analyze', pcap, '--out', join(out, 'o'), '--no-progress', '--findings-csv', join(out, 'f.csv')], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const report = JSON.parse(readFileSync(join(out, 'o', 'report.json'), 'utf8')) as { findings: Finding[]; devices: { id: string; category: string; ips: string[] }[] };
    const [head, ...rows] = parseCsv(readFileSync(join(out, 'f.csv'), 'utf8'));
    assert.deepEqual(head, [...FINDINGS_CSV_COLUMNS]);
    assert.equal(rows.length, report.findings.length);
    report.findings.forEach((f, i) => {
      const row = Object.fromEntries(head.map((h, k) => [h, rows[i][k]]));
      assert.deepEqual([row.finding, row.rule, row.severity, row.device, row.title, row.detail, row.remediation, row.cves], [f.id, f.rule, f.severity, f.device, f.title, f.detail, f.remediation, f.cves.join('; ')]);
      const d = report.devices.find((x) => x.id === f.device)!;
      assert.deepEqual([row.category, row.ips], [d.category, d.ips.join('; ')]);
      assert.equal(row.evidence_count, String(f.evidence.length));
      assert.ok(row.evidence.startsWith(f.evidence[0].file), row.evidence);
    });
    const dicom = rows.find((x) => x[8] === 'Reachable from the Internet: DICOM on tcp/104')!;
    assert.match(dicom[12], /generated-internet-exposure\.pcap packet 13 at \d{4}-\d\d-\d\dT[\d:.]+Z: conn inbound-connection=185\.220\.101\.7 → 10\.98\.0\.10 tcp\/104 dicom$/);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});

test('findingsCsv(): text from the network that a spreadsheet would run as a formula is defused (synthetic)', () => {
  const f: Finding = { id: 'F1', rule: 'cleartext-protocol', severity: 'medium', device: 'ip:10.0.0.9', title: '=HYPERLINK("http://x")', detail: '+1, "quoted"', evidence: [], remediation: '-', cves: [] };
  const [, row] = parseCsv(findingsCsv([f], []));
  assert.deepEqual(row.slice(8, 11), ['\'=HYPERLINK("http://x")', '\'+1, "quoted"', "'-"]);
  assert.deepEqual([row[4], row[12], row[13]], ['', '', '0']);
});
