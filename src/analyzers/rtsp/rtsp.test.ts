// RTSP against real captures: nDPI's rtsp.pcap (seven VLC sessions on port 8554, RTP over UDP,
// with every segment captured several times) and rtsp_setup_http.pcapng (one SETUP, no answer),
// with nDPI's flow labels (result/*.out) and tshark 4.0.17's rtsp dissector as the peers. No
// corpus capture carries RTSP authentication or interleaved (RTP over TCP) frames: those cases
// are synthetic and say so.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { corpus, haveCorpus, runCaptures } from '../../testutil/corpus.js';
import { ndpiFlows } from '../../testutil/peers.js';
import { fuzzParser, mutate, rng } from '../../testutil/fuzz.js';
import { tcpConversationFrames, writePcap } from '../../testutil/pcapwriter.js';
import { FakeContext, captureStreams, logStrings, replay, type Chunk } from '../streams.testutil.js';
import { PROBE_MAYBE, PROBE_NO, PROBE_YES } from '../types.js';
import { probe as httpProbe } from '../http/probe.js';
import { assessCaptures } from '../../assess/testutil.js';
import { deviceWithIp, runInventory } from '../../inventory/testutil.js';
import { RtspAnalyzer } from './analyzer.js';
import { parseInterleaved, parseRequestLine, parseStatusLine, stripUserinfo } from './parse.js';
import { probe } from './probe.js';
import type { RtspTransaction } from './events.js';

const skip = !haveCorpus() && 'shared corpus not present';
const RTSP_PCAP = (): string => corpus('ndpi', 'pcap', 'rtsp.pcap');
const SETUP_PCAP = (): string => corpus('ndpi', 'pcap', 'rtsp_setup_http.pcapng');
const enc = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'latin1'));

/**
 * tshark -r rtsp.pcap -Y 'rtsp && !tcp.analysis.retransmission && !tcp.analysis.fast_retransmission'
 *   -T fields -e frame.number -e tcp.srcport -e tcp.dstport -e rtsp.method -e rtsp.url
 *   -e rtsp.status -e rtsp.session -e rtsp.transport -e rtsp.content-type
 * (the filter drops the capture's duplicate copies of each segment, which reassembly drops too).
 */
