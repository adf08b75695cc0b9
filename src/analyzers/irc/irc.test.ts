// IRC on a real session from nDPI's captures (test/fixtures/ndpi/ndpi-irc.pcap: a client
// registering with freenode on port 8000 and joining a channel; ndpiReader 4.2 labels it IRC).
// Expected values are tshark 4.0's decode with `-d tcp.port==8000,irc`: USER xxxxx +iw xxxxx
// (packet 4), NICK molochtest (6), MODE and JOIN #moloch-fpc (25). The PASS and DCC cases are
// synthetic (the capture has neither) and say so.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { REPO_ROOT, corpus, haveCorpus, runCaptures } from '../../testutil/corpus.js';
import { feedAnalyzer, flowBytes } from '../../testutil/flowbytes.js';
import { fuzzParser } from '../../testutil/fuzz.js';
import { ndpiFlows } from '../../testutil/peers.js';
import { PROBE_MAYBE, PROBE_NO, PROBE_YES } from '../types.js';
import { IrcAnalyzer } from './analyzer.js';
import { parseDcc, parseLine } from './parse.js';
import { probe } from './probe.js';

const PCAP = join(REPO_ROOT, 'test', 'fixtures', 'ndpi', 'ndpi-irc.pcap');

test("irc.log has Zeek's USER, NICK and JOIN lines of the freenode session; the server's 004 is its software", async () => {
  const [f] = ndpiFlows(join(REPO_ROOT, 'test', 'fixtures', 'ndpi', 'ndpi-irc.pcap.out'));
  assert.equal(f.app, 'IRC');
  const run = await runCaptures([PCAP]);
  try {
    assert.deepEqual(run.conns.map((c) => c.service), ['irc']);
    assert.deepEqual(
      run.log('irc').map((l) => [l.command, l.value, l.nick, l.user, l.addl]),
      [
        ['USER', 'xxxxx', undefined, 'xxxxx', '+iw xxxxx Xxxxxx Xxxx'],
        ['NICK', 'molochtest', undefined, 'xxxxx', undefined],
        ['JOIN', '#moloch-fpc', 'molochtest', 'xxxxx', undefined],
      ],
    );
    // ":card.freenode.net 004 molochtest card.freenode.net ircd-seven-1.1.3 …"
    const sw = run.log('software').find((l) => l.software_type === 'IRC::SERVER')!;
    assert.deepEqual([sw.host, sw.unparsed_version], ['38.229.70.20', 'ircd-seven-1.1.3']);
    assert.deepEqual(run.log('weird'), []);
  } finally {
    run.cleanup();
  }
});

test('a server password is a credential, accepted on the 001 welcome; a DCC offer is logged with its file (synthetic)', () => {
  const lines = (s: string) => ({ isOrig: true, bytes: Buffer.from(s) });
  const out = feedAnalyzer(
    new IrcAnalyzer(),
    [
      lines('PASS hunter2\r\nNICK bot42\r\nUSER bot 0 * :bot\r\n'),
      { isOrig: false, bytes: Buffer.from(':irc.example.net 001 bot42 :Welcome\r\n') },
      lines('PRIVMSG peer :\x01DCC SEND "ward list.txt" 3232235777 5000 1024\x01\r\n'),
    ],
    6,
  );
  const cred = out.events.find((e) => e.type === 'credential')!;
  assert.deepEqual([cred.protocol, cred.user, cred.success], ['irc', 'bot42', true]);
  assert.doesNotMatch(JSON.stringify(out.events), /hunter2/);
  const dcc = out.events.find((e) => e.command === 'DCC')!;
  assert.deepEqual([dcc.value, dcc.addl, dcc.dcc_file_name, dcc.dcc_file_size], ['SEND 192.168.1.1:5000', 'peer', 'ward list.txt', 1024]);
  assert.deepEqual(out.services, ['irc']);
  assert.deepEqual(parseDcc('\x01DCC CHAT chat 10.0.0.1 4000\x01'), { type: 'CHAT', file: 'chat', host: '10.0.0.1', port: 4000 });
  assert.deepEqual(parseLine(':a!b@c PRIVMSG #x :hi there'), { prefix: 'a!b@c', command: 'PRIVMSG', params: ['#x', 'hi there'] });
});

test('probe() takes a client registering or a server greeting, nothing else', async () => {
  const [f] = await flowBytes(PCAP);
  const c = f.chunks.find((x) => x.isOrig)!.bytes;
  const s = f.chunks.find((x) => !x.isOrig)!.bytes;
  assert.equal(probe(c, 0, c.length, true, 6), PROBE_YES);
  assert.equal(probe(s, 0, s.length, false, 6), PROBE_YES);
  for (const t of ['GET / HTTP/1.1\r\n', 'USER anonymous\r\n', 'PASS secret\r\n', 'NICK\r\n', 'CAPABILITY\r\n']) {
    const b = Buffer.from(t);
    // FTP's "USER anonymous" has one parameter, IRC's USER four; a bare PASS is IRC-shaped
    // (RFC 2812 §3.1.1) but also FTP's and POP3's: a maybe, left to IRC's ports. (nDPI's
    // fuzz-2006-06-26-2594 starts an FTP session on port 21 with PASS: it stays FTP.)
    const want = t.startsWith('PASS') ? PROBE_MAYBE : PROBE_NO;
    assert.equal(probe(b, 0, b.length, true, 6), want, t);
  }
});

test('the parser and the analyzer survive truncation and mutation of the real session', async () => {
  const [f] = await flowBytes(PCAP);
  fuzzParser(f.chunks.slice(0, 8).map((c) => c.bytes), (b) => {
    probe(b, 0, b.length, true, 6);
    probe(b, 0, b.length, false, 6);
    parseLine(Buffer.from(b).toString('latin1'));
  });
  fuzzParser([f.chunks[0].bytes], (b) => {
    feedAnalyzer(new IrcAnalyzer(), [{ isOrig: true, bytes: b }, ...f.chunks.slice(1, 10)], 6);
  }, { mutations: 200 });
});

test("an FTP session caught at its PASS (nDPI's fuzz-2006-06-26-2594, port 21) stays FTP", { skip: !haveCorpus() && 'shared corpus not present' }, async () => {
  const run = await runCaptures([corpus('ndpi', 'pcap', 'fuzz-2006-06-26-2594.pcap')]);
  try {
    assert.equal(run.log('irc').length, 0);
    assert.ok(run.log('ftp').some((l) => l.command === 'PASS' && l['id.resp_p'] === 21));
  } finally {
    run.cleanup();
  }
});
