// Zabbix on nDPI's captures (test/fixtures/ndpi/ndpi-zabbix.pcap): a passive check of proc.num[]
// and a Zabbix 6.2 agent's compressed active requests to its server. tshark 4.0 has no Zabbix
// dissector, so the expectations are tshark's TCP payloads decoded by zabbix-decode.py with
// Python's zlib and json (ndpi-zabbix.decoded.tsv), and ndpiReader 4.2's labels
// (ndpi-zabbix.pcap.out). No public capture has a Windows agent, a large (8-byte length) packet,
// ZBX_NOTSUPPORTED or a pre-4.0 server's headerless passive check: those cases are synthetic,
// laid out as the manual's "Zabbix protocols" page gives the header.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import { REPO_ROOT, filesUnder, runCaptures } from '../../testutil/corpus.js';
import { feedAnalyzer, flowBytes } from '../../testutil/flowbytes.js';
import { ndpiFlows } from '../../testutil/peers.js';
import { fuzzParser } from '../../testutil/fuzz.js';
import { testConn } from '../../testutil/conn.js';
import { PacketMeta } from '../../decode/packet.js';
import { deviceWithIp, runInventory, testKb } from '../../inventory/testutil.js';
import { Inventory } from '../../inventory/inventory.js';
import { assessCaptures } from '../../assess/testutil.js';
import { PROBE_MAYBE, PROBE_NO, PROBE_YES } from '../types.js';
import { ZabbixAnalyzer } from './analyzer.js';
import { messageLength, parseItemKey, parsePassiveAnswer } from './parse.js';
import { probe } from './probe.js';

const DIR = join(REPO_ROOT, 'test', 'fixtures', 'ndpi');
const PCAP = join(DIR, 'ndpi-zabbix.pcap');
/** Item values the capture carries (frame 6's answer; agent data of frames 43, 32 and 101): never logged. */
const VALUES = ['"263"', '10464022528', '86.929016', '2057551872', '10111     2967'];

interface Row {
  frame: number;
  stream: number;
  src: string;
  dst: string;
  flags: number;
  kind: string;
  request: string;
  response: string;
  host: string;
  version: string;
  items: string;
  keys: string[];
  text: string;
}

function decoded(): Row[] {
  return readFileSync(join(DIR, 'ndpi-zabbix.decoded.tsv'), 'utf8')
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => {
      const f = l.split('\t');
      return { frame: Number(f[0]), stream: Number(f[1]), src: f[2], dst: f[3], flags: Number(f[4]), kind: f[7], request: f[8], response: f[9], host: f[10], version: f[11], items: f[12], keys: JSON.parse(f[13]) as string[], text: f[14] };
    });
}

const port = (hp: string): number => Number(hp.slice(hp.lastIndexOf(':') + 1));

test('zabbix.log: each request and its answer as zabbix-decode.py reads them, conn.log zabbix on every flow, no item value', async () => {
  const rows = decoded();
  const ndpi = ndpiFlows(join(DIR, 'ndpi-zabbix.pcap.out'));
  // nDPI 4.2 knows only the passive check (flags 0x01), not the compressed flows.
  assert.deepEqual(ndpi.filter((f) => f.app === 'Zabbix').map((f) => f.bPort), [10050]);
  const run = await runCaptures([PCAP]);
  try {
    const conns = run.log('conn');
    assert.equal(conns.length, new Set(rows.map((r) => r.stream)).size);
    for (const c of conns) assert.equal(c.service, 'zabbix', String(c['id.orig_p']));
    const log = run.log('zabbix');
    const requests = rows.filter((r) => port(r.dst) === 10050 || port(r.dst) === 10051);
    assert.equal(log.length, requests.length);
    for (const q of requests) {
      const l = log.find((x) => x['id.orig_p'] === port(q.src))!;
      const a = rows.find((r) => r.stream === q.stream && r.src === q.dst);
      const what = `frame ${q.frame}`;
      if (q.kind === 'text') {
        assert.deepEqual([l.mode, l.request, l.agent_side, l.keys], ['passive', 'passive check', 'resp', [q.text]], what);
      } else {
        assert.deepEqual([l.mode, l.request, l.host, l.agent_side, l.agent_version], ['active', q.request, q.host, 'orig', q.version === '' ? undefined : q.version], what);
      }
      assert.equal(l.compressed, (q.flags & 2) !== 0 || (a !== undefined && (a.flags & 2) !== 0), what);
      if (a === undefined) {
        assert.equal(l.response, undefined, what);
        continue;
      }
      assert.equal(l.response, a.kind === 'text' ? 'value' : a.response, what);
      const items = q.items !== '' ? q.items : a.items;
      assert.equal(l.items, items === '' ? undefined : Number(items), what);
      // zabbix.log leaves an empty list out, as Zeek does.
      assert.deepEqual(l.keys ?? [], q.kind === 'text' ? [q.text] : a.keys.slice(0, 32), what);
    }
    assert.equal(run.log('weird').length, 0);
    for (const file of filesUnder(run.outDir)) {
      const text = readFileSync(file, 'latin1');
      for (const v of VALUES) assert.ok(!text.includes(v), `${v} in ${file}`);
    }
  } finally {
    run.cleanup();
  }
});

