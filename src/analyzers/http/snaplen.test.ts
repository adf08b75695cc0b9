// Captures cut by a snap length (tcpdump -s, editcap -s): each frame keeps only its first bytes,
// so most HTTP messages lose their end. Zeek delivers none of a cut segment (weird
// truncated_tcp_payload); wardline delivers what was captured and skips the rest as a gap at once,
// so the request line, the status line and the next message on the connection are still read.
// Expectations: tshark's reading of the same cut captures (summary lines and HTTP fields), and
// Zeek's http.log of the uncut trace for the method and target the cut kept.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { Monitor } from '../../monitor/monitor.js';
import { corpus, haveCorpus, readTsharkFields, readZeekTsv, REPO_ROOT, runCaptures } from '../../testutil/corpus.js';

const skip = !haveCorpus() && 'shared corpus not present';

const dir = join(REPO_ROOT, 'test', 'fixtures', 'generated', 'snaplen');

/** tshark's summary lines of the HTTP messages: [frame, stream, method or null, target or status]. */
function tsharkMessages(name: string): [number, number, string | null, string][] {
  const out: [number, number, string | null, string][] = [];
  for (const [frame, stream, info] of readTsharkFields(join(dir, `${name}.tshark.tsv`)).slice(1)) {
    const req = /^([A-Z]+) (\S+) HTTP\/1\.[01]/.exec(info);
    const resp = /^HTTP\/1\.[01] (\d{3}) /.exec(info);
    if (req !== null) out.push([Number(frame), Number(stream), req[1], req[2]]);
    else if (resp !== null) out.push([Number(frame), Number(stream), null, resp[1]]);
  }
  return out;
}

test('keep-alive HTTP cut to 128 bytes a frame: every request and answer is read (generated-snaplen-http.pcap)', async () => {
  const msgs = tsharkMessages('generated-snaplen-http');
  const reqs = msgs.filter((m) => m[2] !== null);
  const resps = msgs.filter((m) => m[2] === null);
  assert.equal(reqs.length, 5);
  assert.equal(resps.length, 5);
  const cut = readTsharkFields(join(dir, 'generated-snaplen-http.cut.tshark.tsv'));
  const mon = new Monitor({});
  const run = await runCaptures([join(dir, 'generated-snaplen-http.pcap')], undefined, { onEvent: mon.onEvent, onConn: mon.onConn });
  try {
    assert.equal(run.result.inputs[0].cut_packets, cut.length);
    assert.equal(run.result.inputs[0].snaplen, 128);
    const http = run.log('http');
    // One line per exchange, in order: the four on the keep-alive connection (the SQL injection
    // among them, past a response whose headers the cut lost), then the POST on its own.
    assert.deepEqual(
      http.map((l) => [l.method, l.uri, l.status_code]),
      reqs.map((r, i) => [r[2], unescape(r[3]), Number(resps[i][3])]),
    );
    const uids = http.map((l) => l.uid);
    assert.equal(new Set(uids.slice(0, 4)).size, 1);
    assert.notEqual(uids[4], uids[0]);
    // Lines skipped while finding the next message are no anomaly; the gaps are.
    const weirds = new Set(run.log('weird').map((w) => String(w.name)));
    assert.deepEqual([...weirds], ['http.content_gap']);
    // The injection is seen though the capture kept only the request line's start.
    const [a, ...more] = mon.finish().filter((x) => x.rule === 'exploit-attempt');
    assert.equal(more.length, 0);
    assert.deepEqual(a.evidence.map((e) => [e.packet, e.value]), [[reqs[1][0], `GET ${unescape(reqs[1][3])} -> 200: SQL injection`]]);
  } finally {
    run.cleanup();
  }
});

test('a request line the snap length cut keeps its method and the target up to the cut (cooper-grill-dvwa.pcapng at 128 bytes)', async () => {
  // tshark's HTTP fields on the cut capture: the method and the target's beginning.
  const rows = readTsharkFields(join(dir, 'cooper-grill-dvwa-snap128.http.tshark.tsv')).slice(1).filter((r) => r[2] !== '');
  assert.equal(rows.length, 3);
  const run = await runCaptures([join(dir, 'cooper-grill-dvwa-snap128.pcapng')]);
  try {
    const http = run.log('http');
    assert.deepEqual(
      http.map((l) => [l.method, l.uri, l.status_code]),
      rows.map((r) => [r[2], unescape(r[3]), 200]),
    );
    assert.ok(http.every((l) => l.user_agent === undefined));
    // Zeek's http.log of the uncut trace: each target begins with what the cut kept.
    if (haveCorpus()) {
      const want = readZeekTsv(corpus('zeek/baselines/scripts.policy.protocols.http.sql-injection-plus-dvwa2/http.log.cut')).map((w) => w.uri).sort();
      const got = http.map((l) => String(l.uri)).sort();
      assert.equal(got.length, want.length);
      got.forEach((u, i) => assert.ok(want[i].startsWith(u), `${want[i]} starts with ${u}`));
    }
  } finally {
    run.cleanup();
  }
});

/** Percent-decoding as Zeek's http.log shows targets (unescape_URI): %XX only, '+' kept. */
function unescape(u: string): string {
  return u.replace(/%([0-9A-Fa-f]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
}

test('an uncut capture is not reported as cut (web.pcap)', { skip }, async () => {
  const whole = await runCaptures([corpus('zeek/traces/web.pcap')]);
  try {
    assert.equal(whole.result.inputs[0].cut_packets, undefined);
    assert.equal(whole.result.inputs[0].snaplen, undefined);
  } finally {
    whole.cleanup();
  }
});

test('web.pcap cut to 96 bytes: the request line and status survive, the capture says it was cut', async () => {
  const cut = readTsharkFields(join(dir, 'web-snap96.cut.tshark.tsv'));
  const run = await runCaptures([join(dir, 'web-snap96.pcap')]);
  try {
    assert.equal(run.result.inputs[0].cut_packets, cut.length);
    assert.equal(run.result.inputs[0].snaplen, Math.max(...cut.map((r) => Number(r[1]))));
    const msgs = tsharkMessages('web-snap96');
    assert.deepEqual(run.log('http').map((l) => [l.method, l.uri, l.status_code]), [[msgs[0][2], msgs[0][3], Number(msgs[1][3])]]);
  } finally {
    run.cleanup();
  }
});
