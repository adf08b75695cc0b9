// runMonitor end to end: paced replays (pcap and nanosecond pcapng), a pcap stream on standard
// input, live capture through tcpdump and dumpcap on the loopback interface, and the store
// merging repeated runs without duplicates.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, connect, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { corpus, haveCorpus, REPO_ROOT } from '../testutil/corpus.js';
import { Store } from '../store/store.js';
import { findTool, parseToolStats, type CaptureTool } from '../capture/live.js';
import { runMonitor } from './run.js';
import { CaptureError } from '../capture/errors.js';
import { alertToFinding } from './alerts.js';
import { recordAnalysis } from './record.js';
import { Monitor } from './monitor.js';
import { Analysis } from '../engine/analyze.js';

const GEN = join(REPO_ROOT, 'test', 'fixtures', 'generated', 'monitor');
const FTP = join(GEN, 'generated-hydra-ftp.pcap');
/** Capture duration per capinfos: 2.466129 s. */
const FTP_DURATION = 2.466129;

function tmp(): { dir: string; done: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'wardline-mon-'));
  return { dir, done: () => rmSync(dir, { recursive: true, force: true }) };
}

test('a replay at speed 0 and at speed 5 gives the same alerts; speed 5 takes a fifth of the capture time', async () => {
  const fast = await runMonitor({ input: { kind: 'replay', path: FTP } });
  const t0 = performance.now();
  const paced = await runMonitor({ input: { kind: 'replay', path: FTP, speed: 5 } });
  const secs = (performance.now() - t0) / 1000;
  assert.deepEqual(paced.alerts, fast.alerts);
  assert.equal(paced.stats.packets, 127);
  assert.ok(secs >= FTP_DURATION / 5 - 0.05 && secs < FTP_DURATION / 5 + 0.6, `took ${secs.toFixed(3)} s`);
});

test('pacing reads pcapng timestamps at their own resolution (nanoseconds)', { skip: !haveCorpus() }, async () => {
  // capinfos: duration 2.289296521 s, nanosecond resolution.
  const path = corpus('ndpi', 'pcap', 'tls_heur__vmess-tcp.pcapng');
  const plain = await runMonitor({ input: { kind: 'replay', path } });
  const t0 = performance.now();
  const r = await runMonitor({ input: { kind: 'replay', path, speed: 4 } });
  const secs = (performance.now() - t0) / 1000;
  assert.equal(r.stats.packets, plain.stats.packets);
  assert.ok(secs >= 2.289 / 4 - 0.05 && secs < 2.289 / 4 + 0.6, `took ${secs.toFixed(3)} s`);
});

test('an abort ends a paced replay early and the run is recorded as interrupted', async () => {
  const t = tmp();
  const ac = new AbortController();
  setTimeout(() => ac.abort(), 150);
  const r = await runMonitor({ input: { kind: 'replay', path: FTP, speed: 1 }, db: join(t.dir, 'w.db'), signal: ac.signal });
  assert.ok(r.stats.packets < 127, `${r.stats.packets} packets`);
  const s = Store.open(join(t.dir, 'w.db'), { readonly: true });
  assert.equal(s.runs()[0].status, 'interrupted');
  s.close();
  t.done();
});

