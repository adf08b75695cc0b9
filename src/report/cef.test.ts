// toCef() against the CEF escaping rules (ArcSight "Implementing ArcSight CEF", Character
// Encoding): prefix `\|` and `\\`, no newlines in the prefix; extension `\=`, `\\`, `\n`, `\r`,
// pipes unescaped. The parser below follows those rules independently of the writer.
// Report: real corpus inputs with synthetic devices/findings (fixture.testutil.ts).
import { haveCorpus } from '../testutil/corpus.js';
import { strict as assert } from 'node:assert';
import { before, describe, test } from 'node:test';
import { cefExtEscape, cefHeaderEscape, toCef, CEF_SEVERITY } from './cef.js';
import { corpusReport, HOSTILE_HOSTNAME, HOSTILE_TITLE } from './fixture.testutil.js';
import type { ReportView } from './view.js';

interface Parsed {
  header: string[];
  ext: Map<string, string>;
}

/** Splits a CEF record per the spec: 7 prefix fields on unescaped pipes, then key=value pairs. */
function parseCef(line: string): Parsed {
  const header: string[] = [];
  let cur = '';
  let i = 0;
  while (header.length < 7) {
    assert.ok(i < line.length, 'prefix has 7 fields');
    const ch = line[i];
    if (ch === '\\') {
      const nx = line[i + 1];
      assert.ok(nx === '\\' || nx === '|', `only \\\\ and \\| are escapes in the prefix, got \\${nx}`);
      cur += nx;
      i += 2;
    } else if (ch === '|') {
      header.push(cur);
      cur = '';
      i++;
    } else {
      assert.ok(ch !== '\n' && ch !== '\r', 'no newline in the prefix');
      cur += ch;
      i++;
    }
  }
  const rest = line.slice(i);
  // Keys start at the beginning or after a space and end at an unescaped '='.
  const keyAt = /(?:^| )([A-Za-z0-9_]+)=/g;
  const starts: { key: string; at: number; valueAt: number }[] = [];
  for (let m = keyAt.exec(rest); m; m = keyAt.exec(rest)) {
    const eq = m.index + m[0].length - 1;
    let bs = 0;
    for (let j = eq - 1; j >= 0 && rest[j] === '\\'; j--) bs++;
    if (bs % 2 === 1) continue;
    starts.push({ key: m[1], at: m.index, valueAt: eq + 1 });
  }
  const ext = new Map<string, string>();
  starts.forEach((s, k) => {
    const raw = rest.slice(s.valueAt, k + 1 < starts.length ? starts[k + 1].at : rest.length);
    let v = '';
    for (let j = 0; j < raw.length; j++) {
      if (raw[j] !== '\\') {
        assert.ok(raw[j] !== '=', `unescaped '=' in the value of ${s.key}`);
        v += raw[j];
        continue;
      }
      const nx = raw[++j];
      if (nx === '\\' || nx === '=') v += nx;
      else if (nx === 'n') v += '\n';
      else if (nx === 'r') v += '\r';
      else assert.fail(`bad escape \\${nx} in ${s.key}`);
    }
    ext.set(s.key, v);
  });
  return { header, ext };
}

