// dce_rpc.log against peers: every Zeek baseline with a dce_rpc.log (TCP 135 and endpoint-mapper
// ports, SMB1 TransactNmPipe), suricata-verify dcerpc-smb-test-01 (PsExec over SMB2),
// Arkime's dcerpc_synthetic sessions (uuid/opnum), tshark's dcerpc dissector on raw_ntlm_in_smb
// (SMB1 pipes) as a second peer; then names, parser and pipe-locator robustness on real bytes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { corpus, haveCorpus, readZeekTsv, runCaptures, zeekBaselines } from '../../testutil/corpus.js';
import { arkimeSessions, recordStreams, splitPdus, TestContext, zeekValue } from '../../testutil/recorded.js';
import { fuzzParser } from '../../testutil/fuzz.js';
import type { AppEvent } from '../types.js';
import { parseBindAckSecAddr, parseBindContexts, parseCallHeader, parseDceRpcHeader } from './parse.js';
import { endpointName, ignoredOperation, normalizePipeName, operationName } from './names.js';
import { RPC_INTERFACES } from './names-data.js';
import { DceRpcSession } from './session.js';
import { SmbAnalyzer } from '../smb/analyzer.js';
import { NtlmAnalyzer } from '../ntlm/analyzer.js';

const skip = !haveCorpus();
const FIELDS = ['id.orig_h', 'id.orig_p', 'id.resp_h', 'id.resp_p', 'rtt', 'named_pipe', 'endpoint', 'operation'];

async function events(path: string): Promise<AppEvent[]> {
  const evs: AppEvent[] = [];
  const run = await runCaptures([path], undefined, { onEvent: (ev) => void (ev.type === 'dce_rpc.call' && evs.push(ev)) });
  run.cleanup();
  return evs;
}

test('the corpus has Zeek dce_rpc.log baselines to compare with', { skip }, () => {
  assert.ok(zeekBaselines('dce_rpc.log').length >= 3);
});

for (const { trace, baseline } of skip ? [] : zeekBaselines('dce_rpc.log')) {
  const name = baseline.split('/').slice(-2).join('/');
  test(`dce_rpc.log matches Zeek's ${name} line by line, field by field`, { skip: !existsSync(trace) }, async () => {
    const want = readZeekTsv(baseline);
    const run = await runCaptures([trace]);
    try {
      // Zeek's mapi test runs `zeek -b` with only the dce-rpc and ntlm scripts: the SMB session on
      // port 139 of that capture is not analysed there (its pipes are checked against tshark below).
      const got = run.log('dce_rpc').filter((r) => !name.includes('.mapi/') || r['id.resp_p'] !== 139);
      // Zeek's baselines mask ts and name uids by its own hash: lines are compared in order.
      assert.equal(got.length, want.length, 'one line per request/response pair (and Zeek\'s end-of-connection line)');
      want.forEach((w, i) => {
        for (const f of FIELDS) {
          const wv = zeekValue(w[f]);
          const gv = got[i][f] === undefined ? undefined : f === 'rtt' ? (got[i][f] as number).toFixed(6) : String(got[i][f]);
          assert.equal(gv, wv, `line ${i + 1} ${f}`);
        }
      });
    } finally {
      run.cleanup();
    }
  });
}

test("conn.log names every connection with a dce_rpc.log line dce_rpc, beside smb on pipes (mapi.pcap)", { skip }, async () => {
  const run = await runCaptures([corpus('zeek/traces/dce-rpc/mapi.pcap')]);
  try {
    const uids = new Set(run.log('dce_rpc').map((r) => r.uid));
    const conns = run.log('conn').filter((c) => uids.has(c.uid));
    assert.equal(conns.length, uids.size);
    for (const c of conns) assert.match(String(c.service), /dce_rpc/);
    assert.ok(conns.some((c) => String(c.service).split(',').includes('smb')));
  } finally {
    run.cleanup();
  }
});

