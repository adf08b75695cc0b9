// The command line as a user meets it: exit statuses (0 done, 1 truncated input analysed,
// 2 usage or unreadable input), messages that name the file and how far it got, gzip and stdin
// input, --format json, and byte-identical output for the same input.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { REPO_ROOT } from '../src/testutil/corpus.js';
import { tempDir } from '../src/testutil/tmp.js';

const CLI = join(REPO_ROOT, 'dist', 'wardline.mjs');
const SAMPLE = join(REPO_ROOT, 'samples', 'sample.pcapng');

function run(args: string[], input?: Buffer): { code: number | null; out: string; err: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { input, encoding: 'buffer', maxBuffer: 64 << 20 });
  return { code: r.status, out: r.stdout.toString(), err: r.stderr.toString() };
}

const tmp = (): string => tempDir('wardline-cli-');

test('analyze on the sample capture exits 0 and writes report.json and conn.log', () => {
  const out = tmp();
  const r = run(['analyze', SAMPLE, '--out', out, '--no-progress']);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /470 packets/);
  const rep = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'));
  assert.equal(rep.inputs[0].packets, 470);
  assert.equal(rep.inputs[0].complete, true);
  assert.ok(readFileSync(join(out, 'logs', 'conn.log'), 'utf8').split('\n').length > 10);
});

test('the summary lists each fix once, with every device it applies to', () => {
  // The sample's three Windows 7-or-8 hosts share their CVEs: one patch task names all three
  // and its CVEs, instead of one line per CVE.
  const out = tmp();
  const r = run(['analyze', SAMPLE, '--out', out, '--no-progress']);
  assert.equal(r.code, 0, r.err);
  const fix = r.out.slice(r.out.indexOf('Fix first'));
  const lines = fix.split('\n').filter((l) => /^ {2}\d+\. /.test(l));
  assert.ok(lines.length >= 3);
  const titles = lines.map((l) => l.replace(/^ {2}\d+\. \S+ /, '').replace(/ on .*$/, ''));
  assert.equal(new Set(titles).size, titles.length, 'no fix listed twice');
  assert.ok(lines.some((l) => / on 3 devices: [^,]+, [^,]+, [^,\s]+( \[|$)/.test(l)), fix);
  // Every CVE finding of report.json on exactly those three hosts is in the one patch line.
  const rep = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'));
  const cveRules = new Set(['vulnerability', 'known-exploited-vulnerability']);
  const byCve = new Map<string, Set<string>>();
  for (const f of rep.findings) if (cveRules.has(f.rule) && f.severity === 'high') for (const c of f.cves) byCve.set(c, (byCve.get(c) ?? new Set()).add(f.device));
  const shared = [...byCve].filter(([, ds]) => ds.size === 3).map(([c]) => c);
  const kev = new Set(rep.findings.filter((f: { rule: string }) => f.rule === 'known-exploited-vulnerability').flatMap((f: { cves: string[] }) => f.cves));
  assert.ok(shared.length >= 2, 'the sample has CVEs shared by three hosts');
  const patch = lines.filter((l) => l.includes("Install the vendor's security updates"));
  assert.equal(patch.length, 1, fix);
  const m = /for (\d+) CVEs \((\d+) known exploited\) on 3 devices/.exec(patch[0]);
  assert.ok(m, patch[0]);
  assert.equal(Number(m[1]), shared.length);
  assert.equal(Number(m[2]), shared.filter((c) => kev.has(c)).length);
  assert.ok(!lines.some((l) => /^ {2}\d+\. \S+ CVE-/.test(l)), 'no CVE of those hosts listed on its own');
});

test('the summary points at wardline policy for the medical and IoT devices it found', () => {
  const out = tmp();
  const r = run(['analyze', SAMPLE, '--out', out, '--no-progress']);
  assert.equal(r.code, 0, r.err);
  const m = /^Segmentation \((\d+) medical\/IoT devices?\): wardline policy --from (\S+) writes/m.exec(r.out);
  assert.ok(m, r.out.slice(-400));
  assert.equal(m[2], out);
  const p = spawnSync(process.execPath, [CLI, 'policy', '--from', out], { encoding: 'utf8' });
  assert.equal(p.status, 0, p.stderr);
  assert.match(p.stderr, new RegExp(`^wardline: policy for ${m[1]} devices?, `));
});

test('the same capture gives byte-identical report.json and logs', () => {
  const a = tmp();
  const b = tmp();
  assert.equal(run(['analyze', SAMPLE, '--out', a, '--no-progress']).code, 0);
  assert.equal(run(['analyze', SAMPLE, '--out', b, '--no-progress']).code, 0);
  for (const f of ['report.json', 'logs/conn.log', 'logs/weird.log', 'logs/notice.log']) {
    assert.equal(readFileSync(join(a, f), 'utf8'), readFileSync(join(b, f), 'utf8'), f);
  }
});

test('analyze writes each finding as a Zeek notice in logs/notice.log, counted among the logs', () => {
  const out = tmp();
  assert.equal(run(['analyze', SAMPLE, '--out', out, '--no-progress']).code, 0);
  const rep = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as { findings: { id: string }[]; logs: Record<string, number> };
  assert.ok(rep.findings.length > 0);
  const notices = readFileSync(join(out, 'logs', 'notice.log'), 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l) as { finding_id: string; note: string });
  assert.deepEqual(notices.map((n) => n.finding_id).sort(), rep.findings.map((f) => f.id).sort());
  assert.equal(rep.logs.notice, rep.findings.length);
  assert.ok(notices.every((n) => /^Wardline::[A-Z]/.test(n.note)));
});

