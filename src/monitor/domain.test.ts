// domain-attack: DCSync on the generated capture of a real impacket secretsdump against a Samba 4.17
// AD DC (test/fixtures/generated/README.md), and synthetic dce_rpc.call events for what no capture
// holds (DC-to-DC replication, PetitPotam, printer bug, PrintNightmare: Samba serves none of them).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { DomainAttackDetector } from './domain.js';
import { connView, detectorContext } from './detector.testutil.js';
import { Monitor } from './monitor.js';
import { testConn } from '../testutil/conn.js';
import { REPO_ROOT, corpus, haveCorpus, runCaptures } from '../testutil/corpus.js';
import { PacketMeta } from '../decode/packet.js';
import type { Conn } from '../flow/conn.js';

const GENERATED = resolve(REPO_ROOT, 'test/fixtures/generated/generated-dcsync-samba.pcap');
const PROTO_TCP = 6;

/** A TCP connection a.b.c.<src> → a.b.c.<dst> in 10.0.0.0/24. */
function conn(src: number, dst: number): Conn {
  const c = testConn(PROTO_TCP, 50000, 49153);
  c.store.addr.set([0, 0, 0xffff, 0x0a000000 + src, 0, 0, 0xffff, 0x0a000000 + dst], 0);
  return c;
}

function call(d: DomainAttackDetector, c: Conn, endpoint: string, operation: string, ts: number, packet: number): void {
  const m = new PacketMeta();
  m.ts = ts;
  m.packetNo = packet;
  d.onEvent({ type: 'dce_rpc.call', tsSec: ts, tsNsec: 0, endpoint, operation, uuid: '', opnum: 0, packet }, c, m);
}

test('impacket secretsdump against Samba raises one critical DCSync alert naming the operation and T1003.006', async () => {
  const mon = new Monitor({});
  const run = await runCaptures([GENERATED], undefined, { onEvent: mon.onEvent, onConn: mon.onConn });
  // tshark 4.0.17 shows the DsGetNCChanges request in frame 67 and its response in 68 (README); the evidence cites the request.
  assert.ok(run.log('dce_rpc').some((r) => r.endpoint === 'drsuapi' && r.operation === 'DRSGetNCChanges'));
  const alerts = mon.finish().filter((a) => a.rule === 'domain-attack');
  assert.equal(alerts.length, 1);
  const a = alerts[0];
  assert.equal(a.severity, 'critical');
  assert.equal(a.device, 'ip:10.99.0.10');
  assert.equal(a.peer, '10.99.0.2');
  assert.match(a.why, /DCSync .*T1003\.006.*drsuapi DRSGetNCChanges/);
  assert.deepEqual(a.evidence.map((e) => [e.value, e.packet]), [['drsuapi DRSGetNCChanges', 67]]);
});

test('replication from a host that answered Kerberos (a DC) raises nothing, even when the proof comes later', () => {
  const { ctx, alerts } = detectorContext();
  const d = new DomainAttackDetector(ctx);
  call(d, conn(3, 2), 'drsuapi', 'DRSGetNCChanges', 1000, 10);
  d.onConn(connView('10.0.0.9', '10.0.0.3', { rPort: 88, service: 'krb', start: 1001, end: 1002, packet: 11 }));
  d.resolve(1003);
  d.resolve(1004, true);
  assert.equal(alerts.length, 0);
  assert.equal(d.pendingCount(), 0);
  // The same call from a host proven nothing waits, then raises once the wait is over.
  call(d, conn(7, 2), 'drsuapi', 'DRSGetNCChanges', 2000, 20);
  call(d, conn(7, 2), 'drsuapi', 'DRSGetNCChanges', 2001, 21);
  d.resolve(2010);
  assert.equal(alerts.length, 0);
  d.resolve(2001 + ctx.cfg.domainProofWaitSecs + 1);
  assert.equal(alerts.length, 1);
  assert.equal(alerts[0].count, 2);
  assert.equal(alerts[0].device, 'ip:10.0.0.7');
});

test('a NetBIOS <1C> registration or a DC browser announcement proves a DC', () => {
  const { ctx, alerts } = detectorContext();
  const d = new DomainAttackDetector(ctx);
  const m = new PacketMeta();
  d.onEvent({ type: 'nbns.name', opcode_name: 'netbios-registration', is_response: false, group: true, suffix: 0x1c, name: 'WARD', host: '10.0.0.4' }, null, m);
  d.onEvent({ type: 'netbios.datagram', host: '10.0.0.5', server_type: 0x0000_0008 }, null, m);
  call(d, conn(4, 2), 'drsuapi', 'DRSGetNCChanges', 1000, 1);
  call(d, conn(5, 2), 'drsuapi', 'DRSGetNCChanges', 1000, 2);
  d.resolve(1001, true);
  assert.equal(alerts.length, 0);
});

