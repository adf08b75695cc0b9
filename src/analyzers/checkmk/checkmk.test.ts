// Checkmk on nDPI's capture (test/fixtures/ndpi/ndpi-checkmk.pcap): a site fetching a Linux
// agent's output on 6556. tshark 4.0 has no Checkmk dissector: the expectations are its
// follow,tcp,ascii text of the stream's start (ndpi-checkmk.follow.txt: the <<<check_mk>>> block),
// the section header lines of the same (ndpi-checkmk.sections.txt), the packets' payload lengths
// (ndpi-checkmk.tshark.tsv) and ndpiReader 4.2's label (ndpi-checkmk.pcap.out). No public capture
// has an agent behind the agent controller's TLS or a legacy encrypted agent: those cases are
// synthetic, laid out as Checkmk's sources write them (cmk-agent-ctl's pull mode sends "16" before
// its TLS handshake; the legacy agent's encrypted output starts with a two-digit version).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT, filesUnder, runCaptures } from '../../testutil/corpus.js';
import { feedAnalyzer, flowBytes } from '../../testutil/flowbytes.js';
import { ndpiFlows } from '../../testutil/peers.js';
import { fuzzParser } from '../../testutil/fuzz.js';
import { deviceWithIp, runInventory } from '../../inventory/testutil.js';
import { assessCaptures } from '../../assess/testutil.js';
import { PROBE_MAYBE, PROBE_NO, PROBE_YES } from '../types.js';
import { CheckmkAnalyzer } from './analyzer.js';
import { headerField, sectionName } from './parse.js';
import { probe } from './probe.js';

const DIR = join(REPO_ROOT, 'test', 'fixtures', 'ndpi');
const PCAP = join(DIR, 'ndpi-checkmk.pcap');
/** Lines of the agent's df and mounts sections in the capture: the inventory, never logged. */
const CONTENTS = ['/dev/xvda1', 'devtmpfs'];

/** The "Key: value" lines of the follow text's <<<check_mk>>> block. */
function followHeader(): Map<string, string> {
  const m = new Map<string, string>();
  for (const l of readFileSync(join(DIR, 'ndpi-checkmk.follow.txt'), 'utf8').split('\n')) {
    const r = /^(Version|AgentOS|Hostname|OnlyFrom): ?(.*)$/.exec(l);
    if (r !== null) m.set(r[1], r[2].trim());
  }
  return m;
}

test("checkmk.log: the agent's <<<check_mk>>> block as tshark follows the stream, its section names and bytes; no section contents", async () => {
  const ndpi = ndpiFlows(join(DIR, 'ndpi-checkmk.pcap.out'));
  assert.deepEqual(ndpi.map((f) => [f.app, f.bPort]), [['CHECKMK', 6556]]);
  const head = followHeader();
  const headers = readFileSync(join(DIR, 'ndpi-checkmk.sections.txt'), 'utf8').split('\n').filter((l) => l !== '');
  const names = [...new Set(headers.map((h) => /^<<<([^:>]+)/.exec(h)![1]))];
  const bytes = readFileSync(join(DIR, 'ndpi-checkmk.tshark.tsv'), 'utf8')
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => l.split('\t'))
    .filter((f) => f[1] === '6556')
    .reduce((n, f) => n + Number(f[3]), 0);
  const run = await runCaptures([PCAP]);
  try {
    assert.deepEqual(run.log('conn').map((c) => c.service), ['checkmk']);
    const [l] = run.log('checkmk');
    assert.deepEqual(
      [l.transport, l.version, l.agent_os, l.hostname, l.only_from, l.open_to_all],
      ['plain', head.get('Version'), head.get('AgentOS'), head.get('Hostname'), head.get('OnlyFrom') === '' ? undefined : head.get('OnlyFrom'), head.get('OnlyFrom') === ''],
    );
    assert.deepEqual([l.sections, l.section_count, l.bytes], [names, headers.length, bytes]);
    assert.equal(run.log('weird').length, 0);
    for (const file of filesUnder(run.outDir)) {
      const text = readFileSync(file, 'latin1');
      for (const c of CONTENTS) assert.ok(!text.includes(c), `${c} in ${file}`);
    }
  } finally {
    run.cleanup();
  }
});

test('the agent host is buildhost-9, Linux (weakly) with Checkmk agent 1.4.0p9; the site a monitoring server; plain agent output a finding', async () => {
  const { devices } = await runInventory([PCAP]);
  const agent = deviceWithIp(devices, '192.168.100.50')!;
  assert.ok(agent.hostnames.includes('buildhost-9'));
  assert.equal(agent.os?.family, 'Linux');
  assert.ok(agent.evidence.some((e) => e.fact === 'os' && e.source === 'checkmk.agent_os' && e.value === 'linux'));
  assert.ok(agent.software.includes('Checkmk agent 1.4.0p9'), agent.software.join());
  const site = deviceWithIp(devices, '192.168.100.22')!;
  assert.ok(site.evidence.some((e) => e.fact === 'role' && e.value === 'monitoring-server'));
  assert.equal(site.category, 'server');
  for (const d of devices) for (const c of CONTENTS) assert.ok(!JSON.stringify(d).includes(c));
  const a = await assessCaptures([PCAP]);
  try {
    const clear = a.result.findings.filter((f) => f.rule === 'cleartext-protocol');
    assert.deepEqual(clear.map((f) => `${f.device} ${f.title}`), ['ip:192.168.100.50 Clear-text Checkmk agent served on port 6556']);
    assert.ok(clear[0].remediation.startsWith('Register the agent with its site for TLS'), clear[0].remediation);
    assert.match(JSON.stringify(clear[0].evidence), /OnlyFrom is empty/);
  } finally {
    a.run.cleanup();
  }
});

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);