test('--timings prints each phase on stderr and changes no output', () => {
  const a = tmp();
  const b = tmp();
  const plain = run(['analyze', SAMPLE, '--out', a, '--no-progress']);
  const timed = run(['analyze', SAMPLE, '--out', b, '--no-progress', '--timings']);
  assert.equal(timed.code, 0, timed.err);
  assert.equal(plain.err, '');
  for (const phase of ['knowledge base', 'capture', 'inventory', 'assessment', 'store and report', 'output files']) {
    assert.match(timed.err, new RegExp(`^wardline: ${phase} +\\d+\\.\\d\\d s$`, 'm'), phase);
  }
  assert.match(timed.err, /^wardline: process +\d+\.\d\d s, peak RSS \d+ MiB$/m);
  assert.equal(readFileSync(join(a, 'report.json'), 'utf8'), readFileSync(join(b, 'report.json'), 'utf8'));
  // Decode-only runs have one phase before the outputs.
  const core = run(['analyze', SAMPLE, '--out', tmp(), '--no-progress', '--no-analyzers', '--timings']);
  assert.match(core.err, /^wardline: capture +\d/m);
  assert.doesNotMatch(core.err, /knowledge base/);
});

test('analysing into a used output directory replaces the old logs, stale ones included', () => {
  const out = tmp();
  mkdirSync(join(out, 'logs'));
  writeFileSync(join(out, 'logs', 'dicom.log'), '{"stale":true}\n');
  writeFileSync(join(out, 'logs', 'conn.log'), 'x'.repeat(1 << 20));
  assert.equal(run(['analyze', SAMPLE, '--out', out, '--no-progress', '--no-analyzers']).code, 0);
  assert.equal(existsSync(join(out, 'logs', 'dicom.log')), false);
  assert.match(readFileSync(join(out, 'logs', 'conn.log'), 'utf8'), /^\{"ts":/);
  // The old directory was renamed aside and deleted in the background before the process ended.
  assert.deepEqual(readdirSync(out).filter((f) => f.startsWith('.logs-old')), []);
});

test('a truncated capture is analysed up to the cut, named in the message, and exits 1', () => {
  const data = readFileSync(SAMPLE);
  const dir = tmp();
  const cut = join(dir, 'cut.pcapng');
  writeFileSync(cut, data.subarray(0, Math.floor(data.length * 0.6) + 3));
  const r = run(['analyze', cut, '--out', join(dir, 'o'), '--no-progress']);
  assert.equal(r.code, 1);
  assert.match(r.err, /cut\.pcapng is truncated .* after packet \d+/);
  const rep = JSON.parse(readFileSync(join(dir, 'o', 'report.json'), 'utf8'));
  assert.equal(rep.inputs[0].complete, false);
  assert.ok(rep.inputs[0].packets > 100);
});

test('a file that is not a capture exits 2 with a clear message', () => {
  const dir = tmp();
  const p = join(dir, 'notes.txt');
  writeFileSync(p, 'hello, this is not a pcap\n');
  const r = run(['analyze', p, '--out', join(dir, 'o'), '--no-progress']);
  assert.equal(r.code, 2);
  assert.match(r.err, /notes\.txt is not a capture wardline reads: pcap, pcapng, Network Monitor or snoop/);
});

test('a missing file exits 2', () => {
  const r = run(['analyze', '/nonexistent/x.pcap', '--out', tmp(), '--no-progress']);
  assert.equal(r.code, 2);
  assert.match(r.err, /no such file/);
});

test('gzip-compressed input and standard input give the same packets as the plain file', () => {
  const data = readFileSync(SAMPLE);
  const dir = tmp();
  const gz = join(dir, 'sample.pcapng.gz');
  writeFileSync(gz, gzipSync(data));
  const a = run(['analyze', gz, '--out', join(dir, 'a'), '--format', 'json', '--no-progress']);
  assert.equal(a.code, 0, a.err);
  assert.equal(JSON.parse(a.out).inputs[0].packets, 470);
  const b = run(['analyze', '-', '--out', join(dir, 'b'), '--format', 'json', '--no-progress'], gzipSync(data));
  assert.equal(b.code, 0, b.err);
  assert.equal(JSON.parse(b.out).inputs[0].packets, 470);
  assert.equal(readFileSync(join(dir, 'a', 'logs', 'conn.log'), 'utf8'), readFileSync(join(dir, 'b', 'logs', 'conn.log'), 'utf8'));
});

test('--help works on every command and unknown options are usage errors', () => {
  assert.equal(run(['--help']).code, 0);
  assert.match(run(['analyze', '--help']).out, /--out/);
  assert.equal(run(['analyze', SAMPLE, '--bogus']).code, 2);
});

test('--config FILE sets the detectors (an authorised scanner is no scan) and a bad file is a usage error naming the key', () => {
  const scan = join(REPO_ROOT, 'test', 'fixtures', 'generated', 'monitor', 'generated-nmap-port-scan.pcap');
  const dir = tmp();
  const findings = (args: string[]): { rule: string; device: string }[] => {
    const r = run(['analyze', scan, '--out', join(dir, 'out'), '--no-progress', '--format', 'json', ...args]);
    assert.equal(r.code, 0, r.err);
    return JSON.parse(r.out).findings;
  };
  assert.deepEqual(findings([]).filter((f) => f.rule === 'scan').map((f) => f.device), ['ip:127.0.0.1']);
  const good = join(dir, 'site.json');
  writeFileSync(good, JSON.stringify({ scanAllow: ['127.0.0.1/32'] }));
  assert.deepEqual(findings(['--config', good]).filter((f) => f.rule === 'scan'), []);
  const m = run(['monitor', '--replay', scan, '--config', good, '--no-progress']);
  assert.equal(m.code, 0, m.err);
  assert.match(m.out, /^0 alerts/);
  const bad = join(dir, 'bad.json');
  writeFileSync(bad, JSON.stringify({ scanAllow: ['127.0.0.1/40'], portScanTreshold: 5 }));
  for (const cmd of [['analyze', scan, '--out', join(dir, 'out2')], ['monitor', '--replay', scan]]) {
    const r = run([...cmd, '--config', bad, '--no-progress']);
    assert.equal(r.code, 2);
    assert.match(r.err, /--config .*bad\.json: scanAllow\[0\]: not an IPv4 or IPv6 address or CIDR range; unknown key "portScanTreshold"/);
  }
});