/** Synthetic: no capture holds PetitPotam; the events are what the dce_rpc analyzer emits for efsrpc calls. */
test('PetitPotam against a DC raises high with T1187, one alert per source/target/technique', () => {
  const { ctx, alerts } = detectorContext();
  const d = new DomainAttackDetector(ctx);
  call(d, conn(8, 2), 'netlogon', 'NetrServerReqChallenge', 999, 1);
  call(d, conn(7, 2), 'efsrpc', 'EfsRpcOpenFileRaw', 1000, 5);
  call(d, conn(7, 2), 'efsrpc', 'EfsRpcEncryptFileSrv', 1001, 7);
  assert.equal(alerts.length, 1);
  assert.equal(alerts[0].severity, 'high');
  assert.match(alerts[0].why, /PetitPotam.*T1187.*efsrpc EfsRpcOpenFileRaw, efsrpc EfsRpcEncryptFileSrv on domain controller 10\.0\.0\.2/);
  assert.deepEqual(alerts[0].evidence.map((e) => e.packet), [5, 7]);
  // Printer-bug coercion of the same DC by the same source is another technique: another alert.
  call(d, conn(7, 2), 'spoolss', 'RpcRemoteFindFirstPrinterChangeNotificationEx', 1002, 9);
  assert.equal(alerts.length, 2);
  assert.match(alerts[1].why, /printer-bug.*T1187/);
});

test('change notifications to a print server that is no DC raise nothing; EFS calls to an unknown host neither', () => {
  const { ctx, alerts } = detectorContext();
  const d = new DomainAttackDetector(ctx);
  call(d, conn(7, 20), 'spoolss', 'RpcRemoteFindFirstPrinterChangeNotificationEx', 1000, 1);
  call(d, conn(7, 21), 'efsrpc', 'EfsRpcEncryptFileSrv', 1000, 2);
  d.resolve(1001, true);
  assert.equal(alerts.length, 0);
});

/** Synthetic: no capture holds PrintNightmare (MS-RPRN / MS-PAR driver installs). */
test('PrintNightmare driver installs raise critical against any target', () => {
  const { ctx, alerts } = detectorContext();
  const d = new DomainAttackDetector(ctx);
  call(d, conn(7, 30), 'spoolss', 'RpcAddPrinterDriverEx', 1000, 1);
  call(d, conn(7, 31), 'IRemoteWinspool', 'RpcAsyncAddPrinterDriver', 1000, 2);
  assert.equal(alerts.length, 2);
  for (const a of alerts) {
    assert.equal(a.severity, 'critical');
    assert.match(a.why, /PrintNightmare.*CVE-2021-34527/);
  }
});

test('state stays bounded: proofs and waiting calls', () => {
  const { ctx } = detectorContext({ maxSources: 4, maxPending: 3 });
  const d = new DomainAttackDetector(ctx);
  for (let i = 0; i < 10; i++) d.onConn(connView(`10.0.0.1`, `10.0.1.${i}`, { rPort: 88, start: i, end: i, packet: i }));
  assert.equal(d.size(), 4);
  for (let i = 0; i < 10; i++) call(d, conn(100 + i, 2), 'drsuapi', 'DRSGetNCChanges', 1000, i);
  assert.equal(d.pendingCount(), 3);
  assert.equal(d.droppedPending, 7);
});

test('Kerberoasting: RC4 service tickets for eleven services in a second raise one high alert on the requester (generated: MIT kvno against an MIT KDC)', async () => {
  // test/fixtures/generated/README.md: alice's TGT, then kvno for eleven SPNs whose keys are
  // arcfour-hmac only; tshark shows eleven TGS-REP, each ticket etype 23 (rc4-hmac).
  const mon = new Monitor({});
  const run = await runCaptures([resolve(REPO_ROOT, 'test/fixtures/generated/generated-kerberoast-mit.pcap')], undefined, { onEvent: mon.onEvent, onConn: mon.onConn });
  const tgs = run.log('kerberos').filter((r) => r.request_type === 'TGS');
  assert.equal(tgs.length, 11);
  assert.ok(tgs.every((r) => r.cipher === 'rc4-hmac' && r.success === true));
  const alerts = mon.finish().filter((a) => a.rule === 'domain-attack');
  assert.equal(alerts.length, 1);
  assert.equal(alerts[0].severity, 'high');
  assert.equal(alerts[0].device, 'ip:127.0.0.1');
  assert.match(alerts[0].why, /Kerberoasting .*T1558\.003.*service tickets for 11 different services .*MSSQLSvc\/db1\.ward\.test:1433/);
  assert.equal(alerts[0].evidence.length, 5);
  assert.ok(alerts[0].evidence.every((e) => e.source === 'kerberos.cipher' && e.packet > 0));
});

test('a Windows XP logon asking a 2003 DC for five RC4 service tickets is not Kerberoasting (nDPI kerberos-login.pcap)', { skip: !haveCorpus() }, async () => {
  // tshark: TGS-REQs from 10.5.3.2 for ldap, cifs and host principals, answered with rc4-hmac tickets.
  const mon = new Monitor({});
  const run = await runCaptures([corpus('ndpi/pcap/kerberos-login.pcap')], undefined, { onEvent: mon.onEvent, onConn: mon.onConn });
  assert.ok(run.log('kerberos').filter((r) => r.request_type === 'TGS' && r.cipher === 'rc4-hmac').length >= 5);
  assert.deepEqual(mon.finish().filter((a) => a.rule === 'domain-attack'), []);
});