test('synthetic: the agent controller\'s "16" hands over to TLS, a legacy agent\'s digits are encrypted output, a client that speaks first is no agent', () => {
  const tls = feedAnalyzer(new CheckmkAnalyzer(), [
    { isOrig: false, bytes: enc('1') },
    { isOrig: false, bytes: enc('6') },
    { isOrig: true, bytes: Uint8Array.from([0x16, 0x03, 0x01, 0x00, 0x05, 1, 0, 0, 1, 0]) },
  ]);
  assert.deepEqual(tls.services, ['checkmk']);
  assert.deepEqual(tls.events.map((e) => e.type), ['checkmk.starttls', 'checkmk.session']);
  assert.deepEqual([tls.events[1].transport, tls.events[1].sections], ['tls', []]);
  const legacy = feedAnalyzer(new CheckmkAnalyzer(), [{ isOrig: false, bytes: Uint8Array.from([0x30, 0x35, 0x53, 0x41, 0x4c, 0x54, 0xfe, 0x01]) }]);
  assert.deepEqual([legacy.events[0].transport, legacy.events[0].bytes, legacy.events[0].version], ['encrypted', 8, undefined]);
  const talker = feedAnalyzer(new CheckmkAnalyzer(), [
    { isOrig: true, bytes: enc('GET / HTTP/1.0\r\n\r\n') },
    { isOrig: false, bytes: enc('<<<check_mk>>>\nVersion: 2.2.0\n') },
  ]);
  assert.deepEqual([talker.events, talker.services], [[], []]);
  // A Windows agent (CR LF lines) with an OnlyFrom list.
  const win = feedAnalyzer(new CheckmkAnalyzer(), [{ isOrig: false, bytes: enc('<<<check_mk>>>\r\nVersion: 2.2.0p12\r\nAgentOS: windows\r\nHostname: ris-gw\r\nOnlyFrom: 10.1.2.3/32\r\n<<<wmi_cpuload:sep(124)>>>\r\n[system_perf]\r\n') }]).events[0];
  assert.deepEqual([win.version, win.agent_os, win.hostname, win.only_from, win.open_to_all, win.sections], ['2.2.0p12', 'windows', 'ris-gw', '10.1.2.3/32', false, ['check_mk', 'wmi_cpuload']]);
});

test('probe(): the agent\'s <<<check_mk>>> line anywhere, its start or two digits only on 6556 and only from the responder', () => {
  const out = enc('<<<check_mk>>>\nVersion: 1.4.0p9\n');
  assert.equal(probe(out, 0, out.length, false, 6, 6556), PROBE_YES);
  assert.equal(probe(out, 0, out.length, false, 6, 7000), PROBE_YES);
  assert.equal(probe(out, 0, out.length, true, 6, 6556), PROBE_NO);
  assert.equal(probe(out, 0, 5, false, 6, 6556), PROBE_MAYBE);
  assert.equal(probe(out, 0, 5, false, 6, 7000), PROBE_NO);
  const sixteen = enc('16');
  assert.equal(probe(sixteen, 0, 2, false, 6, 6556), PROBE_MAYBE);
  assert.equal(probe(sixteen, 0, 2, false, 6, 7000), PROBE_NO);
  assert.equal(probe(enc('1x'), 0, 2, false, 6, 6556), PROBE_NO);
  assert.equal(probe(enc('<<<df>>>\n'), 0, 9, false, 6, 6556), PROBE_NO);
  assert.equal(probe(out, 0, out.length, false, 17, 6556), PROBE_NO);
});

test('parsers, and the analyzer survives truncated and mutated real output', async () => {
  assert.equal(sectionName('<<<lnx_if:sep(58)>>>'), 'lnx_if');
  assert.equal(sectionName('<<<<piggyback-host>>>>'), null);
  assert.equal(sectionName('<<<>>>'), null);
  assert.deepEqual(headerField('OnlyFrom: '), { key: 'OnlyFrom', value: '' });
  const flows = await flowBytes(PCAP);
  const seeds = flows.flatMap((f) => f.chunks.map((c) => c.bytes));
  assert.ok(seeds.length >= 20);
  fuzzParser(seeds, (b) => {
    feedAnalyzer(new CheckmkAnalyzer(), [{ isOrig: false, bytes: b }]);
  });
});