test('the agent is named by the host name it states and runs Zabbix agent 6.2; the pollers are monitoring servers; Zabbix in clear is a finding', async () => {
  const rows = decoded();
  const agentName = rows.find((r) => r.request === 'active checks')!.host;
  const { devices } = await runInventory([PCAP]);
  const agent = deviceWithIp(devices, '192.168.7.16')!;
  assert.ok(agent.hostnames.includes(agentName), agent.hostnames.join());
  assert.ok(agent.software.includes('Zabbix agent 6.2'), agent.software.join());
  for (const ip of ['192.168.7.17', '192.168.67.98']) {
    const d = deviceWithIp(devices, ip)!;
    assert.ok(d.evidence.some((e) => e.fact === 'role' && e.value === 'monitoring-server'), ip);
    assert.equal(d.category, 'server', ip);
  }
  const a = await assessCaptures([PCAP]);
  try {
    const clear = a.result.findings.filter((f) => f.rule === 'cleartext-protocol');
    assert.deepEqual(clear.map((f) => `${f.device} ${f.title}`).sort(), ['ip:192.168.67.25 Clear-text Zabbix served on port 10050', 'ip:192.168.7.17 Clear-text Zabbix served on port 10051']);
    for (const f of clear) assert.ok(f.remediation.startsWith('Encrypt Zabbix traffic with TLS'), f.remediation);
  } finally {
    a.run.cleanup();
  }
});

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);

/** A ZBXD message: `large` puts 8-byte lengths, `compress` zlib data with the raw length reserved. */
function zbxd(data: string, opts: { compress?: boolean; large?: boolean } = {}): Uint8Array {
  const raw = enc(data);
  const body = opts.compress === true ? new Uint8Array(deflateSync(raw)) : raw;
  const flags = 1 | (opts.compress === true ? 2 : 0) | (opts.large === true ? 4 : 0);
  const hl = opts.large === true ? 21 : 13;
  const b = new Uint8Array(hl + body.length);
  b.set(enc('ZBXD'), 0);
  b[4] = flags;
  const v = new DataView(b.buffer);
  v.setUint32(5, body.length, true);
  v.setUint32(opts.large === true ? 13 : 9, opts.compress === true ? raw.length : 0, true);
  b.set(body, hl);
  return b;
}

const UNAME = 'Windows WARD3-PACS 10.0.19045 Microsoft Windows 10 Pro x64';

test('synthetic: a Windows agent polled by a pre-4.0 server without the header, a large packet, ZBX_NOTSUPPORTED', () => {
  const out = feedAnalyzer(new ZabbixAnalyzer(), [
    { isOrig: true, bytes: enc('system.uname\n') },
    { isOrig: false, bytes: zbxd(UNAME, { large: true }) },
  ]);
  assert.deepEqual(out.services, ['zabbix']);
  assert.deepEqual(out.weirds, []);
  const t = out.events[0];
  assert.deepEqual([t.mode, t.request, t.agent_side, t.keys, t.headerless, t.large, t.response, t.system_uname], ['passive', 'passive check', 'resp', ['system.uname'], true, true, 'value', UNAME]);
  const ns = feedAnalyzer(new ZabbixAnalyzer(), [
    { isOrig: true, bytes: zbxd('vfs.fs.size[/,free]') },
    { isOrig: false, bytes: zbxd('ZBX_NOTSUPPORTED\0Unsupported item key.') },
  ]).events[0];
  assert.deepEqual([ns.response, ns.response_info, ns.keys], ['not supported', 'Unsupported item key.', ['vfs.fs.size[/,free]']]);
  // An older agent's agent data names its keys: identity values kept, others not.
  const data = JSON.stringify({ request: 'agent data', data: [{ host: 'lis-01', key: 'system.hostname', value: 'lis-01.lab.local', clock: 1 }, { host: 'lis-01', key: 'vfs.file.contents[/etc/secret]', value: 'TOPSECRET', clock: 1 }] });
  const ad = feedAnalyzer(new ZabbixAnalyzer(), [
    { isOrig: true, bytes: zbxd(data, { compress: true, large: true }) },
    { isOrig: false, bytes: zbxd('{"response":"success","info":"processed: 2; failed: 0; total: 2; seconds spent: 0.0001"}') },
  ]).events[0];
  assert.deepEqual([ad.host, ad.system_hostname, ad.keys, ad.items, ad.compressed, ad.large], ['lis-01', 'lis-01.lab.local', ['system.hostname', 'vfs.file.contents[/etc/secret]'], 2, true, true]);
  assert.ok(!JSON.stringify(ad).includes('TOPSECRET'));
  // Bad zlib data is a weird.
  const bad = zbxd('{"request":"agent data"}', { compress: true });
  bad[15] ^= 0xff;
  assert.deepEqual(feedAnalyzer(new ZabbixAnalyzer(), [{ isOrig: true, bytes: bad }]).weirds, ['zabbix.bad_compression']);
});