test('monitoring the same capture twice into one store adds no alerts, findings or evidence', async () => {
  const t = tmp();
  const db = join(t.dir, 'w.db');
  const counts: Record<string, number>[] = [];
  for (let i = 0; i < 2; i++) {
    const r = await runMonitor({ input: { kind: 'replay', path: FTP }, db, alerts: [join(t.dir, 'alerts.jsonl')] });
    // The analyze path: behaviour alerts become findings of the same ids.
    const s = Store.open(db);
    s.saveRun({ kind: 'analyze', inputs: [FTP], status: 'complete', findings: r.alerts.map(alertToFinding), alerts: r.alerts });
    counts.push(s.counts());
    s.close();
  }
  assert.equal(counts[0].alerts, 1);
  assert.equal(counts[0].findings, 1);
  assert.deepEqual({ ...counts[1], capture_runs: 0 }, { ...counts[0], capture_runs: 0 });
  assert.equal(counts[1].capture_runs, 4);
  const s = Store.open(db, { readonly: true });
  const [a] = s.alerts();
  assert.equal(a.count, 12);
  assert.equal(a.severity, 'critical');
  assert.equal(s.findings()[0].id, a.id);
  s.close();
  // The sink got the alert when raised and again when it closed changed (critical), per run.
  const lines = readFileSync(join(t.dir, 'alerts.jsonl'), 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l) as { id: string; severity: string });
  assert.deepEqual(lines.map((l) => l.severity), ['high', 'critical', 'high', 'critical']);
  assert.ok(lines.every((l) => l.id === a.id));
  t.done();
});

test('a second analyze --db over the same captures adds no alerts, findings, evidence or baselines', async () => {
  const t = tmp();
  const db = join(t.dir, 'w.db');
  const inputs = [FTP, join(GEN, 'generated-nmap-port-scan.pcap')];
  const counts: Record<string, number>[] = [];
  for (let i = 0; i < 2; i++) {
    const s = Store.open(db);
    let a: Analysis | null = null;
    const monitor = new Monitor({ fileName: (k) => a!.paths[k], baselines: s.baselines(), persistBaselines: true });
    a = new Analysis({ outDir: null, ...monitor.hooks() });
    const result = await a.run(inputs);
    recordAnalysis(s, { result, inputs, monitor });
    counts.push(s.counts());
    if (i === 1) {
      assert.deepEqual(s.alerts().map((x) => x.rule), ['scan', 'brute-force'], 'ordered by first_ts: the scan was captured first');
      assert.deepEqual(s.findings().map((f) => f.id).sort(), s.alerts().map((x) => x.id).sort());
      assert.deepEqual(s.runs().map((r) => [r.kind, r.status, r.packets]), [['analyze', 'complete', 527], ['analyze', 'complete', 527]]);
    }
    s.close();
  }
  assert.deepEqual({ ...counts[1], capture_runs: 0 }, { ...counts[0], capture_runs: 0 });
  assert.ok(counts[0].baselines > 0);
  t.done();
});

test('a pcap stream on standard input is monitored like a file', async () => {
  const url = pathToFileURL(join(REPO_ROOT, 'dist', 'src', 'monitor', 'run.js')).href;
  const script = `const { runMonitor } = await import(${JSON.stringify(url)}); const r = await runMonitor({ input: { kind: 'stdin' } }); process.stdout.write(JSON.stringify({ packets: r.stats.packets, alerts: r.alerts.map((a) => [a.rule, a.count]) }));`;
  const out = spawnSync(process.execPath, ['--input-type=module', '-e', script], { input: readFileSync(FTP), encoding: 'utf8' });
  assert.equal(out.status, 0, out.stderr);
  assert.deepEqual(JSON.parse(out.stdout), { packets: 127, alerts: [['brute-force', 12]] });
});

test('the capture tools\' closing statistics are parsed', () => {
  assert.deepEqual(parseToolStats('dumpcap', "Packets captured: 7\nPackets received/dropped on interface 'Loopback: lo': 7/2 (pcap:0/dumpcap:0/flushed:0/ps_ifdrop:1) (77.8%)\n"), { received: 7, dropped: 2, ifDropped: 1 });
  assert.deepEqual(parseToolStats('tcpdump', '12 packets captured\n14 packets received by filter\n3 packets dropped by kernel\n'), { received: 14, dropped: 3, ifDropped: null });
});

