// TFTP against real captures: nDPI's tftp.pcap (an RRQ, a WRQ, an RRQ/WRQ with blksize/tsize and
// OACK, malformed requests), Arkime's tftp_rrq.pcap and suricata-verify's tftp-tx-handling-wrq
// and output-eve-tftp-01. Expectations: Wireshark's TFTP dissector (fixtures/tshark.tsv, made
// with the tshark command in the brief; tshark follows the transfer to the server's new port
// too), Zeek's spicy-tftp baseline for the RRQ trace, suricata-verify's test.yaml, Arkime's
// .test. The windowsize, block rollover and ERROR cases are synthetic: no capture carries them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { corpus, haveCorpus, REPO_ROOT, runCaptures } from '../../testutil/corpus.js';
import { payloads, type Payload } from '../../testutil/payloads.js';
import { arkimeSessions, suricataChecks } from '../../testutil/peers.js';
import { fuzzParser } from '../../testutil/fuzz.js';
import { testConn } from '../../testutil/conn.js';
import { PacketMeta } from '../../decode/packet.js';
import { LOG_MAPPERS, LogRun } from '../logs.js';
import { PROBE_MAYBE, PROBE_NO, PROBE_YES, type AppEvent } from '../types.js';
import { OP_ACK, OP_DATA, OP_ERROR, OP_RRQ, OP_WRQ, parseTftp } from './parse.js';
import { probe } from './probe.js';
import { TftpAnalyzer } from './analyzer.js';
import type { TftpTransfer } from './events.js';

const skip = !haveCorpus() && 'shared corpus not present';
const CAPTURES = ['ndpi/pcap/tftp.pcap', 'arkime/tests/pcap/tftp_rrq.pcap', 'suricata-verify/tests/tftp-tx-handling-wrq/input.pcap', 'suricata-verify/tests/output-eve-tftp-01/input.pcap'];
const UDP_HDR = 8;
const DATA_HDR = 4;

interface Row {
  capture: string;
  frame: number;
  src: string;
  sport: number;
  dst: string;
  dport: number;
  udpLen: number;
  opcode: number;
  sourceFile: string;
  destFile: string;
  type: string;
  block: number | null;
  errorCode: number | null;
}

const ROWS: Row[] = readFileSync(join(REPO_ROOT, 'src', 'analyzers', 'tftp', 'fixtures', 'tshark.tsv'), 'utf8')
  .split('\n')
  .slice(1)
  .filter((l) => l !== '')
  .map((l) => {
    const f = l.split('\t');
    return {
      capture: f[0], frame: Number(f[1]), src: f[2], sport: Number(f[3]), dst: f[4], dport: Number(f[5]), udpLen: Number(f[6]), opcode: Number(f[7]),
      sourceFile: f[8], destFile: f[9], type: f[10], block: f[11] === '' ? null : Number(f[11]), errorCode: f[12] === '' ? null : Number(f[12]),
    };
  });

/** nDPI's frame 1: an RRQ whose file name and mode are empty, the mode's text pushed behind NULs. Not a request a server acts on: weird, no transfer. */
const MALFORMED = new Set(['ndpi/pcap/tftp.pcap#1']);

async function udp(capture: string): Promise<Map<number, Payload>> {
  return new Map((await payloads(corpus(...capture.split('/')), { proto: 17 })).map((p) => [p.packet, p]));
}

test('parseTftp() reads every datagram of the captures as Wireshark does', { skip }, async () => {
  let n = 0;
  for (const capture of CAPTURES) {
    const pkts = await udp(capture);
    for (const r of ROWS.filter((x) => x.capture === capture)) {
      const p = parseTftp(pkts.get(r.frame)!.bytes, 0, pkts.get(r.frame)!.bytes.length);
      const where = `${capture} frame ${r.frame}`;
      assert.notEqual(p, 'bad', where);
      if (p === 'bad') continue;
      assert.equal(p.op, r.opcode, where);
      if (p.op === OP_RRQ || p.op === OP_WRQ) {
        assert.equal(p.fname, p.op === OP_RRQ ? r.sourceFile : r.destFile, where);
        assert.equal(p.mode, r.type, where);
      } else if (p.op === OP_DATA) {
        assert.equal(p.block, r.block, where);
        assert.equal(p.dataLen, r.udpLen - UDP_HDR - DATA_HDR, where);
      } else if (p.op === OP_ACK) assert.equal(p.block, r.block, where);
      else if (p.op === OP_ERROR) assert.equal(p.code, r.errorCode, where);
      n++;
    }
  }
  assert.equal(n, ROWS.length);
});

