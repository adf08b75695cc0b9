// textReportCard() on a report over real corpus inputs with synthetic devices/findings
// (fixture.testutil.ts): the figures, the riskiest devices, the fix-first order, and that names
// from the network cannot inject terminal control sequences.
import { haveCorpus } from '../testutil/corpus.js';
import { strict as assert } from 'node:assert';
import { before, describe, test } from 'node:test';
import { textReportCard } from './card.js';
import { corpusReport, HOSTILE_HOSTNAME } from './fixture.testutil.js';
import type { ReportView } from './view.js';

describe('textReportCard()', { skip: !haveCorpus() && 'shared corpus not present' }, () => {
  let rep: ReportView;
  let text: string;
  before(async () => {
    rep = await corpusReport();
    text = textReportCard(rep);
  });

  test('states the report card figures', () => {
    assert.match(text, /^Report card: 6 devices, 3 medical, as of 2025-01-01$/m);
    assert.match(text, /Devices on an end-of-life OS\s+16\.7%$/m);
    assert.match(text, /Imaging devices on an end-of-life OS\s+100%$/m);
    assert.match(text, /Traffic unencrypted \(bytes \/ flows\)\s+62\.5% \/ 66\.7%$/m);
    assert.match(text, /Devices with default credentials\s+1$/m);
  });

  test('lists the riskiest devices and what to fix first, in order', () => {
    const lines = text.split('\n');
    const top = lines.indexOf('Top risks');
    assert.ok(lines[top + 1].startsWith(`  1. CRITICAL 92  ${HOSTILE_HOSTNAME} (Infusion pump`));
    assert.ok(lines[top + 2].startsWith('  2. HIGH 81  CT-SCANNER-01 (Imaging, Siemens Healthineers, SOMATOM, Windows 7 SP1)'));
    const fix = lines.indexOf('Fix first');
    assert.equal(lines[fix + 1], '  1. CRITICAL RDP remote code execution (BlueKeep) on CT-SCANNER-01 [CVE-2019-0708]');
    assert.equal(lines[fix + 2], '     fix: Install the May 2019 update or disable RDP; block tcp/3389 from other segments.');
    assert.ok(lines[fix + 3].startsWith('  2. CRITICAL Vendor default password accepted on'));
  });

  test('keeps network names from writing control sequences to the terminal', () => {
    const evil: ReportView = {
      ...rep,
      devices: rep.devices.map((d) => (d.risk.level === 'critical' ? { ...d, hostnames: ['\u001b[2J\u001b]0;pwned\u0007host\nINJECTED'] } : d)),
    };
    const t = textReportCard(evil);
    assert.ok(!/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/.test(t), 'no control characters');
    assert.ok(!t.split('\n').some((l) => l.startsWith('INJECTED')), 'no forged line');
  });

  test('names a device once when it holds the same finding twice (an alert against two peers)', () => {
    const f = rep.findings.find((x) => x.title.startsWith('RDP remote code execution'))!;
    const twice: ReportView = { ...rep, findings: [...rep.findings, { ...f, id: `${f.id}-again` }] };
    const line = textReportCard(twice).split('\n').find((l) => l.includes('RDP remote code execution'))!;
    assert.equal(line, '  1. CRITICAL RDP remote code execution (BlueKeep) on CT-SCANNER-01 [CVE-2019-0708]');
  });

  test('says n/a for missing metrics and handles an empty report', () => {
    const t = textReportCard({ ...rep, devices: [], findings: [], metrics: {} });
    assert.match(t, /Devices on an end-of-life OS\s+n\/a$/m);
    assert.match(t, /^Fix first: nothing above informational severity was found$/m);
  });
});