const TSHARK = `
  1|52470|8554|GET_PARAMETER|rtsp://10.2.2.2:8554/||660fc4c0c6ad43a1||
  25|52472|8554|OPTIONS|rtsp://10.2.2.2:8554/||||
  33|8554|52472|||200|||
  37|52472|8554|DESCRIBE|rtsp://10.2.2.2:8554/||||
  53|8554|52472|||200|||application/sdp
  57|52472|8554|SETUP|rtsp://10.2.2.2:8554/trackID=0|||RTP/AVP;unicast;client_port=55664-55665|
  65|8554|52472|||200|8c30e102191f49d1;timeout=60|RTP/AVP/UDP;unicast;client_port=55664-55665;server_port=58547-58548;ssrc=B1964B48;mode=play|
  69|52472|8554|SETUP|rtsp://10.2.2.2:8554/trackID=1||8c30e102191f49d1|RTP/AVP;unicast;client_port=55666-55667|
  77|8554|52472|||200|8c30e102191f49d1;timeout=60|RTP/AVP/UDP;unicast;client_port=55666-55667;server_port=57431-57432;ssrc=935E47F4;mode=play|
  81|52472|8554|PLAY|rtsp://10.2.2.2:8554/||8c30e102191f49d1||
  89|8554|52472|||200|8c30e102191f49d1;timeout=60||
  97|52472|8554|GET_PARAMETER|rtsp://10.2.2.2:8554/||8c30e102191f49d1||
  121|52474|8554|OPTIONS|rtsp://10.2.2.2:8554/||||
  129|8554|52474|||200|||
  133|52474|8554|DESCRIBE|rtsp://10.2.2.2:8554/||||
  149|8554|52474|||200|||application/sdp
  153|52474|8554|SETUP|rtsp://10.2.2.2:8554/trackID=0|||RTP/AVP;unicast;client_port=55668-55669|
  161|8554|52474|||200|fe3f5ed0377fdc99;timeout=60|RTP/AVP/UDP;unicast;client_port=55668-55669;server_port=36631-36632;ssrc=B1964B48;mode=play|
  165|52474|8554|SETUP|rtsp://10.2.2.2:8554/trackID=1||fe3f5ed0377fdc99|RTP/AVP;unicast;client_port=55670-55671|
  169|8554|52474|||200|fe3f5ed0377fdc99;timeout=60|RTP/AVP/UDP;unicast;client_port=55670-55671;server_port=59551-59552;ssrc=935E47F4;mode=play|
  173|52474|8554|PLAY|rtsp://10.2.2.2:8554/||fe3f5ed0377fdc99||
  177|8554|52474|||200|fe3f5ed0377fdc99;timeout=60||
  185|52474|8554|GET_PARAMETER|rtsp://10.2.2.2:8554/||fe3f5ed0377fdc99||
  205|52476|8554|OPTIONS|rtsp://10.2.2.2:8554/||||
  213|8554|52476|||200|||
  217|52476|8554|DESCRIBE|rtsp://10.2.2.2:8554/||||
  233|8554|52476|||200|||application/sdp
  237|52476|8554|SETUP|rtsp://10.2.2.2:8554/trackID=0|||RTP/AVP;unicast;client_port=55672-55673|
  245|8554|52476|||200|ee809439fdb5f599;timeout=60|RTP/AVP/UDP;unicast;client_port=55672-55673;server_port=49998-49999;ssrc=B1964B48;mode=play|
  249|52476|8554|SETUP|rtsp://10.2.2.2:8554/trackID=1||ee809439fdb5f599|RTP/AVP;unicast;client_port=55674-55675|
  257|8554|52476|||200|ee809439fdb5f599;timeout=60|RTP/AVP/UDP;unicast;client_port=55674-55675;server_port=35811-35812;ssrc=935E47F4;mode=play|
  261|52476|8554|PLAY|rtsp://10.2.2.2:8554/||ee809439fdb5f599||
  265|8554|52476|||200|ee809439fdb5f599;timeout=60||
  309|52478|8554|OPTIONS|rtsp://10.2.2.2:8554/||||
  317|8554|52478|||200|||
  321|52478|8554|DESCRIBE|rtsp://10.2.2.2:8554/||||
  337|8554|52478|||200|||application/sdp
  341|52478|8554|SETUP|rtsp://10.2.2.2:8554/trackID=0|||RTP/AVP;unicast;client_port=55676-55677|
  349|8554|52478|||200|32faec9b78f84f9;timeout=60|RTP/AVP/UDP;unicast;client_port=55676-55677;server_port=36053-36054;ssrc=EA079BC8;mode=play|
  353|52478|8554|SETUP|rtsp://10.2.2.2:8554/trackID=1||32faec9b78f84f9|RTP/AVP;unicast;client_port=55678-55679|
  361|8554|52478|||200|32faec9b78f84f9;timeout=60|RTP/AVP/UDP;unicast;client_port=55678-55679;server_port=45123-45124;ssrc=339B5687;mode=play|
  365|52478|8554|PLAY|rtsp://10.2.2.2:8554/||32faec9b78f84f9||
  373|8554|52478|||200|32faec9b78f84f9;timeout=60||
  381|52478|8554|GET_PARAMETER|rtsp://10.2.2.2:8554/||32faec9b78f84f9||
  405|52480|8554|OPTIONS|rtsp://10.2.2.2:8554/||||
  413|8554|52480|||200|||
  417|52480|8554|DESCRIBE|rtsp://10.2.2.2:8554/||||
  433|8554|52480|||200|||application/sdp
  437|52480|8554|SETUP|rtsp://10.2.2.2:8554/trackID=0|||RTP/AVP;unicast;client_port=55680-55681|
  445|8554|52480|||200|b41a580250d2559f;timeout=60|RTP/AVP/UDP;unicast;client_port=55680-55681;server_port=53615-53616;ssrc=EA079BC8;mode=play|
  449|52480|8554|SETUP|rtsp://10.2.2.2:8554/trackID=1||b41a580250d2559f|RTP/AVP;unicast;client_port=55682-55683|
  457|8554|52480|||200|b41a580250d2559f;timeout=60|RTP/AVP/UDP;unicast;client_port=55682-55683;server_port=56770-56771;ssrc=339B5687;mode=play|
  461|52480|8554|PLAY|rtsp://10.2.2.2:8554/||b41a580250d2559f||
  469|8554|52480|||200|b41a580250d2559f;timeout=60||
  477|52480|8554|GET_PARAMETER|rtsp://10.2.2.2:8554/||b41a580250d2559f||
  497|52482|8554|OPTIONS|rtsp://10.2.2.2:8554/||||
  505|8554|52482|||200|||
  509|52482|8554|DESCRIBE|rtsp://10.2.2.2:8554/||||
  525|8554|52482|||200|||application/sdp
  529|52482|8554|SETUP|rtsp://10.2.2.2:8554/trackID=0|||RTP/AVP;unicast;client_port=55684-55685|
  537|8554|52482|||200|6bd84a729013d744;timeout=60|RTP/AVP/UDP;unicast;client_port=55684-55685;server_port=58938-58939;ssrc=EA079BC8;mode=play|
  541|52482|8554|SETUP|rtsp://10.2.2.2:8554/trackID=1||6bd84a729013d744|RTP/AVP;unicast;client_port=55686-55687|
  549|8554|52482|||200|6bd84a729013d744;timeout=60|RTP/AVP/UDP;unicast;client_port=55686-55687;server_port=53271-53272;ssrc=339B5687;mode=play|
  553|52482|8554|PLAY|rtsp://10.2.2.2:8554/||6bd84a729013d744||
  561|8554|52482|||200|6bd84a729013d744;timeout=60||
`;

interface Row {
  frame: number;
  client: number;
  method: string;
  url: string;
  status: string;
  session: string;
  transport: string;
  ctype: string;
}