test("tshark's dcerpc dissector agrees on the SMB1 lsarpc pipe of mapi.pcap (port 139)", { skip }, async () => {
  const evs = (await events(corpus('zeek/traces/dce-rpc/mapi.pcap'))).filter((e) => e.named_pipe === '\\PIPE\\lsass');
  // tshark -Y 'tcp.port==139 && dcerpc.pkt_type==0' -e dcerpc.opnum: 2 44 7 7 0 44 7 7 15 0 (×2, with
  // the leading 2 only the first time) and again. The two opnum 2 requests go to a pipe (FID
  // 0xa00c) opened and bound before the capture began: without a bind nothing names them, and
  // Zeek logs no line for them either.
  const batch = [44, 7, 7, 0, 44, 7, 7, 15, 0];
  assert.deepEqual(evs.map((e) => e.opnum), [...batch, ...batch, ...batch, ...batch]);
  assert.ok(evs.every((e) => e.uuid === '12345778-1234-abcd-ef00-0123456789ab' && e.endpoint === 'lsarpc'));
});

test('suricata-verify dcerpc-smb-test-01: two svcctl opnum 15 (OpenSCManagerW) calls over SMB2, and the PsExec sequence', { skip }, async () => {
  const evs = await events(corpus('suricata-verify/tests/dcerpc-smb-test-01/input.pcap'));
  // test.yaml: each of sids 1-3 (dcerpc.iface svcctl, dcerpc.opnum 15, to_server) fires twice.
  assert.equal(evs.filter((e) => e.uuid === '367abb81-9844-35f1-ad32-98f038001003' && e.opnum === 15).length, 2);
  // tshark -e dcerpc.opnum on the same capture: 15 45 0 16 19 6 6 0 0 15 16 1 6 0 16 2 0 0.
  assert.deepEqual(evs.map((e) => e.opnum), [15, 45, 0, 16, 19, 6, 6, 0, 0, 15, 16, 1, 6, 0, 16, 2, 0, 0]);
  assert.ok(evs.some((e) => e.operation === 'StartServiceW') && evs.some((e) => e.operation === 'CreateServiceWOW64W'));
  assert.ok(evs.every((e) => e.named_pipe === '\\pipe\\ntsvcs'));
});

test("tshark's dcerpc dissector agrees on raw_ntlm_in_smb.pcap (SMB1 TransactNmPipe: srvsvc then lsarpc)", { skip }, async () => {
  const evs = await events(corpus('zeek/traces/smb/raw_ntlm_in_smb.pcap'));
  // tshark -Y 'dcerpc.pkt_type==0' -e dcerpc.cn_bind_to_uuid -e dcerpc.opnum: bind 4b324fc8… (srvsvc)
  // then opnum 15; bind 12345778…ab (lsarpc) then opnums 45, 44, 14, 0.
  assert.deepEqual(evs.map((e) => `${e.uuid}/${e.opnum}`), [
    '4b324fc8-1670-01d3-1278-5a47bf6ee188/15',
    '12345778-1234-abcd-ef00-0123456789ab/45',
    '12345778-1234-abcd-ef00-0123456789ab/44',
    '12345778-1234-abcd-ef00-0123456789ab/14',
    '12345778-1234-abcd-ef00-0123456789ab/0',
  ]);
  assert.deepEqual(evs.map((e) => e.operation), ['NetrShareEnum', 'LsarGetUserName', 'LsarOpenPolicy2', 'LsarLookupNames', 'LsarClose']);
});

test("Arkime's dcerpc_synthetic: every session with a request has our call with its interface uuid and opnum", { skip }, async () => {
  const sessions = arkimeSessions(corpus('arkime/tests/pcap/dcerpc_synthetic.test'));
  const evs: { ev: AppEvent; port: number }[] = [];
  const run = await runCaptures([corpus('arkime/tests/pcap/dcerpc_synthetic.pcap')], undefined, { onEvent: (ev, c) => void (ev.type === 'dce_rpc.call' && c !== null && evs.push({ ev, port: c.oPort })) });
  run.cleanup();
  let checked = 0;
  for (const s of sessions) {
    const d = s.body.dcerpc as { uuid?: string[]; opnum?: number[]; msgType?: string[] } | undefined;
    if (d?.opnum === undefined || d.uuid === undefined || !d.msgType?.includes('response')) continue;
    const mine = evs.filter((e) => e.port === s.sport);
    assert.equal(mine.length, d.opnum.length, `session ${s.sport}`);
    for (const e of mine) {
      assert.ok(d.opnum.includes(e.ev.opnum as number), `session ${s.sport} opnum ${e.ev.opnum}`);
      assert.ok(d.uuid.includes(e.ev.uuid as string), `session ${s.sport} uuid ${e.ev.uuid}`);
    }
    checked++;
  }
  assert.ok(checked >= 8, `checked ${checked}`);
});

