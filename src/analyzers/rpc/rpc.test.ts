// ONC RPC on a real capture: nDPI's NFS test capture (test/fixtures/ndpi/ndpi-nfs.pcap, taken
// from the benchmark's merge of nDPI's captures; the README there has the commands): a Linux
// client "werrmsche" asking the portmapper for mountd and nfsd, mounting
// /home/girlich/export over MOUNT v1 and v3, and working on it over NFS v2 and v3, all over UDP.
// ndpiReader 4.2 labels its 15 flows NFS (ndpi-nfs.pcap.out); every call's program, version,
// procedure, credential, machine name, uid, mount path and portmapper question is tshark 4.0's
// decode of the same packets (ndpi-nfs.tshark.tsv, ndpi-nfs.uaddr.tsv). NFS over TCP, NFSv4,
// Kerberos credentials and EXPORT listings are in no capture here: synthetic, said at each test.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT, runCaptures } from '../../testutil/corpus.js';
import { ndpiFlows } from '../../testutil/peers.js';
import { fuzzParser } from '../../testutil/fuzz.js';
import { tcpConversationFrames, writePcap } from '../../testutil/pcapwriter.js';
import { PROBE_CERTAIN, PROBE_NO } from '../types.js';
import { PROGRAMS, parseCall, parseCompound, parseReply, procedureName } from './parse.js';
import { probe } from './probe.js';

const DIR = join(REPO_ROOT, 'test', 'fixtures', 'ndpi');
const PCAP = join(DIR, 'ndpi-nfs.pcap');

const rows = (name: string): string[][] =>
  readFileSync(join(DIR, name), 'utf8')
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => l.split('\t'));
const first = (v: string): string => v.split(',')[0];

test('conn.log names every flow nDPI labels NFS; rpc.log has each flow\'s calls as tshark decodes them', async () => {
  const ndpi = ndpiFlows(join(DIR, 'ndpi-nfs.pcap.out'));
  assert.equal(ndpi.length, 15);
  const run = await runCaptures([PCAP]);
  try {
    for (const f of ndpi) {
      assert.equal(f.app, 'NFS');
      const c = run.conns.find((x) => x.oPort === f.aPort && x.rPort === f.bPort)!;
      // nDPI calls the portmapper and mountd flows NFS too; conn.log names the program (Zeek's names).
      assert.equal(c.service, f.bPort === 111 ? 'portmapper' : f.bPort === 1048 ? 'mount' : 'nfs', f.line);
    }
    const log = run.log('rpc');
    assert.equal(log.length, 15);
    const calls = rows('ndpi-nfs.tshark.tsv');
    assert.equal(calls.length, 142);
    for (const l of log) {
      const mine = calls.filter((r) => Number(r[0]) === l['id.orig_p'] && Number(r[1]) === l['id.resp_p']);
      assert.equal(l.calls, mine.length);
      assert.equal(l.replies, mine.length, 'every call answered');
      assert.equal(String(l.program_number), first(mine[0][2]));
      assert.deepEqual(l.versions, [...new Set(mine.map((r) => Number(first(r[3]))))]);
      const procs = [...new Set(mine.map((r) => procedureName(Number(first(r[2])), Number(first(r[3])), Number(r[4]))))];
      assert.deepEqual(l.procedures, procs, String(l.uid));
      const flavors = [...new Set(mine.map((r) => first(r[5])))].map((f) => ({ '0': 'none', '1': 'sys' })[f]);
      assert.deepEqual(l.auth, flavors);
      const sys = mine.find((r) => first(r[5]) === '1');
      assert.equal(l.machine_name, sys?.[6] || undefined);
      assert.equal(l.auth_uid, sys === undefined ? undefined : Number(sys[7]));
      const paths = [...new Set(mine.map((r) => r[8]).filter((p) => p !== ''))];
      assert.deepEqual(l.mount_paths ?? [], paths);
    }
    // The portmapper's answers (rpcbind universal addresses: 139.25.22.102.4.24 is port 1048,
    // …8.1 port 2049) to GETADDR for the programs tshark shows asked for.
    const uaddr = new Map(rows('ndpi-nfs.uaddr.tsv').map(([port, u]) => [Number(port), u]));
    for (const l of log.filter((x) => x.program === 'portmapper')) {
      const q = calls.find((r) => Number(r[0]) === l['id.orig_p'])!;
      const u = uaddr.get(Number(l['id.orig_p']))!.split('.').map(Number);
      assert.deepEqual(l.portmap, [`${PROGRAMS[Number(q[9])]} v${q[10]} -> ${u[4] * 256 + u[5]}`]);
    }
    // MOUNT v3's answer lists the flavors the export accepts (tshark: "Auth Flavors: 1, AUTH_UNIX").
    assert.deepEqual(log.find((l) => l.program === 'mount' && (l.versions as number[])[0] === 3 && (l.mount_paths as string[] | undefined)?.length)!.server_flavors, ['sys']);
    // tshark: the v2 and v3 sessions each see NFS2ERR_NOENT / NFS3ERR_NOENT answers to LOOKUPs.
    for (const l of log.filter((x) => x.program === 'nfs' && (x.calls as number) > 1)) assert.deepEqual(l.errors, ['NOENT']);
  } finally {
    run.cleanup();
  }
});