function tsharkRows(): Row[] {
  return TSHARK.trim()
    .split('\n')
    .map((l) => l.trim().split('|'))
    .map(([frame, sp, dp, method, url, status, session, transport, ctype]) => ({ frame: Number(frame), client: sp === '8554' ? Number(dp) : Number(sp), method, url, status, session, transport, ctype }));
}

test('parseRequestLine() and parseStatusLine() need the RTSP version (RFC 2326 §6.1, §7.1; RFC 7826)', () => {
  assert.deepEqual(parseRequestLine('OPTIONS rtsp://10.2.2.2:8554/ RTSP/1.0'), { method: 'OPTIONS', uri: 'rtsp://10.2.2.2:8554/', version: '1.0' });
  assert.deepEqual(parseRequestLine('PLAY_NOTIFY rtsp://cam/ RTSP/2.0'), { method: 'PLAY_NOTIFY', uri: 'rtsp://cam/', version: '2.0' });
  assert.equal(parseRequestLine('OPTIONS sip:bob@example.com SIP/2.0'), null);
  assert.equal(parseRequestLine('GET / HTTP/1.1'), null);
  assert.deepEqual(parseStatusLine('RTSP/1.0 200 OK'), { version: '1.0', code: 200, msg: 'OK' });
  assert.deepEqual(parseStatusLine('RTSP/2.0 401 Unauthorized'), { version: '2.0', code: 401, msg: 'Unauthorized' });
  assert.equal(parseStatusLine('HTTP/1.1 200 OK'), null);
});

test('stripUserinfo() takes user:password@ out of an rtsp URI and percent-decodes them', () => {
  assert.deepEqual(stripUserinfo('rtsp://admin:p%40ss@192.168.1.64:554/Streaming/Channels/101'), { uri: 'rtsp://192.168.1.64:554/Streaming/Channels/101', user: 'admin', password: 'p@ss' });
  assert.deepEqual(stripUserinfo('rtsp://viewer@cam/live'), { uri: 'rtsp://cam/live', user: 'viewer' });
  assert.deepEqual(stripUserinfo('rtsp://10.2.2.2:8554/trackID=0'), { uri: 'rtsp://10.2.2.2:8554/trackID=0' });
  // An '@' in the path is not userinfo.
  assert.deepEqual(stripUserinfo('rtsp://cam/a@b'), { uri: 'rtsp://cam/a@b' });
  assert.deepEqual(stripUserinfo('rtsp://u:%zz@cam/'), { uri: 'rtsp://cam/', user: 'u', password: '%zz' });
});

test('parseInterleaved() reads the $ channel length header (RFC 2326 §10.12)', () => {
  assert.deepEqual(parseInterleaved(Uint8Array.from([0x24, 1, 0x01, 0x02]), 0, 4), { channel: 1, length: 258 });
  assert.equal(parseInterleaved(Uint8Array.from([0x24, 1, 0x01]), 0, 3), null);
  assert.equal(parseInterleaved(Uint8Array.from([0x52, 1, 0x01, 0x02]), 0, 4), null);
});

test("probe() recognises the captures' first requests and responses, and not HTTP or SIP", { skip }, async () => {
  const streams = await captureStreams(RTSP_PCAP());
  assert.equal(streams.length, 7);
  for (const s of streams) {
    assert.equal(probe(s.orig, 0, s.orig.length, true), PROBE_YES, s.uid);
    if (s.resp.length > 0) assert.equal(probe(s.resp, 0, s.resp.length, false), PROBE_YES, s.uid);
    // HTTP's probe defers once the line ends in RTSP/1.0.
    assert.equal(httpProbe(s.orig, 0, s.orig.length, true), PROBE_NO, s.uid);
  }
  assert.equal(probe(enc('OPTIONS * RTSP/1.0\r\n'), 0, 20, true), PROBE_YES);
  assert.equal(probe(enc('OPTIONS * HTTP/1.1\r\n'), 0, 20, true), PROBE_NO);
  assert.equal(probe(enc('OPTIONS sip:bob@example.com SIP/2.0\r\n'), 0, 38, true), PROBE_NO);
  assert.equal(probe(enc('GET / HTTP/1.1\r\n'), 0, 16, true), PROBE_NO);
  assert.equal(probe(enc('DESCR'), 0, 5, true), PROBE_MAYBE);
  assert.equal(probe(enc('RTSP/1.0 200 OK\r\n'), 0, 17, false), PROBE_YES);
  assert.equal(probe(enc('RTSP/'), 0, 5, false), PROBE_MAYBE);
  assert.equal(probe(enc('HTTP/1.1 200 OK\r\n'), 0, 17, false), PROBE_NO);
});

