// Protocol violations (AnalyzerContext.violation) on a real version scan: nmap -sV sends a web
// server the first messages of many protocols, and each of them starts the analyzer its probe
// recognises. The server answers every one in HTTP, so none of those protocols is the
// connection's service, nor a service the server offers. Later damage in a real session of a
// protocol keeps its name: test/ndpi-service.test.ts (kerberos.pcap's partial connections,
// tls_invalid_reads.pcap) holds that side.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { readTsharkFields, REPO_ROOT, runCaptures } from '../testutil/corpus.js';
import { runPipeline } from '../engine/pipeline.js';
import { INVENTORY } from '../inventory/builder.js';
import { testKb } from '../inventory/testutil.js';

const dir = join(REPO_ROOT, 'test', 'fixtures', 'generated', 'nmap-sv');
const pcap = join(dir, 'generated-nmap-service-probes.pcap');

test('a server that answers protocol probes in HTTP offers none of those protocols (nmap -sV, generated-nmap-service-probes.pcap)', async () => {
  // tshark: 37 connections to 10.98.0.61:80; the server's first bytes are HTTP in every one it
  // answered ("HTTP/1.0 404" …, or the bare HTML error page it sends to a request it cannot read).
  const rows = readTsharkFields(join(dir, 'generated-nmap-service-probes.tshark.tsv')).slice(1);
  assert.equal(rows.length, 37);
  const http = (hex: string): boolean => hex.startsWith(Buffer.from('HTTP/1.').toString('hex')) || hex.startsWith(Buffer.from('<!DOCTYPE HTML>').toString('hex'));
  assert.ok(rows.every((r) => r[3] === '-' || http(r[3])));
  // The probes among them: TLS hellos, an RDP cookie, Kerberos, SMB, LDAP, SIP, RTSP, TNS, SQL Server …
  const hex = (s: string): string => Buffer.from(s, 'latin1').toString('hex');
  assert.ok(rows.some((r) => r[2].startsWith('160300')));
  assert.ok(rows.some((r) => r[2].startsWith(hex('OPTIONS sip:'))));
  assert.ok(rows.some((r) => r[2].startsWith(hex('OPTIONS / RTSP'))));
  assert.ok(rows.some((r) => r[2].startsWith('000000a4ff534d42')));

  const run = await runCaptures([pcap]);
  try {
    const conns = run.log('conn');
    assert.equal(conns.length, 38);
    const services = [...new Set(conns.map((c) => String(c.service ?? '-')))].sort();
    assert.deepEqual(services, ['-', 'http']);
    // Each probe's analyzer said why it let go of the flow.
    const weirds = new Set(run.log('weird').map((w) => String(w.name)));
    for (const w of ['ssl.not_tls', 'rtsp.bad_start_line', 'krb.bad_record_mark', 'ldap.bad_framing', 'smb.bad_nbss_framing', 'sip.bad_message', 'mssql.bad_framing', 'oracle.bad_framing', 'dns.tcp_not_response']) assert.ok(weirds.has(w), w);
    assert.deepEqual(
      run.log('known_services').map((k) => [k.host, k.port_num, k.service]),
      [['10.98.0.61', 80, ['HTTP']]],
    );
    // What the probes said is still logged, as Zeek keeps it: each TLS hello in ssl.log (the
    // scanner's JA3), with nothing from a server that never answered in TLS.
    const hellos = rows.filter((r) => r[2].startsWith('1603'));
    const ssl = run.log('ssl');
    assert.equal(ssl.length, hellos.length);
    assert.deepEqual(ssl.map((l) => l['id.orig_p']).sort(), hellos.map((r) => Number(r[1])).sort());
    assert.ok(ssl.every((l) => typeof l.ja3 === 'string' && l.version === undefined && l.established === false));
  } finally {
    run.cleanup();
  }
});

test('the probes make neither the server nor the scanner an industrial or network device', async () => {
  const r = await runPipeline([pcap], { outDir: null, kb: testKb() }, INVENTORY);
  const byIp = new Map(r.report.devices.map((d) => [d.ips[0], d]));
  assert.equal(byIp.get('10.98.0.61')?.category, 'server');
  assert.equal(byIp.get('10.98.0.31')?.category, 'workstation');
  assert.deepEqual(byIp.get('10.98.0.61')?.protocols, ['http']);
  assert.deepEqual(
    r.report.findings.map((f) => f.rule),
    ['scan'],
  );
});

test('a server that never answers a probe does not speak its protocol: nmap -A of a DICOM SCP (generated-nmap-aggressive.pcap)', async () => {
  const pcap2 = join(dir, 'generated-nmap-aggressive.pcap');
  // tshark: 32 connections to storescp's port 104; it answered only nmap's A-ASSOCIATE-RQ (190
  // bytes back: an A-ASSOCIATE-AC) and two RDP probes (10 bytes: an A-ABORT), nothing to the rest.
  const rows = readTsharkFields(join(dir, 'generated-nmap-aggressive.port104.tshark.tsv')).slice(1);
  assert.equal(rows.length, 32);
  const answered = rows.filter((r) => Number(r[3]) > 0);
  assert.deepEqual(answered.map((r) => [r[2].slice(0, 4), r[3]]), [['0300', '10'], ['0300', '10'], ['0100', '190']]);
  const r = await runPipeline([pcap2], { outDir: null, kb: testKb() }, INVENTORY);
  const server = r.report.devices.find((d) => d.ips.includes('10.91.0.61'))!;
  const scanner = r.report.devices.find((d) => d.ips.includes('10.91.0.31'))!;
  assert.deepEqual(server.services, ['tcp/80 http', 'tcp/104 dicom', 'tcp/443 ssl']);
  assert.deepEqual(server.protocols, ['dicom', 'http', 'ssl']);
  assert.deepEqual(scanner.protocols, ['dicom', 'http', 'ssl']);
  // The scanner runs nmap (its NSE user agent): an IT workstation, whatever its probes spoke.
  assert.equal(scanner.category, 'workstation');
  assert.ok(!r.report.findings.some((f) => f.rule === 'lateral-movement'));
  const run = await runCaptures([pcap2]);
  try {
    assert.deepEqual(
      run.log('known_services').filter((k) => k.port_num === 104).map((k) => k.service),
      [['DICOM']],
    );
  } finally {
    run.cleanup();
  }
});