test('parseTftp() reads the OACK and the request options of nDPI frames 108-109 (blksize 1468, tsize 100000)', { skip }, async () => {
  const pkts = await udp('ndpi/pcap/tftp.pcap');
  const wrq = parseTftp(pkts.get(108)!.bytes, 0, pkts.get(108)!.bytes.length);
  const oack = parseTftp(pkts.get(109)!.bytes, 0, pkts.get(109)!.bytes.length);
  assert.deepEqual(wrq !== 'bad' && wrq.op === OP_WRQ ? { ...wrq.options } : null, { blksize: '1468', tsize: '100000' });
  assert.deepEqual(oack !== 'bad' && oack.op === 6 ? { ...oack.options } : null, { blksize: '1468', tsize: '100000' });
});

/** What tshark's rows say each transfer was: the request, then its blocks on the flow to the client's port. */
function expectedTransfers(capture: string): Record<string, unknown>[] {
  const rows = ROWS.filter((r) => r.capture === capture);
  const out: Record<string, unknown>[] = [];
  for (const q of rows) {
    if ((q.opcode !== OP_RRQ && q.opcode !== OP_WRQ) || MALFORMED.has(`${capture}#${q.frame}`)) continue;
    const onTransfer = rows.filter((r) => r.frame > q.frame && r.dport !== 69 && r.sport !== 69 && ((r.src === q.src && r.sport === q.sport) || (r.dst === q.src && r.dport === q.sport)));
    let size = 0;
    let sent = 0;
    let acked = 0;
    for (const r of onTransfer) {
      if (r.opcode === OP_DATA && r.block! > sent) {
        sent = r.block!;
        size += r.udpLen - UDP_HDR - DATA_HDR;
      } else if (r.opcode === OP_ACK && r.block! > acked) acked = r.block!;
    }
    out.push({ 'id.orig_h': q.src, 'id.orig_p': q.sport, 'id.resp_p': q.dport, wrq: q.opcode === OP_WRQ, fname: q.opcode === OP_RRQ ? q.sourceFile : q.destFile, mode: q.type, size, block_sent: sent, block_acked: acked, data: onTransfer.length > 0 });
  }
  return out;
}

for (const capture of CAPTURES) {
  test(`tftp.log and conn.log follow each transfer to the server's new port as Wireshark does (${capture})`, { skip }, async () => {
    const run = await runCaptures([corpus(...capture.split('/'))]);
    try {
      const logs = run.log('tftp');
      const conns = run.log('conn');
      const want = expectedTransfers(capture);
      assert.equal(logs.length, want.length);
      for (const w of want) {
        const l = logs.find((x) => x['id.orig_h'] === w['id.orig_h'] && x['id.orig_p'] === w['id.orig_p']);
        assert.ok(l, `no tftp.log line for ${String(w['id.orig_h'])}:${String(w['id.orig_p'])}`);
        const { data, ...fields } = w;
        for (const [k, v] of Object.entries(fields)) assert.equal(l[k], v, `${capture} ${k}`);
        const req = conns.find((c) => c.uid === l.uid);
        assert.equal(req?.service, 'tftp');
        if (data) {
          const d = conns.find((c) => c.uid === l.uid_data);
          assert.equal(d?.service, 'tftp-data', 'the transfer flow is named like FTP data connections');
          // The transfer flow runs from the server's new port to the client's port (RFC 1350 §4).
          assert.equal(d?.['id.resp_h'], l['id.orig_h']);
          assert.equal(d?.['id.resp_p'], l['id.orig_p']);
        } else assert.equal(l.uid_data, undefined);
      }
      // Every flow Wireshark decodes as TFTP is named, except the malformed request's.
      for (const r of ROWS.filter((x) => x.capture === capture && !MALFORMED.has(`${capture}#${x.frame}`))) {
        const c = conns.find((x) => (x['id.orig_h'] === r.src && x['id.orig_p'] === r.sport && x['id.resp_h'] === r.dst && x['id.resp_p'] === r.dport) || (x['id.orig_h'] === r.dst && x['id.orig_p'] === r.dport && x['id.resp_h'] === r.src && x['id.resp_p'] === r.sport));
        assert.ok(c !== undefined && ['tftp', 'tftp-data'].includes(String(c.service)), `frame ${r.frame}: ${String(c?.service)}`);
      }
    } finally {
      run.cleanup();
    }
  });
}