test("every flow nDPI names RTSP is rtsp in conn.log, and its User-Agent is nDPI's", { skip }, async () => {
  for (const f of ['rtsp.pcap', 'rtsp_setup_http.pcapng']) {
    const flows = ndpiFlows(corpus('ndpi', 'result', `${f}.out`)).filter((x) => x.app === 'RTSP');
    assert.ok(flows.length > 0, f);
    const run = await runCaptures([corpus('ndpi', 'pcap', f)]);
    try {
      const rtsp = run.log('rtsp');
      for (const x of flows) {
        // Port 52478 was first tried and refused (SYN, RST): that earlier connection carries nothing.
        const cs = run.conns.filter((k) => k.oPort === x.aPort && k.rPort === x.bPort);
        assert.deepEqual(cs.map((k) => k.service).filter((v) => v !== ''), ['rtsp'], `${f} ${x.aPort}`);
        const ua = /\[User-Agent: ([^\]]+)\]/.exec(x.line)![1];
        const rows = rtsp.filter((r) => r['id.orig_p'] === x.aPort);
        assert.ok(rows.length > 0 && rows.every((r) => r.user_agent === ua), `${f} ${x.aPort}`);
      }
      const sw = run.log('software').filter((r) => r.software_type === 'RTSP::CLIENT');
      assert.deepEqual([...new Set(sw.map((r) => r.unparsed_version))], [/\[User-Agent: ([^\]]+)\]/.exec(flows[0].line)![1]]);
    } finally {
      run.cleanup();
    }
  }
});

test("rtsp.log of rtsp.pcap has tshark's requests and responses: method, URL, status, session, transport, content type", { skip }, async () => {
  const rows = tsharkRows();
  const run = await runCaptures([RTSP_PCAP()]);
  try {
    const log = run.log('rtsp');
    const clients = [...new Set(rows.map((r) => r.client))];
    assert.equal(clients.length, 7);
    for (const port of clients) {
      const want = rows.filter((r) => r.client === port);
      const got = log.filter((r) => r['id.orig_p'] === port);
      const reqs = want.filter((r) => r.method !== '');
      const resps = want.filter((r) => r.method === '');
      assert.deepEqual(got.map((r) => [r.method, r.uri]), reqs.map((r) => [r.method, r.url]), `${port} requests`);
      const answered = got.filter((r) => r.status_code !== undefined);
      assert.equal(answered.length, resps.length, `${port} responses`);
      answered.forEach((r, i) => {
        const w = resps[i];
        assert.equal(String(r.status_code), w.status, `${port} #${i}`);
        // Our session drops the ;timeout= parameter (RFC 2326 §12.37).
        assert.equal(r.session, w.session === '' ? undefined : w.session.split(';')[0], `${port} #${i} session`);
        assert.equal(r.transport, w.transport === '' ? undefined : w.transport, `${port} #${i} transport`);
        assert.equal(r.content_type, w.ctype === '' ? undefined : w.ctype, `${port} #${i} content type`);
        assert.equal(r.server, 'VLC/3.0.12');
      });
      // Requests left unanswered (the final GET_PARAMETER keep-alives) keep the session tshark shows.
      for (const r of got.filter((x) => x.status_code === undefined)) {
        const w = reqs.find((x) => x.method === r.method && x.url === r.uri && x.session !== '');
        assert.equal(r.session, w?.session, `${port} unanswered ${String(r.method)}`);
      }
      for (const r of got) assert.equal(r.password, undefined);
    }
    // The SDP body of each DESCRIBE answer (Content-Length 695) is read as SDP, not as RTSP lines.
    assert.deepEqual(run.result.events.filter((e) => e.ev.type === 'weird' && String(e.ev.name).startsWith('rtsp.')), []);
    const sw = run.log('software').filter((r) => r.software_type === 'RTSP::SERVER');
    assert.deepEqual(sw.map((r) => [r.host, r.host_p, r.name, r.unparsed_version]), [['10.2.2.2', 8554, 'VLC', 'VLC/3.0.12']]);
    // a=tool:vlc 3.0.12 names the program the Server field names: no second software line.
    assert.deepEqual(run.log('software').filter((r) => r.software_type === 'RTSP::SDP_TOOL'), []);
  } finally {
    run.cleanup();
  }
});

/**
 * tshark -r rtsp.pcap -Y 'sdp && !tcp.analysis.retransmission' -T fields -e frame.number
 *   -e tcp.dstport -e sdp.session_name -e sdp.session_attr -e sdp.media -e sdp.media_attr
 * (session attributes: tool:vlc 3.0.12, recvonly, type:broadcast, charset:UTF-8, control; media:
 * "video 0 RTP/AVP 96" rtpmap:96 H264/90000, "audio 0 RTP/AVP 96" rtpmap:96 mpeg4-generic/44100/2).
 */
const TSHARK_SDP: [number, number, string, string, string[]][] = [
  [53, 52472, 'Unnamed', 'vlc 3.0.12', ['video H264', 'audio mpeg4-generic']],
  [149, 52474, 'Unnamed', 'vlc 3.0.12', ['video H264', 'audio mpeg4-generic']],
  [233, 52476, 'Unnamed', 'vlc 3.0.12', ['video H264', 'audio mpeg4-generic']],
  [337, 52478, 'Unnamed', 'vlc 3.0.12', ['audio mpeg4-generic', 'video H264']],
  [433, 52480, 'Unnamed', 'vlc 3.0.12', ['audio mpeg4-generic', 'video H264']],
  [525, 52482, 'Unnamed', 'vlc 3.0.12', ['audio mpeg4-generic', 'video H264']],
];

