// `wardline policy` on real captures: the rules allow exactly the answered conversations of the
// fenced devices, as Zeek's conn.log of the same capture states them (the icsnpp baselines);
// the nftables and iptables outputs load in the real tools' checkers (nft -c, iptables-restore
// --test) when they are installed (.ci/run installs them); --db gives what --from gives.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { corpus, haveCorpus, readZeekTsv, REPO_ROOT } from '../testutil/corpus.js';
import { answered, replied } from './conversations.js';
import { policyFromDir } from './index.js';
import { buildPolicy, routable, type Policy } from './policy.js';
import { POLICY_FORMATS, renderPolicy } from './render.js';
import type { Device } from '../report/model.js';

const skip = !haveCorpus() && 'shared corpus not present';
const CLI = join(REPO_ROOT, 'dist', 'wardline.mjs');

/** Captures with Zeek's conn.log for them (the icsnpp analyzers' btest baselines). */
const CASES: [string, string][] = [
  ['icsnpp-s7comm/tests/traces/snap7.pcap', 'icsnpp-s7comm/tests/baseline/analyzer.snap7/conn.log'],
  ['icsnpp-s7comm/tests/traces/s7comm_plus.pcap', 'icsnpp-s7comm/tests/baseline/analyzer.s7comm_plus/conn.log'],
  ['icsnpp-bacnet/testing/traces/bacnet_services.pcap', 'icsnpp-bacnet/testing/baseline/analyzer.services/conn.log'],
  ['icsnpp-bacnet/testing/traces/bacnet_example.pcap', 'icsnpp-bacnet/testing/baseline/analyzer.basic/conn.log'],
];

function cli(args: string[]): { code: number | null; out: string; err: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', maxBuffer: 64 << 20 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

function have(tool: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${tool}`]).status === 0;
}

/** "in|out <device id> <peer> <proto>/<port>" for every peer of every rule. */
function tuples(p: Policy): string[] {
  const out: string[] = [];
  for (const d of p.devices) for (const r of d.rules) for (const peer of r.peers) out.push(`${r.direction} ${d.id} ${peer} ${r.proto}/${r.port}`);
  return [...new Set(out)].sort();
}

for (const [capture, zeekConn] of CASES) {
  test(`policy --from: ${capture} allows exactly the answered conversations Zeek's conn.log states`, { skip }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wardline-policy-'));
    try {
      assert.equal(cli(['analyze', corpus(capture), '--out', dir, '--no-progress']).code, 0);
      const p = await policyFromDir(dir, { scope: 'all', maxPeers: 100_000 });
      assert.ok(p.devices.length > 0);
      const owner = new Map<string, string>();
      for (const d of p.devices) for (const ip of d.ips) owner.set(ip, d.id);
      const want = new Set<string>();
      for (const r of readZeekTsv(corpus(zeekConn))) {
        const port = Number(r['id.resp_p']);
        const orig = r['id.orig_h'];
        const resp = r['id.resp_h'];
        if (!answered(r.proto, replied(r.proto, r.history === '-' ? '' : r.history, Number(r.resp_pkts)), port)) continue;
        if (!routable(orig) || !routable(resp) || orig === resp) continue;
        if (owner.has(resp)) want.add(`in ${owner.get(resp)} ${orig} ${r.proto}/${port}`);
        if (owner.has(orig)) want.add(`out ${owner.get(orig)} ${resp} ${r.proto}/${port}`);
      }
      assert.ok(want.size > 0, 'the capture has answered conversations between devices');
      assert.deepEqual(tuples(p), [...want].sort());
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
}