test("tftp.log matches Zeek spicy-tftp's baseline for the RRQ of rfc1350.txt (tests/Baseline/tftp.rrq)", { skip }, async () => {
  // zeek/spicy-tftp tests/Baseline/tftp.rrq/tftp.log on the same packets (Arkime's and
  // suricata-verify's copies keep its timestamps): 1367411051.972852 192.168.0.253 50618
  // 192.168.0.10 69 F rfc1350.txt octet <uid_data> 24599 49 49 - -, and conn.log names the
  // transfer flow 192.168.0.10:3445 -> 192.168.0.253:50618 (spicy_tftp_data there).
  const run = await runCaptures([corpus('arkime', 'tests', 'pcap', 'tftp_rrq.pcap')]);
  try {
    const [l] = run.log('tftp');
    assert.deepEqual(
      { ts: l.ts, o: l['id.orig_h'], op: l['id.orig_p'], r: l['id.resp_h'], rp: l['id.resp_p'], wrq: l.wrq, fname: l.fname, mode: l.mode, size: l.size, block_sent: l.block_sent, block_acked: l.block_acked, error_code: l.error_code },
      { ts: 1367411051.972852, o: '192.168.0.253', op: 50618, r: '192.168.0.10', rp: 69, wrq: false, fname: 'rfc1350.txt', mode: 'octet', size: 24599, block_sent: 49, block_acked: 49, error_code: undefined },
    );
    const d = run.log('conn').find((c) => c.uid === l.uid_data);
    assert.deepEqual([d?.['id.orig_h'], d?.['id.orig_p'], d?.['id.resp_h'], d?.['id.resp_p']], ['192.168.0.10', 3445, '192.168.0.253', 50618]);
  } finally {
    run.cleanup();
  }
});

for (const t of ['tftp-tx-handling-wrq', 'output-eve-tftp-01']) {
  test(`tftp.log agrees with suricata-verify ${t}/test.yaml`, { skip }, async () => {
    const dir = corpus('suricata-verify', 'tests', t);
    const run = await runCaptures([join(dir, 'input.pcap')]);
    try {
      const logs = run.log('tftp');
      for (const chk of suricataChecks(join(dir, 'test.yaml'))) {
        const m = chk.match;
        if (m.event_type !== 'tftp' && m['tftp.packet'] === undefined) continue;
        const hits = logs.filter(
          (l) =>
            (m.src_ip === undefined || l['id.orig_h'] === m.src_ip) &&
            (m.src_port === undefined || l['id.orig_p'] === Number(m.src_port)) &&
            (m.dest_ip === undefined || l['id.resp_h'] === m.dest_ip) &&
            (m.dest_port === undefined || l['id.resp_p'] === Number(m.dest_port)) &&
            (m.file === undefined || l.fname === m.file) &&
            (m.mode === undefined || l.mode === m.mode) &&
            ((m.packet ?? m['tftp.packet']) === undefined || l.wrq === ((m.packet ?? m['tftp.packet']) === 'write')),
        );
        assert.equal(hits.length, chk.count, JSON.stringify(m));
      }
    } finally {
      run.cleanup();
    }
  });
}

test("Arkime's tftp session is conn.log's tftp flow with the same file name; Arkime leaves the transfer flow plain udp, wardline names it tftp-data", { skip }, async () => {
  const run = await runCaptures([corpus('arkime', 'tests', 'pcap', 'tftp_rrq.pcap')]);
  try {
    const conns = run.log('conn');
    const logs = run.log('tftp');
    for (const s of arkimeSessions(corpus('arkime', 'tests', 'pcap', 'tftp_rrq.test'))) {
      const src = s.source as { ip: string; port: number };
      const c = conns.find((x) => x['id.orig_h'] === src.ip && x['id.orig_p'] === src.port);
      const protos = s.protocol as string[];
      if (protos.includes('tftp')) {
        assert.equal(c?.service, 'tftp');
        const tf = s.tftp as { filename: string[] };
        assert.deepEqual(logs.filter((l) => l.uid === c?.uid).map((l) => l.fname), tf.filename);
      } else assert.equal(c?.service, 'tftp-data');
    }
  } finally {
    run.cleanup();
  }
});

test('file contents never reach a log: no text of rfc1350.txt in any log line', { skip }, async () => {
  const run = await runCaptures([corpus('ndpi', 'pcap', 'tftp.pcap')]);
  try {
    for (const name of ['tftp', 'conn', 'weird', 'software']) {
      const text = run.log(name).map((l) => JSON.stringify(l)).join('\n');
      assert.ok(!text.includes('Network Working Group'), name);
      assert.ok(!text.includes('TRIVIAL FILE TRANSFER'), name);
    }
  } finally {
    run.cleanup();
  }
});

test('the request event names the file a client fetched (a fact for the inventory)', { skip }, async () => {
  const evs: AppEvent[] = [];
  const run = await runCaptures([corpus('ndpi', 'pcap', 'tftp.pcap')], undefined, { onEvent: (e) => { if (e.type === 'tftp.request') evs.push(e); } });
  run.cleanup();
  assert.deepEqual(evs.map((e) => [e.client, e.server, e.wrq, e.fname]).filter((e) => e[3] === 'rfc1350.txt'), [['192.168.0.253', '192.168.0.10', false, 'rfc1350.txt']]);
});