test("rtsp.log of rtsp.pcap: each DESCRIBE answer's SDP session name, tool and media as tshark reads them", { skip }, async () => {
  const run = await runCaptures([RTSP_PCAP()]);
  try {
    const got = run
      .log('rtsp')
      .filter((r) => r.sdp_session !== undefined || r.sdp_tool !== undefined || r.media !== undefined)
      .map((r) => [r.method, r['id.orig_p'], r.sdp_session, r.sdp_tool, r.media]);
    assert.deepEqual(got, TSHARK_SDP.map(([, port, name, tool, media]) => ['DESCRIBE', port, name, tool, media]));
  } finally {
    run.cleanup();
  }
});

// A LIVE555-based camera's answer (no Server field; static payload types 26 JPEG and 0 PCMU, RFC
// 3551), cut in the middle of its body; then one whose body has a hole. Synthetic: no corpus
// capture has an RTSP server without a Server field or a lost SDP segment.
const LIVE555_SDP = 'v=0\r\no=- 1700000000 1 IN IP4 10.0.0.70\r\ns=Session streamed by "testOnDemandRTSPServer"\r\ni=mjpeg\r\nt=0 0\r\na=tool:LIVE555 Streaming Media v2013.02.11\r\na=type:broadcast\r\nm=video 0 RTP/AVP 26\r\nc=IN IP4 0.0.0.0\r\nm=audio 0 RTP/AVP 0\r\na=control:track2\r\n';
const LIVE555 = [
  { isOrig: true, bytes: enc('DESCRIBE rtsp://10.0.0.70:8554/mjpeg RTSP/1.0\r\nCSeq: 2\r\nAccept: application/sdp\r\n\r\n') },
  { isOrig: false, bytes: enc(`RTSP/1.0 200 OK\r\nCSeq: 2\r\nContent-Base: rtsp://10.0.0.70:8554/mjpeg/\r\nContent-Type: application/sdp\r\nContent-Length: ${LIVE555_SDP.length}\r\n\r\n${LIVE555_SDP.slice(0, 60)}`) },
  { isOrig: false, bytes: enc(LIVE555_SDP.slice(60)) },
  { isOrig: true, bytes: enc('OPTIONS rtsp://10.0.0.70:8554/mjpeg RTSP/1.0\r\nCSeq: 3\r\n\r\n') },
  { isOrig: false, bytes: enc('RTSP/1.0 200 OK\r\nCSeq: 3\r\nPublic: OPTIONS, DESCRIBE, SETUP, TEARDOWN, PLAY, PAUSE\r\n\r\n') },
];

test('SDP of a DESCRIBE answer split across segments: session name, tool as software, static payload types named (synthetic)', () => {
  const ctx = replay(new RtspAnalyzer(), LIVE555, new FakeContext(40000, 8554));
  const tx = ctx.of('rtsp.transaction') as RtspTransaction[];
  assert.deepEqual(tx.map((t) => [t.method, t.sdp_session, t.sdp_tool, t.media]), [
    ['DESCRIBE', 'Session streamed by "testOnDemandRTSPServer"', 'LIVE555 Streaming Media v2013.02.11', ['video JPEG', 'audio PCMU']],
    ['OPTIONS', undefined, undefined, undefined],
  ]);
  assert.deepEqual(ctx.of('software').map((e) => [e.software_type, e.host, e.host_p, e.unparsed_version]), [['RTSP::SDP_TOOL', '10.0.0.2', 8554, 'LIVE555 Streaming Media v2013.02.11']]);
  assert.deepEqual(ctx.weirds, []);
  // The same, one byte at a time.
  const bytes = replay(new RtspAnalyzer(), LIVE555.flatMap((c) => Array.from(c.bytes, (b) => ({ isOrig: c.isOrig, bytes: Uint8Array.of(b) }))), new FakeContext(40000, 8554));
  assert.deepEqual((bytes.of('rtsp.transaction') as RtspTransaction[]).map((t) => t.media), [['video JPEG', 'audio PCMU'], undefined]);
});

test('an SDP body with a hole in it is not read; an SDP larger than what is kept is read from its head (synthetic)', () => {
  const a = new RtspAnalyzer();
  const ctx = new FakeContext(40000, 8554);
  a.data(ctx, true, LIVE555[0].bytes, 0, LIVE555[0].bytes.length);
  a.data(ctx, false, LIVE555[1].bytes, 0, LIVE555[1].bytes.length);
  a.gap(ctx, false, 40);
  const rest = LIVE555[2].bytes.subarray(40);
  a.data(ctx, false, rest, 0, rest.length);
  const [t] = ctx.of('rtsp.transaction') as RtspTransaction[];
  assert.deepEqual([t.status_code, t.sdp_tool, t.media], [200, undefined, undefined]);
  assert.deepEqual(ctx.weirds, ['rtsp.content_gap']);
  // 20,000 bytes of attributes after the session lines: the tool is read, the media beyond the kept bytes are not.
  const big = `${LIVE555_SDP.slice(0, LIVE555_SDP.indexOf('m=video'))}${'a=x-pad:0123456789\r\n'.repeat(1000)}m=video 0 RTP/AVP 26\r\n`;
  const b = replay(new RtspAnalyzer(), [LIVE555[0], { isOrig: false, bytes: enc(`RTSP/1.0 200 OK\r\nCSeq: 2\r\nContent-Type: application/sdp\r\nContent-Length: ${big.length}\r\n\r\n${big}`) }, LIVE555[3], LIVE555[4]], new FakeContext(40000, 8554));
  const bt = b.of('rtsp.transaction') as RtspTransaction[];
  assert.deepEqual(bt.map((x) => [x.method, x.sdp_tool, x.media]), [['DESCRIBE', 'LIVE555 Streaming Media v2013.02.11', undefined], ['OPTIONS', undefined, undefined]]);
});