/** XDR helpers for the synthetic messages. */
const w32 = (n: number): number[] => [(n >>> 24) & 255, (n >>> 16) & 255, (n >>> 8) & 255, n & 255];
const xstr = (s: string): number[] => {
  const b = [...w32(s.length), ...Buffer.from(s, 'latin1')];
  while (b.length % 4 !== 0) b.push(0);
  return b;
};
const authSys = (name: string, uid: number, gid: number): number[] => {
  const body = [...w32(0x5f5e100), ...xstr(name), ...w32(uid), ...w32(gid), ...w32(0)];
  return [...w32(1), ...w32(body.length), ...body];
};
const call = (xid: number, prog: number, vers: number, proc: number, cred: number[], args: number[]): number[] => [...w32(xid), ...w32(0), ...w32(2), ...w32(prog), ...w32(vers), ...w32(proc), ...cred, ...w32(0), ...w32(0), ...args];
const reply = (xid: number, results: number[]): number[] => [...w32(xid), ...w32(1), ...w32(0), ...w32(0), ...w32(0), ...w32(0), ...results];
const record = (m: number[]): Uint8Array => Uint8Array.from([...w32(0x80000000 | m.length), ...m]);

test('NFSv4.1 over TCP: record marking, the compound\'s operations and the client owner, RPCSEC_GSS with privacy (synthetic: no NFS-over-TCP capture here)', async () => {
  // EXCHANGE_ID (op 42): verifier, then the owner Linux writes, "Linux NFSv4.1 ward3-pacs".
  const exchange = [...xstr(''), ...w32(1), ...w32(1), ...w32(42), 0, 0, 0, 0, 0, 0, 0, 1, ...xstr('Linux NFSv4.1 ward3-pacs')];
  // SEQUENCE (53, 32 bytes of arguments) then PUTROOTFH (24), under RPCSEC_GSS, service privacy.
  const gss = [...w32(6), ...w32(20), ...w32(1), ...w32(0), ...w32(7), ...w32(3), ...w32(0)];
  const seq = [...xstr('t'), ...w32(1), ...w32(2), ...w32(53), ...new Array(32).fill(0), ...w32(24)];
  const turns = [
    { isOrig: true, bytes: record(call(1, 100003, 4, 1, authSys('ward3-pacs', 1000, 1000), exchange)) },
    { isOrig: false, bytes: record(reply(1, [...w32(0)])) },
    { isOrig: true, bytes: record(call(2, 100003, 4, 1, gss, seq)) },
    { isOrig: false, bytes: record(reply(2, [...w32(13)])) },
  ];
  // The second call arrives cut in two segments.
  const cut = turns[2].bytes;
  turns.splice(2, 1, { isOrig: true, bytes: cut.subarray(0, 10) }, { isOrig: true, bytes: cut.subarray(10) });
  const pcap = writePcap(tcpConversationFrames({ client: '10.1.1.5', server: '10.1.1.9', cport: 801, sport: 2049, t0: 1000, turns }));
  const run = await runCaptures([pcap]);
  try {
    assert.equal(run.conns[0].service, 'nfs');
    const [l] = run.log('rpc');
    assert.deepEqual([l.versions, l.nfs4_minor, l.client_owner, l.machine_name, l.gss_service], [[4], 1, 'Linux NFSv4.1 ward3-pacs', 'ward3-pacs', 'privacy']);
    assert.deepEqual(l.procedures, ['COMPOUND', 'EXCHANGE_ID', 'PUTROOTFH']);
    assert.deepEqual(l.auth, ['sys', 'gss']);
    assert.deepEqual(l.errors, ['ACCES']);
  } finally {
    run.cleanup();
  }
});