test('probe() takes a real request on any port and only guesses at other opcodes', { skip }, async () => {
  const pkts = await udp('ndpi/pcap/tftp.pcap');
  const rrq = pkts.get(3)!.bytes;
  assert.equal(probe(rrq, 0, rrq.length, true), PROBE_YES);
  assert.equal(probe(pkts.get(4)!.bytes, 0, pkts.get(4)!.bytes.length, false), PROBE_MAYBE);
  const dns = new Uint8Array([0x12, 0x34, 0x01, 0x00, 0x00, 0x01, 0, 0, 0, 0, 0, 0]);
  assert.equal(probe(dns, 0, dns.length, true), PROBE_NO);
});

test('parseTftp() survives truncation and mutation of real datagrams', { skip }, async () => {
  const pkts = await udp('ndpi/pcap/tftp.pcap');
  const seeds = [1, 3, 4, 5, 103, 104, 108, 109].map((f) => pkts.get(f)!.bytes);
  fuzzParser(seeds, (b) => {
    parseTftp(b, 0, b.length);
    probe(b, 0, b.length, true);
  });
});

/** Feeds datagrams to one analyzer with a fake context; returns the tftp.log records. */
function drive(a: TftpAnalyzer, dgrams: [boolean, number[]][]): Record<string, unknown>[] {
  const c = testConn(17, 40000, 69);
  const m = new PacketMeta();
  m.tsSec = 1;
  const out: Record<string, unknown>[] = [];
  const run = new LogRun();
  const ctx = {
    conn: c,
    packet: m,
    emit(ev: AppEvent) {
      const r = LOG_MAPPERS[ev.type]?.(ev, c, m, run);
      if (r?.log === 'tftp') out.push(r.record as Record<string, unknown>);
    },
    weird() {},
    confirm() {},
    release() {},
  };
  for (const [isOrig, b] of dgrams) a.data(ctx, isOrig, new Uint8Array(b), 0, b.length);
  a.end(ctx);
  return out;
}

function transfer(): TftpTransfer {
  return { tsSec: 1, tsNsec: 0, packet: 1, uid: 'Creq', orig_h: '10.0.0.2', orig_p: 40000, resp_h: '10.0.0.1', resp_p: 69, wrq: false, fname: 'SEP001122334455.cnf.xml', mode: 'octet', options: {}, size: 0, block_sent: 0, block_acked: 0, blksize: 512, final_block: 0, done: false };
}
const dataPkt = (block: number, n: number): number[] => [0, 3, block >> 8, block & 0xff, ...new Array<number>(n).fill(0x41)];
const ackPkt = (block: number): number[] => [0, 4, block >> 8, block & 0xff];

test('a windowsize transfer (RFC 7440) counts each block once and ends at the short block (synthetic)', () => {
  const oack = [0, 6, ...Buffer.from('blksize\x00100\x00windowsize\x004\x00')];
  const [l] = drive(new TftpAnalyzer(transfer()), [[true, oack], [false, ackPkt(0)], [true, dataPkt(1, 100)], [true, dataPkt(2, 100)], [true, dataPkt(3, 100)], [true, dataPkt(4, 100)], [false, ackPkt(4)], [true, dataPkt(4, 100)], [true, dataPkt(5, 10)], [false, ackPkt(5)]]);
  assert.deepEqual([l.size, l.block_sent, l.block_acked, l.uid, l.fname], [410, 5, 5, 'Creq', 'SEP001122334455.cnf.xml']);
});

test('block numbers past 65535 roll over without losing the count (synthetic)', () => {
  const t = transfer();
  t.block_sent = 65534;
  t.block_acked = 65534;
  const [l] = drive(new TftpAnalyzer(t), [[true, dataPkt(65535, 512)], [false, ackPkt(65535)], [true, dataPkt(0, 512)], [false, ackPkt(0)], [true, dataPkt(1, 3)], [false, ackPkt(1)]]);
  assert.deepEqual([l.block_sent, l.block_acked, l.size], [65537, 65537, 512 * 2 + 3]);
});

test('an ERROR ends the transfer with its code and message (synthetic: file not found)', () => {
  const err = [0, 5, 0, 1, ...Buffer.from('File not found\x00')];
  const [l] = drive(new TftpAnalyzer(transfer()), [[true, err]]);
  assert.deepEqual([l.error_code, l.error_msg, l.size], [1, 'File not found', 0]);
});

test('a repeated request is one transfer, answered from port 69 on the request flow (synthetic)', () => {
  const rrq = [0, 1, ...Buffer.from('pxelinux.0\x00octet\x00')];
  const logs = drive(new TftpAnalyzer(), [[true, rrq], [true, rrq], [false, dataPkt(1, 20)], [true, ackPkt(1)]]);
  assert.equal(logs.length, 1);
  assert.deepEqual([logs[0].fname, logs[0].size, logs[0].block_acked, logs[0].uid_data], ['pxelinux.0', 20, 1, undefined]);
});