describe('toCef()', { skip: !haveCorpus() && 'shared corpus not present' }, () => {
  let rep: ReportView;
  let lines: string[];
  before(async () => {
    rep = await corpusReport();
    const out = toCef(rep);
    assert.ok(out.endsWith('\n'));
    lines = out.slice(0, -1).split('\n');
  });

  test('escapes per the CEF rules', () => {
    assert.equal(cefHeaderEscape('a|b\\c\r\nd\ne'), 'a\\|b\\\\c d e');
    assert.equal(cefExtEscape('a=b\\c\nd\re|f'), 'a\\=b\\\\c\\nd\\re|f');
    assert.equal(cefExtEscape('\u001b[31mred'), '\ufffd[31mred', 'terminal escapes neutralised');
  });

  test('writes one line per finding with the wardline prefix and a 0-10 severity', () => {
    assert.equal(lines.length, rep.findings.length);
    for (const l of lines) {
      const { header } = parseCef(l);
      assert.equal(header[0], 'CEF:0');
      assert.deepEqual(header.slice(1, 4), ['wardline', 'wardline', rep.wardline.version]);
      const sev = Number(header[6]);
      assert.ok(Number.isInteger(sev) && sev >= 0 && sev <= 10);
    }
  });

  test('round-trips hostile titles, details and names through the escaping', () => {
    const f = rep.findings.find((x) => x.id === 'f-hostile')!;
    const line = lines.find((l) => l.includes('externalId=f-hostile'))!;
    const { header, ext } = parseCef(line);
    assert.equal(header[4], 'cleartext-protocol');
    assert.equal(header[5], HOSTILE_TITLE.replace('\n', ' '), 'the prefix carries the title with its newline as a space');
    assert.equal(header[6], String(CEF_SEVERITY.medium));
    assert.equal(ext.get('msg'), f.detail, 'the extension keeps the newline as \\n');
    assert.equal(ext.get('cs4'), f.remediation);
    assert.equal(ext.get('shost'), HOSTILE_HOSTNAME);
    assert.equal(ext.get('src'), rep.devices.find((d) => d.id === f.device)!.ips[0]);
    assert.equal(ext.get('cs1'), f.device);
    assert.equal(ext.get('cs1Label'), 'deviceId');
    assert.ok(ext.get('cs5')!.includes(`#6 telnet.banner banner=${HOSTILE_TITLE}`));
    assert.equal(ext.get('rt'), String(Math.round(f.evidence[0].ts * 1000)));
  });

  test('carries CVEs, CVSS and KEV of a vulnerability finding', () => {
    const { header, ext } = parseCef(lines.find((l) => l.includes('externalId=f-kev-imaging'))!);
    assert.equal(header[4], 'known-exploited-vulnerability');
    assert.equal(header[6], '10');
    assert.equal(ext.get('cs3'), 'CVE-2019-0708');
    assert.equal(ext.get('cs3Label'), 'cves');
    assert.equal(ext.get('cfp1'), '9.8');
    assert.equal(ext.get('cn1'), '1');
    assert.equal(ext.get('cs6'), 'Siemens Healthineers / SOMATOM / Windows 7 SP1');
  });

  test('dates a finding by its capture evidence, never by knowledge-base evidence (packet 0, time 0)', () => {
    const f = rep.findings.find((x) => x.id === 'f-kev-imaging')!;
    const kb = { fact: 'cpe-match', value: 'cpe:2.3:o:microsoft:windows_7', source: 'knowledge', file: 'nvd/CVE-2019-0708.json', packet: 0, ts: 0 };
    const captured = f.evidence.filter((e) => e.packet > 0).map((e) => e.ts);
    assert.ok(captured.length > 0);
    const withKb: ReportView = { ...rep, findings: rep.findings.map((x) => (x === f ? { ...x, evidence: [kb, ...x.evidence] } : x)) };
    const ext = parseCef(toCef(withKb).split('\n').find((l) => l.includes('externalId=f-kev-imaging'))!).ext;
    assert.equal(ext.get('rt'), String(Math.round(Math.min(...captured) * 1000)));
    // Only knowledge-base evidence: no time at all rather than 1970.
    const onlyKb: ReportView = { ...rep, findings: rep.findings.map((x) => (x === f ? { ...x, evidence: [kb] } : x)) };
    const ext2 = parseCef(toCef(onlyKb).split('\n').find((l) => l.includes('externalId=f-kev-imaging'))!).ext;
    assert.equal(ext2.has('rt'), false);
  });

  test('names the sensor only when asked, and is deterministic', () => {
    assert.ok(!toCef(rep).includes('dvchost='));
    const withSensor = toCef(rep, { sensorHost: 'sensor-1', sensorId: 'ward=1' });
    const { ext } = parseCef(withSensor.split('\n')[0]);
    assert.equal(ext.get('dvchost'), 'sensor-1');
    assert.equal(ext.get('deviceExternalId'), 'ward=1');
    assert.equal(toCef({ ...rep, findings: [...rep.findings].reverse() }), toCef(rep));
  });

  test('the parser rejects a record with an unescaped = or pipe in the wrong place', () => {
    assert.throws(() => parseCef('CEF:0|a|b|1|r|t|5|msg=a=b\\x'));
    assert.throws(() => parseCef('CEF:0|a|b|1|r|t\\x|5|'));
  });
});