/** Opens `n` TCP connections to a local server on `port`, each sending a line. */
async function traffic(port: number, n: number): Promise<void> {
  for (let i = 0; i < n; i++) {
    await new Promise<void>((resolve) => {
      const c = connect(port, '127.0.0.1', () => c.end('hello\n'));
      c.on('close', () => resolve());
      c.on('error', () => resolve());
    });
  }
}

for (const tool of ['tcpdump', 'dumpcap'] as CaptureTool[]) {
  const usable = findTool(tool) !== null && spawnSync(findTool(tool)!, tool === 'tcpdump' ? ['-D'] : ['-D'], { encoding: 'utf8' }).stdout.includes('lo');
  test(`live capture on lo through ${tool} sees the connections and reports the tool's counts`, { skip: !usable && `${tool} cannot list lo here` }, async () => {
    const srv = createServer((s) => s.on('data', () => s.end()));
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
    const port = (srv.address() as AddressInfo).port;
    const ac = new AbortController();
    let ready: () => void = () => undefined;
    const started = new Promise<void>((r) => (ready = r));
    let seen = 0;
    const run = runMonitor({
      input: { kind: 'interface', iface: 'lo', tool, filter: `tcp port ${port}` },
      signal: ac.signal,
      onReady: () => ready(),
      statsIntervalMs: 50,
      onStats: (st) => (seen = st.packets),
    });
    // Traffic once the tool says it is capturing, and not before 1.5 s: packets that reach the pipe
    // in the run's first moments are not all read before the stop (seen on a loaded machine).
    await Promise.all([Promise.race([started, new Promise((r) => setTimeout(r, 15_000))]), new Promise((r) => setTimeout(r, 1500))]);
    await traffic(port, 5);
    if (tool === 'tcpdump') {
      // tcpdump -U writes each packet as it comes: stop once they were read.
      for (const t0 = Date.now(); seen < 5 * 7 && Date.now() - t0 < 15_000; ) await new Promise((r) => setTimeout(r, 50));
    } else {
      // dumpcap writing to a pipe holds its packets until it stops (then flushes them).
      await new Promise((r) => setTimeout(r, 500));
    }
    ac.abort();
    const r = await run;
    srv.close();
    assert.equal(r.tool?.tool, tool);
    assert.equal(r.tool?.message, null, `${tool} failed: ${r.tool?.message}`);
    assert.ok(r.stats.packets >= 5 * 7, `${r.stats.packets} packets`);
    assert.equal(r.stats.monitor.conns, 5);
    assert.ok(r.tool!.received! >= r.stats.packets, `tool received ${r.tool!.received}`);
    assert.equal(r.stats.dropped.capture, 0);
  });
}