test('policy: every format renders; nftables and iptables pass their own checkers', { skip }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'wardline-policy-'));
  try {
    const caps = CASES.map(([c]) => corpus(c));
    assert.equal(cli(['analyze', ...caps, corpus('tapirx/HL7-ORM.pcap'), '--out', dir, '--no-progress']).code, 0);
    const p = await policyFromDir(dir, { scope: 'all' });
    for (const f of POLICY_FORMATS) {
      const text = renderPolicy(p, f);
      assert.equal(renderPolicy(p, f), text, `${f} is deterministic`);
      for (const d of p.devices) assert.ok(text.includes(d.ips[0]), `${f} names ${d.ips[0]}`);
      // Every rule cites the conn.log record of its first conversation.
      for (const d of p.devices) for (const r of d.rules) assert.match(r.where, /^conn\.log uid C\w+$/);
      writeFileSync(join(dir, `policy.${f}`), text);
    }
    if (have('nft')) {
      const r = spawnSync('nft', ['-c', '-f', join(dir, 'policy.nftables')], { encoding: 'utf8' });
      assert.equal(r.status, 0, r.stderr);
    }
    if (have('iptables-restore')) {
      const r = spawnSync('iptables-restore', ['--test', '--noflush', join(dir, 'policy.iptables')], { encoding: 'utf8' });
      assert.equal(r.status, 0, r.stderr);
    }
    // The CLI writes what the library renders.
    const out = cli(['policy', '--from', dir, '--scope', 'all', '--format', 'cisco']);
    assert.equal(out.code, 0, out.err);
    assert.equal(out.out, readFileSync(join(dir, 'policy.cisco'), 'utf8'));
    assert.match(out.err, /^wardline: policy for \d+ devices?, \d+ allow rules?/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('policy --db gives the rules --from gives, from the conversations analyze --db kept', { skip }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'wardline-policy-'));
  try {
    const caps = CASES.map(([c]) => corpus(c));
    const db = join(dir, 'store.db');
    assert.equal(cli(['analyze', ...caps, '--out', dir, '--no-progress', '--db', db]).code, 0);
    const strip = (s: string) => s.split('\n').filter((l) => !/^\s*#/.test(l)).join('\n');
    const fromDir = cli(['policy', '--from', dir, '--scope', 'all']);
    const fromDb = cli(['policy', '--db', db, '--scope', 'all']);
    assert.equal(fromDb.code, 0, fromDb.err);
    assert.equal(strip(fromDb.out), strip(fromDir.out));
    // The store cites capture packets where conn.log cites uids.
    assert.match(fromDb.out, /first: \S+\.pcap packet \d+/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('policy: usage errors exit 2 with a message', () => {
  assert.equal(cli(['policy']).code, 2);
  assert.equal(cli(['policy', '--from', '/nonexistent-dir']).code, 2);
  assert.match(cli(['policy', '--from', '/nonexistent-dir']).err, /report\.json: not found/);
  assert.equal(cli(['policy', '--from', '/tmp', '--format', 'pf']).code, 2);
  assert.equal(cli(['policy', '--from', '/tmp', '--db', 'x.db']).code, 2);
});

// Synthetic: the policy's own choices (scope, the peer limit, addresses no firewall routes).
test('buildPolicy(): scope, peers over the limit, loopback and multicast', () => {
  const dev = (id: string, ip: string, category: string, medical = false): Device => ({ id, mac: null, ips: [ip], hostnames: [], vendor: null, model: null, category, medical, os: null, software: [], services: [], protocols: [], risk: { score: 0, level: 'low', factors: [] }, evidence: [] }) as Device;
  const devices = [dev('pump', '10.1.0.5', 'infusion_pump', true), dev('cam', '10.2.0.7', 'camera'), dev('pc', '10.3.0.9', 'workstation')];
  const conv = (orig: string, resp: string, port: number, proto = 'tcp') => ({ orig, resp, proto, port, service: '', count: 1, first_ts: 1, last_ts: 2, where: 'x' });
  const convs = [conv('10.3.0.9', '10.1.0.5', 443), conv('10.1.0.5', '239.255.255.250', 1900, 'udp'), conv('127.0.0.1', '10.1.0.5', 80), ...Array.from({ length: 5 }, (_, i) => conv('10.2.0.7', `203.0.113.${i + 1}`, 443))];
  const m = buildPolicy(devices, convs, { source: 't', scope: 'medical' });
  assert.deepEqual(m.devices.map((d) => d.id), ['pump']);
  assert.deepEqual(m.devices[0].rules.map((r) => [r.direction, r.port, r.peers]), [['in', 443, ['10.3.0.9']]]);
  const all = buildPolicy(devices, convs, { source: 't', scope: 'medical-iot', maxPeers: 3 });
  const cam = all.devices.find((d) => d.id === 'cam')!;
  assert.deepEqual(cam.rules.map((r) => [r.direction, r.port, r.anyPeer, r.peerCount, r.peers.length]), [['out', 443, true, 5, 0]]);
  assert.match(renderPolicy(all, 'nftables'), /\n {4}tcp dport 443 accept/);
  assert.ok(!all.devices.some((d) => d.id === 'pc'));
});

test('policy --device fences only the devices named, whatever their category', { skip }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'wardline-policy-'));
  try {
    assert.equal(cli(['analyze', corpus('icsnpp-s7comm/tests/traces/snap7.pcap'), '--out', dir, '--no-progress']).code, 0);
    // tshark: the S7 client 134.217.61.131 connects to the PLC 134.217.61.211 on tcp/102.
    const r = cli(['policy', '--from', dir, '--device', '134.217.61.211', '--format', 'iptables']);
    assert.equal(r.code, 0, r.err);
    assert.match(r.err, /policy for 1 device, 1 allow rule/);
    assert.match(r.out, /^-A WL-IN-1 -s 134\.217\.61\.131\/32 -p tcp -m tcp --dport 102 /m);
    assert.ok(!r.out.includes('WL-IN-2'));
    assert.match(r.out, /scope: the devices asked for \(134\.217\.61\.211\)/);
    const none = cli(['policy', '--from', dir, '--device', '10.9.9.9']);
    assert.equal(none.code, 2);
    assert.match(none.err, /no device is 10\.9\.9\.9/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('policy: Internet clients of a fenced device are not allowed in, and the header says which (generated: a PACS answering the Internet)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'wardline-policy-'));
  try {
    const pcap = join(REPO_ROOT, 'test', 'fixtures', 'generated', 'generated-internet-exposure.pcap');
    assert.equal(cli(['analyze', pcap, '--out', dir, '--no-progress']).code, 0);
    const p = await policyFromDir(dir, {});
    const pacs = p.devices.find((d) => d.ips.includes('10.98.0.10'))!;
    // Its own fetch from the Internet host stays allowed (outbound); nothing inbound is.
    assert.deepEqual(pacs.rules.map((r) => [r.direction, r.proto, r.port, r.peers]), [['out', 'tcp', 8080, ['185.220.101.7']]]);
    assert.deepEqual(
      p.refusedInbound.map((r) => [r.device === pacs.id, r.proto, r.port, r.service, r.peers, r.count]),
      [
        [true, 'tcp', 22, 'ssh', 1, 1],
        [true, 'tcp', 104, 'dicom', 1, 1],
        [true, 'udp', 161, 'snmp', 1, 1],
      ],
    );
    const text = renderPolicy(p, 'nftables');
    assert.match(text, /^# Not allowed: tcp\/104 dicom of mac:[0-9a-f:]+ from 1 Internet address \(1 connection; the internet-exposure finding\)/m);
    // The site's own range: allowed as seen.
    const own = await policyFromDir(dir, { localNets: ['10.0.0.0/8', '185.220.101.0/24'] });
    assert.deepEqual(own.refusedInbound, []);
    assert.deepEqual(own.devices.find((d) => d.ips.includes('10.98.0.10'))!.rules.filter((r) => r.direction === 'in').map((r) => r.port), [22, 104, 161]);
    const bad = cli(['policy', '--from', dir, '--local-nets', '10.0.0.0/33']);
    assert.equal(bad.code, 2);
    assert.match(bad.err, /--local-nets/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('policy: FTP data channels and SIP media are left to the firewall helpers of the allowed FTP and SIP sessions', { skip }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'wardline-policy-'));
  try {
    // Zeek's retr.pcap: 141.142.228.5 logs in to 141.142.192.162:21 and RETRs a file over a
    // passive data channel to port 38141 (tshark's conversations). nDPI's fax call: the phones'
    // SIP on udp/5060 and the RTP its SDP announced (10.35.60.100:15580 <-> 10.23.1.52:16756).
    // (Two analyses: one of both captures would take the FTP hosts' public addresses for remote ones.)
    const one = async (capture: string, sub: string): Promise<Policy> => {
      assert.equal(cli(['analyze', capture, '--out', join(dir, sub), '--no-progress']).code, 0);
      return policyFromDir(join(dir, sub), { scope: 'all' });
    };
    const pf = await one(corpus('zeek', 'traces', 'ftp', 'retr.pcap'), 'ftp');
    const p = await one(corpus('ndpi', 'pcap', 'FAX-Call-t38-CA-TDM-SIP-FB-1.pcap'), 'fax');
    p.devices.push(...pf.devices);
    const ftp = p.devices.find((d) => d.ips.includes('141.142.192.162'))!;
    assert.deepEqual(ftp.rules.map((r) => [r.direction, r.proto, r.port, r.service]), [['in', 'tcp', 21, 'ftp']]);
    assert.deepEqual(ftp.helpers, [{ helper: 'ftp', direction: 'in', proto: 'tcp', port: 21 }]);
    assert.deepEqual(ftp.channelRules.map((r) => [r.port, r.service]), [[38141, 'ftp-data']]);
    const phone = p.devices.find((d) => d.ips.includes('10.35.60.100'))!;
    assert.ok(phone.helpers.some((h) => h.helper === 'sip' && h.port === 5060));
    assert.ok(!phone.rules.some((r) => r.service.includes('rtp')));
    assert.deepEqual(phone.channelRules.map((r) => [r.direction, r.port, r.service]), [['out', 16756, 'rtp']]);
    const nft = renderPolicy(p, 'nftables');
    assert.match(nft, /ct helper wl-ftp-tcp-21 \{\n {4}type "ftp" protocol tcp;/);
    assert.match(nft, /ip daddr 141\.142\.192\.162 tcp dport 21 ct helper set "wl-ftp-tcp-21"/);
    // The phone's RTP and the FTP server's data channel have no port rule (the Cisco gateway at
    // 10.23.1.52, which speaks no SIP itself, keeps its RTP rule as seen).
    assert.ok(!/ip daddr 10\.23\.1\.52 udp dport 16756|dport 38141/.test(nft));
    const ipt = renderPolicy(p, 'iptables');
    assert.match(ipt, /^-A WL-HELPERS -d 10\.35\.60\.100\/32 -p udp -m udp --dport 5060 .* -j CT --helper sip$/m);
    // Stateless ACLs cannot follow the negotiation: the channels seen stay as rules.
    assert.match(renderPolicy(p, 'cisco'), / permit tcp host 141\.142\.192\.162 eq 38141 host 141\.142\.228\.5/);
    writeFileSync(join(dir, 'p.nft'), nft);
    writeFileSync(join(dir, 'p.ipt'), ipt);
    if (have('nft')) {
      const r = spawnSync('nft', ['-c', '-f', join(dir, 'p.nft')], { encoding: 'utf8' });
      assert.equal(r.status, 0, r.stderr);
    }
    if (have('iptables-restore')) {
      const r = spawnSync('iptables-restore', ['--test', '--noflush', join(dir, 'p.ipt')], { encoding: 'utf8' });
      assert.equal(r.status, 0, r.stderr);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("policy: encrypted DNS to outside resolvers is not allowed out, and the header says which (nDPI's Android phone with Private DNS to dns.google)", { skip }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'wardline-policy-'));
  try {
    assert.equal(cli(['analyze', corpus('ndpi', 'pcap', 'googledns_android10.pcap'), '--out', dir, '--no-progress']).code, 0);
    const p = await policyFromDir(dir, { scope: 'all' });
    // nDPI: five TCP flows from 192.168.1.159 to 8.8.4.4 and 8.8.8.8 on port 853 (DoH_DoT).
    const phone = p.devices.find((d) => d.ips.includes('192.168.1.159'))!;
    assert.ok(!phone.rules.some((r) => r.port === 853), 'no allow rule for port 853');
    assert.deepEqual(p.refusedEncryptedDns.map((r) => [r.device === phone.id, r.proto, r.port, r.service, r.peers]), [[true, 'tcp', 853, 'ssl', 2]]);
    assert.match(renderPolicy(p, 'iptables'), /^# Not allowed: encrypted DNS, tcp\/853 ssl from \S+ to 2 Internet resolvers \(\d+ connections; the encrypted-dns finding\)/m);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("policy: DNS over QUIC on a draft port is not allowed out either (nDPI's extract of a DoQ flow to AdGuard on UDP 784)", async () => {
  // test/fixtures/ndpi/ndpi-quic.pcap: nDPI labels 192.168.12.169 → 94.140.14.14:784 QUIC.DoH_DoT (ALPN doq-i02).
  const dir = mkdtempSync(join(tmpdir(), 'wardline-policy-'));
  try {
    assert.equal(cli(['analyze', join(REPO_ROOT, 'test', 'fixtures', 'ndpi', 'ndpi-quic.pcap'), '--out', dir, '--no-progress']).code, 0);
    const p = await policyFromDir(dir, { scope: 'all' });
    const client = p.devices.find((d) => d.ips.includes('192.168.12.169'))!;
    assert.ok(!client.rules.some((r) => r.port === 784), 'no allow rule for udp/784');
    assert.deepEqual(
      p.refusedEncryptedDns.map((r) => [r.device === client.id, r.proto, r.port, r.service, r.peers]),
      [[true, 'udp', 784, 'quic,ssl', 1]],
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