test("rtsp_setup_http.pcapng: tshark's lone SETUP, no answer", { skip }, async () => {
  const run = await runCaptures([SETUP_PCAP()]);
  try {
    const [r, ...more] = run.log('rtsp');
    assert.equal(more.length, 0);
    assert.deepEqual([r.method, r.uri, r.transport, r.status_code], ['SETUP', 'rtsp://172.28.4.26:8554/trackID=88', 'RTP/AVP;unicast;client_port=50220-50221', undefined]);
  } finally {
    run.cleanup();
  }
});

test('the analyzer gives the same transactions however the streams are cut (rtsp.pcap, one byte at a time)', { skip }, async () => {
  const streams = await captureStreams(RTSP_PCAP());
  for (const s of streams) {
    const whole = replay(new RtspAnalyzer(), s.chunks).of('rtsp.transaction');
    const bytes: Chunk[] = [];
    for (const c of s.chunks) for (let i = 0; i < c.bytes.length; i++) bytes.push({ isOrig: c.isOrig, bytes: c.bytes.subarray(i, i + 1) });
    assert.deepEqual(replay(new RtspAnalyzer(), bytes).of('rtsp.transaction'), whole, s.uid);
  }
});

// ---- synthetic: no corpus capture carries interleaved frames or RTSP authentication ---------

/** RTP over the RTSP connection (RFC 2326 §10.12): two frames, one split across segments, then a TEARDOWN. */
function interleavedSession(): Chunk[] {
  const frame = (ch: number, n: number): Buffer => Buffer.concat([Buffer.from([0x24, ch, n >> 8, n & 0xff]), Buffer.alloc(n, 0x0a)]);
  const f1 = frame(0, 1400);
  const f2 = frame(1, 300);
  return [
    { isOrig: true, bytes: enc('SETUP rtsp://cam/track1 RTSP/1.0\r\nCSeq: 3\r\nTransport: RTP/AVP/TCP;unicast;interleaved=0-1\r\n\r\n') },
    { isOrig: false, bytes: enc('RTSP/1.0 200 OK\r\nCSeq: 3\r\nSession: 12345678;timeout=60\r\nTransport: RTP/AVP/TCP;unicast;interleaved=0-1\r\n\r\n') },
    { isOrig: true, bytes: enc('PLAY rtsp://cam/ RTSP/1.0\r\nCSeq: 4\r\nSession: 12345678\r\n\r\n') },
    { isOrig: false, bytes: Buffer.concat([enc('RTSP/1.0 200 OK\r\nCSeq: 4\r\nSession: 12345678\r\n\r\n'), f1.subarray(0, 2)]) },
    { isOrig: false, bytes: f1.subarray(2, 700) },
    { isOrig: true, bytes: enc('TEARDOWN rtsp://cam/ RTSP/1.0\r\nCSeq: 5\r\nSession: 12345678\r\n\r\n') },
    // The TEARDOWN's answer arrives between frames.
    { isOrig: false, bytes: Buffer.concat([f1.subarray(700), f2, enc('RTSP/1.0 200 OK\r\nCSeq: 5\r\n\r\n'), frame(0, 20)]) },
  ];
}

test('interleaved binary frames are skipped by their length, even split across segments (synthetic)', () => {
  const ctx = replay(new RtspAnalyzer(), interleavedSession(), new FakeContext(40000, 554));
  const tx = ctx.of('rtsp.transaction') as RtspTransaction[];
  assert.deepEqual(tx.map((t) => [t.method, t.cseq, t.status_code, t.session]), [
    ['SETUP', 3, 200, '12345678'],
    ['PLAY', 4, 200, '12345678'],
    ['TEARDOWN', 5, 200, '12345678'],
  ]);
  assert.deepEqual(ctx.weirds, []);
  assert.deepEqual(ctx.services, ['rtsp']);
});

