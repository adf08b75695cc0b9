// internet-communication on real captures: a Nest device logging to Google's and Amazon's clouds
// (nDPI's nest_log_sink.pcap: nDPI lists 13 NestLogSink flows from 192.168.242.15 to
// 35.188.154.186 and 35.174.82.237, port 11095, ClearText; its DNS lookups name them), an MQTT client publishing to a
// public broker (Zeek's mqtt.pcap: 10.0.1.4 to 198.41.30.241:1883), a PACS fetching files over
// HTTP from an Internet host, by address and by name (test/fixtures/generated/exposure, frames 78, 90), and a browser's host
// (Zeek's chrome-34-google.pcap), which is not judged.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { corpus, haveCorpus, REPO_ROOT } from '../testutil/corpus.js';
import { runPipeline } from '../engine/pipeline.js';
import { INVENTORY } from '../inventory/builder.js';
import { testKb } from '../inventory/testutil.js';
import { ndpiFlows } from '../testutil/peers.js';
import type { Report } from '../report/report.js';

const skip = !haveCorpus() && 'shared corpus not present';

async function report(pcap: string): Promise<Report> {
  return (await runPipeline([pcap], { outDir: null, kb: testKb() }, INVENTORY)).report;
}

test("internet-communication: a Nest device's cloud log sinks, the destinations nDPI lists (low: an IoT device, nothing wardline reads as clear text)", { skip }, async () => {
  const file = 'nest_log_sink.pcap';
  const flows = ndpiFlows(corpus('ndpi', 'result', `${file}.out`)).filter((f) => f.app === 'NestLogSink');
  assert.equal(flows.length, 13);
  const r = await report(corpus('ndpi', 'pcap', file));
  const found = r.findings.filter((f) => f.rule === 'internet-communication');
  assert.equal(found.length, 1);
  const d = r.devices.find((x) => x.id === found[0].device)!;
  assert.deepEqual([d.ips, d.category, d.vendor], [['192.168.242.15'], 'iot_other', 'Nest Labs Inc.']);
  assert.equal(found[0].severity, 'low');
  assert.equal(found[0].title, 'Connects to Internet hosts');
  assert.match(found[0].detail, /^2 Internet hosts answered the device's connections: /);
  // nDPI: 7 flows to 35.188.154.186, 6 to 35.174.82.237 (one of which starts mid-stream, history
  // AaDfF: no handshake, so not counted as answered; the destination is there by its others).
  assert.deepEqual(found[0].evidence.map((e) => e.value.split(' ')[2]).sort(), [...new Set(flows.map((f) => f.b))].sort());
  // Named by the device's own lookups: tshark -Y dns -T fields -e dns.qry.name -e dns.a gives
  // weave-logsink.nest.com 35.188.154.186 and czfe105.front01.iad01.production.nest.com 35.174.82.237.
  assert.deepEqual(found[0].evidence.map((e) => e.value.split(' ').slice(2).join(' ')).sort(), [
    '35.174.82.237 tcp/11095 (czfe105.front01.iad01.production.nest.com)',
    '35.188.154.186 tcp/11095 (weave-logsink.nest.com)',
  ]);
  assert.match(found[0].detail, /weave-logsink\.nest\.com \(35\.188\.154\.186\) tcp\/11095/);
  // nDPI marks the flows ClearText by their content; wardline names no protocol on port 11095,
  // so it does not claim clear text.
  assert.doesNotMatch(found[0].title, /clear text/);
  assert.ok(d.risk.factors.some((x) => x.id === 'internet-communication' && x.points === 5));
});

test('internet-communication: MQTT to a public broker is clear text (medium on an IoT device); a browser host is not judged', { skip }, async () => {
  const r = await report(corpus('zeek', 'traces', 'mqtt.pcap'));
  const [f] = r.findings.filter((x) => x.rule === 'internet-communication');
  assert.equal(f.severity, 'medium');
  assert.equal(f.title, 'Connects to Internet hosts, some in clear text');
  assert.match(f.detail, /^1 Internet host \(1 in clear text\) answered the device's connections: 198\.41\.30\.241 tcp\/1883 mqtt\./);
  assert.deepEqual(f.evidence.map((e) => [e.value, e.packet]), [['10.0.1.4 → 198.41.30.241 tcp/1883 mqtt', 8]]);
  const chrome = await report(corpus('zeek', 'traces', 'tls', 'chrome-34-google.pcap'));
  assert.deepEqual(chrome.findings.filter((x) => x.rule === 'internet-communication'), []);
});

test('internet-communication: a PACS fetching over plain HTTP from the Internet (generated) is high', async () => {
  const r = await report(join(REPO_ROOT, 'test', 'fixtures', 'generated', 'generated-internet-exposure.pcap'));
  const [f] = r.findings.filter((x) => x.rule === 'internet-communication');
  assert.equal(f.severity, 'high');
  assert.deepEqual(f.evidence.map((e) => [e.value, e.packet]), [['10.98.0.10 → 185.220.101.7 tcp/8080 http', 78]]);
  // The second fetch named the host (HTTP Host updates.vendor.example:8080, frame 93); the first
  // used the bare address, which names nothing.
  assert.match(f.detail, /^1 Internet host \(1 in clear text\) answered the device's connections: updates\.vendor\.example \(185\.220\.101\.7\) tcp\/8080 http\./);
  assert.match(f.detail, /Allow a medical device only the endpoints its vendor documents/);
  // The Internet host itself (a device here: it sits on the captured link) is not judged.
  assert.ok(r.devices.find((d) => d.id === f.device)!.ips.includes('10.98.0.10'));
});