test('MOUNT EXPORT answers list the exports; refusals are named (synthetic)', async () => {
  // showmount -e: /srv/pacs to the group "imaging", /srv/scratch to everyone.
  const exports = [...w32(1), ...xstr('/srv/pacs'), ...w32(1), ...xstr('imaging'), ...w32(0), ...w32(1), ...xstr('/srv/scratch'), ...w32(0), ...w32(0)];
  const denied = [...w32(9), ...w32(1), ...w32(1), ...w32(1), ...w32(5)]; // MSG_DENIED, AUTH_ERROR, AUTH_TOOWEAK
  const turns = [
    { isOrig: true, bytes: record(call(7, 100005, 3, 5, [...w32(0), ...w32(0)], [])) },
    { isOrig: false, bytes: record(reply(7, exports)) },
    { isOrig: true, bytes: record(call(9, 100005, 3, 1, [...w32(0), ...w32(0)], xstr('/srv/pacs'))) },
    { isOrig: false, bytes: record(denied) },
  ];
  const run = await runCaptures([writePcap(tcpConversationFrames({ client: '10.1.1.5', server: '10.1.1.9', cport: 900, sport: 635, t0: 1000, turns }))]);
  try {
    assert.equal(run.conns[0].service, 'mount');
    const [l] = run.log('rpc');
    assert.deepEqual(l.exports, ['/srv/pacs', '/srv/scratch']);
    assert.deepEqual(l.mount_paths, ['/srv/pacs']);
    assert.deepEqual(l.errors, ['AUTH_TOOWEAK']);
  } finally {
    run.cleanup();
  }
});

test('probe(): a call to a known program is certain on any port; other bytes are not RPC', () => {
  const c = Uint8Array.from(call(5, 100003, 3, 0, [...w32(0), ...w32(0)], []));
  assert.equal(probe(c, 0, c.length, true, 17, 40000), PROBE_CERTAIN);
  const r = record([...c]);
  assert.equal(probe(r, 0, r.length, true, 6, 40000), PROBE_CERTAIN);
  const unknown = Uint8Array.from(call(5, 123456, 1, 0, [...w32(0), ...w32(0)], []));
  assert.equal(probe(unknown, 0, unknown.length, true, 17, 40000), PROBE_NO);
  assert.equal(probe(new TextEncoder().encode('GET / HTTP/1.1\r\nHost: x\r\n\r\n'), 0, 27, true, 6, 2049), PROBE_NO);
});

test('the RPC parsers survive truncation and random mutation', () => {
  const seeds = [Uint8Array.from(call(1, 100003, 4, 1, authSys('host', 0, 0), [...xstr('tag'), ...w32(1), ...w32(1), ...w32(42), 0, 0, 0, 0, 0, 0, 0, 0, ...xstr('owner')])), Uint8Array.from(reply(1, [...w32(0), ...w32(4), 1, 2, 3, 4, ...w32(1), ...w32(1)]))];
  fuzzParser(seeds, (b) => {
    const c = parseCall(b, 0, b.length);
    if (c !== null) parseCompound(b, c.argsOff, b.length);
    parseReply(b, 0, b.length);
    probe(b, 0, b.length, true, 17, 2049);
    probe(b, 0, b.length, true, 6, 2049);
  });
});