const BASIC_401 = [
  { isOrig: true, bytes: enc('DESCRIBE rtsp://10.0.0.64:554/cam/realmonitor?channel=1 RTSP/1.0\r\nCSeq: 2\r\nUser-Agent: LibVLC/3.0.18 (LIVE555 Streaming Media v2016.11.28)\r\nAccept: application/sdp\r\n\r\n') },
  { isOrig: false, bytes: enc('RTSP/1.0 401 Unauthorized\r\nCSeq: 2\r\nWWW-Authenticate: Basic realm="Login to cam"\r\nServer: Dahua Rtsp Server/3.0\r\n\r\n') },
  // admin:admin, the Dahua default in knowledge/defaultcreds.
  { isOrig: true, bytes: enc('DESCRIBE rtsp://10.0.0.64:554/cam/realmonitor?channel=1 RTSP/1.0\r\nCSeq: 3\r\nAuthorization: Basic YWRtaW46YWRtaW4=\r\nUser-Agent: LibVLC/3.0.18 (LIVE555 Streaming Media v2016.11.28)\r\nAccept: application/sdp\r\n\r\n') },
  { isOrig: false, bytes: enc('RTSP/1.0 200 OK\r\nCSeq: 3\r\nServer: Dahua Rtsp Server/3.0\r\nContent-Type: application/sdp\r\nContent-Length: 26\r\n\r\nv=0\r\ns=Media Server\r\nt=0 0\r\n') },
];
const URI_CREDS = [
  { isOrig: true, bytes: enc('OPTIONS rtsp://operator:Zq7%21wall@10.0.0.65/Streaming/Channels/101 RTSP/1.0\r\nCSeq: 1\r\n\r\n') },
  { isOrig: false, bytes: enc('RTSP/1.0 200 OK\r\nCSeq: 1\r\nServer: Hikvision-Webs\r\nPublic: OPTIONS, DESCRIBE, SETUP, PLAY\r\n\r\n') },
];
const DIGEST = [
  { isOrig: true, bytes: enc('DESCRIBE rtsp://10.0.0.66/axis-media/media.amp RTSP/1.0\r\nCSeq: 3\r\nAuthorization: Digest username="root", realm="AXIS_ACCC8E000000", nonce="0001", uri="rtsp://10.0.0.66/axis-media/media.amp", response="5f2b0a1e3c4d5e6f708192a3b4c5d6e7"\r\n\r\n') },
  { isOrig: false, bytes: enc('RTSP/1.0 200 OK\r\nCSeq: 3\r\nServer: AXIS P1365 Mk II\r\n\r\n') },
];

test('Basic credentials: username logged, password only as <redacted> and a digest in a credential event (synthetic)', () => {
  const ctx = replay(new RtspAnalyzer(), BASIC_401, new FakeContext(40000, 554));
  const tx = ctx.of('rtsp.transaction') as RtspTransaction[];
  assert.deepEqual(tx.map((t) => [t.status_code, t.auth_scheme, t.username, t.password_sent, t.content_type]), [
    [401, undefined, undefined, false, undefined],
    [200, 'basic', 'admin', true, 'application/sdp'],
  ]);
  const cred = ctx.of('credential');
  assert.equal(cred.length, 1);
  assert.deepEqual([cred[0].protocol, cred[0].user, cred[0].success], ['rtsp', 'admin', true]);
  assert.match(String(cred[0].secret), /^[0-9a-f]{64}$/);
  const sw = ctx.of('software').map((e) => [e.software_type, e.unparsed_version]);
  assert.deepEqual(sw, [['RTSP::CLIENT', 'LibVLC/3.0.18 (LIVE555 Streaming Media v2016.11.28)'], ['RTSP::SERVER', 'Dahua Rtsp Server/3.0']]);
});

test('URI userinfo is cut from the logged URI and counts as a clear-text credential; Digest gives the user only (synthetic)', () => {
  const u = replay(new RtspAnalyzer(), URI_CREDS, new FakeContext(40000, 554));
  const [t] = u.of('rtsp.transaction') as RtspTransaction[];
  assert.deepEqual([t.uri, t.username, t.password_sent, t.auth_scheme], ['rtsp://10.0.0.65/Streaming/Channels/101', 'operator', true, undefined]);
  assert.deepEqual(u.of('credential').map((c) => [c.user, c.success]), [['operator', true]]);
  const d = replay(new RtspAnalyzer(), DIGEST, new FakeContext(40000, 554));
  const [x] = d.of('rtsp.transaction') as RtspTransaction[];
  assert.deepEqual([x.auth_scheme, x.username, x.password_sent], ['digest', 'root', false]);
  assert.equal(d.of('credential').length, 0);
});

/** One TCP connection carrying `turns` (client 10.0.0.10, server `server`:554, each server its own MAC so the inventory keeps them apart). */
function tcpPcap(turns: Chunk[], server: string, oPort: number, t0: number): { ts: number; frame: Uint8Array }[] {
  const last = Number(server.split('.')[3]);
  return tcpConversationFrames({ client: '10.0.0.10', server, cport: oPort, sport: 554, t0, turns, serverMac: `0200000001${last.toString(16).padStart(2, '0')}` });
}

function cameraPcap(): string {
  return writePcap([...tcpPcap(BASIC_401, '10.0.0.64', 50000, 1700000000), ...tcpPcap(URI_CREDS, '10.0.0.65', 50001, 1700000010), ...tcpPcap(DIGEST, '10.0.0.66', 50002, 1700000020)]);
}