test("synthetic: the Windows agent's system.uname is a Windows 10 claim; its system.hostname names it; the poller is a monitoring server", () => {
  const out = feedAnalyzer(new ZabbixAnalyzer(), [
    { isOrig: true, bytes: zbxd('system.uname') },
    { isOrig: false, bytes: zbxd(UNAME) },
    { isOrig: true, bytes: zbxd('system.hostname') },
    { isOrig: false, bytes: zbxd('WARD3-PACS') },
    { isOrig: true, bytes: zbxd('agent.version') },
    { isOrig: false, bytes: zbxd('6.0.13') },
  ]);
  assert.equal(out.events.length, 3);
  const inv = new Inventory();
  for (const ev of out.events) inv.observeEvent(ev, testConn(6, 40000, 10050), new PacketMeta(), 'synthetic.pcap');
  const devices = inv.build(testKb());
  const agent = deviceWithIp(devices, '10.0.0.2')!;
  assert.deepEqual([agent.os?.family, agent.os?.version], ['Windows', '10.0.19045']);
  assert.ok(agent.hostnames.includes('WARD3-PACS'));
  assert.ok(agent.software.includes('Zabbix agent 6.0.13'), agent.software.join());
  assert.ok(deviceWithIp(devices, '10.0.0.1')!.evidence.some((e) => e.fact === 'role' && e.value === 'monitoring-server'));
});

test('probe(): ZBXD and known flags anywhere, its start on 10050/10051, nothing else', () => {
  const m = zbxd('agent.ping');
  assert.equal(probe(m, 0, m.length, true, 6, 10050), PROBE_YES);
  assert.equal(probe(m, 0, m.length, false, 6, 443), PROBE_YES);
  assert.equal(probe(m, 0, 5, true, 6, 8000), PROBE_YES);
  assert.equal(probe(m, 0, 3, true, 6, 10051), PROBE_MAYBE);
  assert.equal(probe(m, 0, 3, true, 6, 8000), PROBE_NO);
  const unknownFlag = Uint8Array.from(m);
  unknownFlag[4] = 0x09;
  assert.equal(probe(unknownFlag, 0, unknownFlag.length, true, 6, 10050), PROBE_NO);
  const noProtocolBit = Uint8Array.from(m);
  noProtocolBit[4] = 0x02;
  assert.equal(probe(noProtocolBit, 0, noProtocolBit.length, true, 6, 10050), PROBE_NO);
  const bare = enc('agent.version\n');
  assert.equal(probe(bare, 0, bare.length, true, 6, 10050), PROBE_NO);
  assert.equal(probe(m, 0, m.length, true, 17, 10050), PROBE_NO);
});

test('parsers: message length, item keys, passive answers; the analyzer survives truncated and mutated real messages', async () => {
  const m = zbxd('agent.ping');
  assert.equal(messageLength(m, 0, m.length), m.length);
  assert.equal(messageLength(m, 0, 12), 0);
  const large = zbxd('agent.ping', { large: true });
  assert.equal(messageLength(large, 0, 20), 0);
  assert.equal(messageLength(large, 0, large.length), large.length);
  large[12] = 1;
  assert.equal(messageLength(large, 0, large.length), -1);
  assert.equal(messageLength(enc('HTTP/1.1 200'), 0, 12), -1);
  assert.equal(parseItemKey('vfs.fs.size[/,free]\n'), 'vfs.fs.size[/,free]');
  assert.equal(parseItemKey('GET / HTTP/1.1'), null);
  assert.deepEqual(parsePassiveAnswer('ZBX_NOTSUPPORTED\0Cannot obtain file information.\0'), { supported: false, value: 'Cannot obtain file information.' });
  const flows = await flowBytes(PCAP);
  const seeds = flows.flatMap((f) => f.chunks.map((c) => c.bytes));
  assert.ok(seeds.length >= 40);
  fuzzParser(seeds, (b) => {
    feedAnalyzer(new ZabbixAnalyzer(), [
      { isOrig: true, bytes: b },
      { isOrig: false, bytes: b },
    ]);
    messageLength(b, 0, b.length);
  });
});