test('names: spec names, Zeek spellings and Zeek\'s unknown-* forms', () => {
  assert.equal(endpointName('367abb81-9844-35f1-ad32-98f038001003'), 'svcctl');
  assert.equal(operationName('367abb81-9844-35f1-ad32-98f038001003', 12), 'CreateServiceW');
  assert.equal(operationName('e3514235-4b06-11d1-ab04-00c04fc2dcd2', 3), 'DRSGetNCChanges');
  assert.equal(operationName('12345678-1234-abcd-ef00-0123456789ab', 89), 'RpcAddPrinterDriverEx');
  assert.equal(operationName('76f03f96-cdfd-44fc-a22c-64950a001209', 39), 'RpcAsyncAddPrinterDriver');
  assert.equal(operationName('c681d488-d850-11d0-8c52-00c04fd90f7e', 0), 'EfsRpcOpenFileRaw');
  assert.equal(operationName('12345678-1234-abcd-ef00-01234567cffb', 26), 'NetrServerAuthenticate3');
  assert.equal(operationName('12345678-1234-abcd-ef00-01234567cffb', 30), 'NetrServerPasswordSet2');
  assert.equal(operationName('86d35949-83c9-4044-b424-db363231fd0c', 1), 'SchRpcRegisterTask');
  assert.equal(operationName('1ff70682-0a51-30e8-076d-740be8cee98b', 0), 'NetrJobAdd');
  assert.equal(endpointName('deadbeef-cafe-babe-1234-567890abcdef'), 'unknown-deadbeef-cafe-babe-1234-567890abcdef');
  assert.equal(operationName('c681d488-d850-11d0-8c52-00c04fd90f7e', 10), 'unknown-10', 'an opnum MS-EFSR leaves unused');
  assert.ok(ignoredOperation('winreg', 'BaseRegCloseKey') && !ignoredOperation('svcctl', 'CreateServiceW'));
  assert.equal(normalizePipeName('\\PIPE\\Winreg'), 'winreg');
  const uuids = RPC_INTERFACES.map((i) => i.uuid);
  for (const u of uuids) assert.match(u, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
});

// ---- robustness ---------------------------------------------------------------------------

test('the CO PDU parsers and the call state survive truncation and mutation of real PDUs', { skip }, async () => {
  const lengthOf = (b: Uint8Array, o: number, n: number): number => parseDceRpcHeader(b, o, n)?.fragLen ?? -1;
  const streams = (await recordStreams(corpus('zeek/traces/dce-rpc/mapi.pcap'))).filter((s) => s.orig.length > 0 && [135, 1032, 4997].includes(s.rPort));
  const pdus = streams.flatMap((s) => [...splitPdus(s.orig, lengthOf).slice(0, 4), ...splitPdus(s.resp, lengthOf).slice(0, 4)]).map((p) => p.subarray(0, 600));
  assert.ok(pdus.length >= 10);
  fuzzParser(pdus, (b) => {
    const h = parseDceRpcHeader(b, 0, b.length);
    if (h === null) return;
    parseBindContexts(b, 0, b.length, h);
    parseBindAckSecAddr(b, 0, b.length, h);
    parseCallHeader(b, 0, b.length, h);
    const ctx = new TestContext(6, 50000, 135);
    const s = new DceRpcSession();
    s.pdu(ctx, 0, true, h, b, 0, b.length);
    s.pdu(ctx, 0, false, h, b, 0, b.length);
    s.end(ctx);
    const a = new NtlmAnalyzer();
    a.data(ctx, true, b, 0, b.length);
    a.end(ctx);
  });
});

test('the SMB analyzer survives mutated real SMB1/SMB2 pipe traffic', { skip }, async () => {
  const seeds: Uint8Array[] = [];
  for (const f of ['zeek/traces/smb/raw_ntlm_in_smb.pcap', 'suricata-verify/tests/dcerpc-smb-test-01/input.pcap']) {
    for (const s of await recordStreams(corpus(f))) for (const c of s.chunks.slice(0, 40)) if (c.bytes.length > 80 && c.bytes.length < 2000) seeds.push(c.bytes);
  }
  assert.ok(seeds.length >= 10);
  fuzzParser(seeds.slice(0, 30), (b) => {
    const ctx = new TestContext(6, 50000, 445);
    const a = new SmbAnalyzer();
    a.data(ctx, true, b, 0, b.length);
    a.data(ctx, false, b, 0, b.length);
    a.end(ctx);
  }, { mutations: 60 });
});