test("inventory: an SDP's a=tool is the server's software, with the answer's packet as evidence (synthetic LIVE555 camera)", async () => {
  const { devices } = await runInventory([writePcap(tcpPcap(LIVE555, '10.0.0.70', 50010, 1700000030))]);
  const d = deviceWithIp(devices, '10.0.0.70')!;
  assert.ok(d.software.includes('LIVE555 Streaming Media v2013.02.11'), JSON.stringify(d.software));
  const e = d.evidence.find((x) => x.source === 'rtsp.sdp_tool');
  assert.equal(e?.value, 'LIVE555 Streaming Media v2013.02.11');
  assert.ok((e?.packet ?? 0) > 0);
  assert.equal(d.category, 'camera');
});

test('camera logins: cleartext-credentials on both cameras, default-credentials on the Dahua one, no password in any log (synthetic)', async () => {
  const a = await assessCaptures([cameraPcap()]);
  try {
    const on = (ip: string, rule: string) => a.result.findings.filter((f) => f.device.endsWith(ip) && f.rule === rule);
    assert.equal(on('10.0.0.64', 'cleartext-credentials').length, 1);
    assert.match(on('10.0.0.64', 'cleartext-credentials')[0].title, /RTSP on port 554/);
    assert.equal(on('10.0.0.65', 'cleartext-credentials').length, 1);
    assert.equal(on('10.0.0.66', 'cleartext-credentials').length, 0, 'Digest sends no password');
    assert.equal(on('10.0.0.64', 'default-credentials').length, 1);
    assert.equal(on('10.0.0.65', 'default-credentials').length, 0);
    const logs = logStrings(a.run.outDir);
    for (const secret of ['YWRtaW46YWRtaW4=', 'Zq7!wall', 'Zq7%21wall']) assert.ok(!logs.some((s) => s.includes(secret)), secret);
    const rtsp = a.run.log('rtsp');
    assert.deepEqual(rtsp.map((r) => [r['id.resp_h'], r.password, r.username]), [
      ['10.0.0.64', undefined, undefined],
      ['10.0.0.64', '<redacted>', 'admin'],
      ['10.0.0.65', '<redacted>', 'operator'],
      ['10.0.0.66', undefined, 'root'],
    ]);
    assert.ok(!JSON.stringify(a.result.findings).includes('Zq7'));
  } finally {
    a.run.cleanup();
  }
});

test('inventory: RTSP servers are cameras on any port; camera banners name the vendor (synthetic cameras; rtsp.pcap for the role)', { skip }, async () => {
  const { devices } = await runInventory([cameraPcap()]);
  const want: [string, string | null][] = [['10.0.0.64', 'Dahua'], ['10.0.0.65', 'Hikvision'], ['10.0.0.66', 'Axis Communications']];
  for (const [ip, vendor] of want) {
    const d = deviceWithIp(devices, ip);
    assert.equal(d?.category, 'camera', ip);
    assert.equal(d?.vendor, vendor, ip);
  }
  // rtsp.pcap: the VLC server on port 8554 (not 554) is found by its answers; its banner is software.
  const real = await runInventory([RTSP_PCAP()]);
  const vlc = deviceWithIp(real.devices, '10.2.2.2')!;
  assert.ok(vlc.evidence.some((e) => e.source === 'rtsp.response' && e.value === 'rtsp-server'));
  assert.ok(vlc.evidence.some((e) => e.source === 'rtsp.server' && e.value === 'VLC/3.0.12'));
  // …but it runs in a VMware guest (OUI 00:0c:29): a media server, not a camera.
  assert.equal(vlc.category, 'server');
  assert.match(vlc.category_reason ?? '', /mac\.oui/);
  const client = deviceWithIp(real.devices, '10.1.1.10')!;
  assert.ok(!client.evidence.some((e) => e.value === 'rtsp-server'));
});

test('parsers and the analyzer survive truncation and mutation of the real streams', { skip }, async () => {
  const streams = await captureStreams(RTSP_PCAP());
  const s = streams.find((x) => x.resp.length > 1000)!;
  const lines = Buffer.from(s.orig).toString('latin1').split('\r\n').slice(0, 12).map((l) => enc(l));
  fuzzParser(lines, (b) => {
    const t = Buffer.from(b).toString('latin1');
    parseRequestLine(t);
    parseStatusLine(t);
    stripUserinfo(t);
    probe(b, 0, b.length, true);
    probe(b, 0, b.length, false);
    parseInterleaved(b, 0, b.length);
  });
  const seeds = [s.orig.subarray(0, 600), s.resp.subarray(0, 1200), ...interleavedSession().map((c) => c.bytes.subarray(0, 400)), ...BASIC_401.map((c) => c.bytes)];
  fuzzParser(seeds, (b) => {
    const ctx = new FakeContext(40000, 554);
    const a = new RtspAnalyzer();
    a.data(ctx, true, b, 0, b.length);
    a.data(ctx, false, b, 0, b.length);
    a.gap(ctx, false, 17);
    a.end(ctx);
  }, { mutations: 150 });
  // Whole conversations with mutated chunks keep their bounds.
  const r = rng(7);
  for (let i = 0; i < 200; i++) {
    const chunks = s.chunks.map((c) => ({ isOrig: c.isOrig, bytes: r() < 0.3 ? mutate(c.bytes, r) : c.bytes }));
    replay(new RtspAnalyzer(), chunks);
  }
});