test('a capture tool that cannot open the interface is reported in its own words, not hung on', { skip: findTool('tcpdump') === null }, async () => {
  await assert.rejects(runMonitor({ input: { kind: 'interface', iface: 'no-such-if0', tool: 'tcpdump' } }), (e: unknown) => {
    assert.ok(e instanceof CaptureError);
    assert.match(e.message, /^tcpdump could not capture on no-such-if0: .*(no-such-if0|No such device|doesn't exist)/i);
    return true;
  });
});



test('the monitor classifies from the store: a device an earlier run listed as a pump is judged as one', { skip: !haveCorpus() }, async () => {
  // suricata-verify's SMB at-scheduling capture; the earlier run's inventory is simulated by
  // putting the client into the store as an infusion pump (analyze --db does this in production).
  const pcap = corpus('suricata-verify', 'tests', 'smb2-04', '20171220_smb_at_schedule.pcap');
  const g = JSON.parse(readFileSync(join(REPO_ROOT, 'test', 'golden', 'tshark-conv.json'), 'utf8')) as { captures: Record<string, { proto: string; a: string; b: string }[]> };
  const conv = g.captures['suricata-verify/tests/smb2-04/20171220_smb_at_schedule.pcap'].find((c) => c.proto === 'tcp')!;
  const client = conv.a.split(':')[0];
  const t = tmp();
  try {
    const db = join(t.dir, 'w.db');
    const store = Store.open(db);
    store.putDevice({ id: 'mac:02:00:00:00:00:01', mac: '02:00:00:00:00:01', ips: [client], hostnames: [], vendor: 'Baxter', model: null, category: 'infusion_pump', medical: true, os: null, software: [], services: [], protocols: [], risk: { score: 0, level: 'low', factors: [] }, evidence: [] });
    store.flush();
    store.close();
    const r = await runMonitor({ input: { kind: 'replay', path: pcap }, db });
    const lateral = r.alerts.filter((a) => a.rule === 'lateral-movement');
    assert.equal(lateral.length, 1);
    assert.equal(lateral[0].device, 'mac:02:00:00:00:00:01');
    assert.match(lateral[0].why, /infusion_pump device .* opened SMB/);
    // Without the store (nothing classified), the same replay judges nobody.
    const bare = await runMonitor({ input: { kind: 'replay', path: pcap } });
    assert.equal(bare.alerts.filter((a) => a.rule === 'lateral-movement').length, 0);
  } finally {
    t.done();
  }
});

test('the monitor builds its own inventory: alerts name the device by its MAC, as tshark shows it', { skip: !haveCorpus() }, async () => {
  // Zeek's LDAP invalid-credentials trace: the repeated failed binds are a brute-force alert.
  // Unclassified, the alert can only name the address; with a knowledge base the monitor keeps
  // an inventory and names the device, keyed by the MAC tshark shows for that address
  // (eth.src of every frame from 192.168.66.141 is 00:0c:29:6e:1b:2c).
  const { KnowledgeBase } = await import('../knowledge/kb.js');
  const kb = KnowledgeBase.load();
  const pcap = corpus('zeek', 'traces', 'ldap', 'ldap_invalid_credentials.pcap');
  const plain = (await runMonitor({ input: { kind: 'replay', path: pcap } })).alerts.filter((a) => a.rule === 'brute-force');
  const withInv = (await runMonitor({ input: { kind: 'replay', path: pcap }, inventory: { kb } })).alerts.filter((a) => a.rule === 'brute-force');
  assert.deepEqual(plain.map((a) => a.device), ['ip:192.168.66.141']);
  assert.deepEqual(withInv.map((a) => a.device), ['mac:00:0c:29:6e:1b:2c']);
});

test('a monitor with a knowledge base stores its assessed devices and findings, once however often it runs', { skip: !haveCorpus() }, async () => {
  // Zeek's LDAP invalid-credentials trace: the LDAP server and its client become devices (the
  // server keyed by the MAC tshark shows for 192.168.66.141), with the cleartext findings analyze
  // gives for the same capture; a second monitor run of it adds nothing.
  const { KnowledgeBase } = await import('../knowledge/kb.js');
  const { runPipeline } = await import('../engine/pipeline.js');
  const { INVENTORY } = await import('../inventory/builder.js');
  const kb = KnowledgeBase.load();
  const pcap = corpus('zeek', 'traces', 'ldap', 'ldap_invalid_credentials.pcap');
  const t = tmp();
  try {
    const db = join(t.dir, 'w.db');
    const counts: Record<string, number>[] = [];
    for (let i = 0; i < 2; i++) {
      await runMonitor({ input: { kind: 'replay', path: pcap }, db, inventory: { kb } });
      const s = Store.open(db, { readonly: true });
      counts.push(s.counts());
      if (i === 0) {
        const ids = s.devices().map((d) => d.id);
        assert.ok(ids.includes('mac:00:0c:29:6e:1b:2c'), ids.join(' '));
        // The same devices and finding rules as analyze finds in the capture.
        const run = await runPipeline([pcap], { outDir: null, kb }, INVENTORY);
        assert.deepEqual(ids.sort(), run.report.devices.map((d) => d.id).sort());
        const rules = (xs: { rule: string }[]) => [...new Set(xs.map((f) => f.rule))].sort();
        assert.deepEqual(rules(s.findings()), rules(run.report.findings.filter((f) => !['scan', 'brute-force', 'lateral-movement', 'new-peer'].includes(f.rule))));
      }
      s.close();
    }
    assert.ok(counts[0].devices > 0 && counts[0].findings > 0);
    // Devices, their identity history and findings merge by id. (An alert the first run raised
    // before any build, under the address, is keyed by the device from the start of the second:
    // alerts and their evidence are not compared here; docs/monitor.md says so.)
    for (const k of ['devices', 'device_identity', 'findings']) assert.equal(counts[1][k], counts[0][k], k);
  } finally {
    t.done();
  }
});

test('monitor --db keeps the answered conversations analyze --db keeps (what wardline policy --db allows)', async () => {
  const t = tmp();
  const inputs = [FTP, join(GEN, 'generated-nmap-port-scan.pcap')];
  const fromAnalyze = (() => {
    const s = Store.open(join(t.dir, 'a.db'));
    let a: Analysis | null = null;
    const monitor = new Monitor({ fileName: (k) => a!.paths[k], persistBaselines: true });
    a = new Analysis({ outDir: null, ...monitor.hooks() });
    return a.run(inputs).then((result) => {
      recordAnalysis(s, { result, inputs, monitor });
      const c = s.conversations();
      s.close();
      return c;
    });
  })();
  const analyzed = await fromAnalyze;
  const db = join(t.dir, 'm.db');
  for (const path of inputs) await runMonitor({ input: { kind: 'replay', path, speed: 0 }, db });
  const s = Store.open(db, { readonly: true });
  const monitored = s.conversations();
  s.close();
  // The port scan's refused probes are no conversations; the FTP logins are.
  assert.ok(analyzed.length > 0 && analyzed.every((c) => c.count > 0));
  assert.ok(analyzed.some((c) => c.port === 21 && c.service === 'ftp'));
  assert.deepEqual(
    monitored.map((c) => [c.orig, c.resp, c.proto, c.port, c.service, c.count]),
    analyzed.map((c) => [c.orig, c.resp, c.proto, c.port, c.service, c.count]),
  );
  t.done();
});

test('a flood from random forged sources leaves no baseline and no device for them in the store (generated-forged-floods.pcap)', async () => {
  const t = tmp();
  const db = join(t.dir, 'w.db');
  // tshark: 16,000 packets, each from its own made-up address (generated-forged-floods.forged.tshark.tsv).
  const forged = new Set(readFileSync(join(GEN, 'generated-forged-floods.forged.tshark.tsv'), 'utf8').trimEnd().split('\n').map((l) => l.split('\t')[1]));
  assert.equal(forged.size, 16_000);
  const { KnowledgeBase } = await import('../knowledge/kb.js');
  await runMonitor({ input: { kind: 'replay', path: join(GEN, 'generated-forged-floods.pcap') }, db, inventory: { kb: KnowledgeBase.load() } });
  const s = Store.open(db, { readonly: true });
  const baselined = new Set(s.baselines().map((b) => b.device));
  const stored = s.devices().flatMap((d) => d.ips);
  s.close();
  t.done();
  for (const ip of baselined) assert.ok(!forged.has(ip), `baseline for forged ${ip}`);
  for (const ip of stored) assert.ok(!forged.has(ip), `device for forged ${ip}`);
  // The target learned its service and peers; the real clients behind the router (one DNS query
  // each, tshark: generated-forged-floods.clients.tshark.tsv) are devices.
  assert.ok(baselined.has('10.93.0.10'));
  const clients = readFileSync(join(GEN, 'generated-forged-floods.clients.tshark.tsv'), 'utf8').trimEnd().split('\n').map((l) => l.split('\t')[1]);
  assert.equal(clients.length, 80);
  for (const ip of clients) assert.ok(stored.includes(ip), ip);
});
