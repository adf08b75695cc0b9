// FTP analyzer tests: ftp.log against every Zeek ftp.log baseline, data-channel expectations
// against the ftp-data connections in Zeek's conn.log, Arkime's ftp.test, Suricata's FTP EVE
// checks, nDPI's failed login, secrets never logged, and parser/analyzer robustness.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { corpus, haveCorpus, readZeekTsv, runCaptures, zeekBaselines } from '../../testutil/corpus.js';
import { fuzzParser } from '../../testutil/fuzz.js';
import { PROBE_MAYBE, PROBE_NO, PROBE_YES } from '../types.js';
import { captureStreams, replay } from '../streams.testutil.js';
import { FtpAnalyzer } from './analyzer.js';
import { LOGGED_COMMANDS, ZEEK_LOGGED_COMMANDS } from './log.js';
import { compressPath, extractPath, ftpUrl, parseCommand, parseEprtArg, parseEpsvReply, parsePasvReply, parsePortArg, parseReplyLine } from './parse.js';
import { probe } from './probe.js';

const skip = !haveCorpus() && 'shared corpus not present';
const enc = (s: string): Uint8Array => new TextEncoder().encode(s);

test('host-port arguments and replies decode (RFC 959 §4.1.2, RFC 2428)', () => {
  assert.deepEqual(parsePortArg('141,142,220,235,131,46'), { host: '141.142.220.235', port: 33582 });
  assert.equal(parsePortArg('1,2,3,4,0,0'), null);
  assert.equal(parsePortArg('300,1,1,1,1,1'), null);
  assert.deepEqual(parsePasvReply('Entering Passive Mode (199,233,217,249,221,90)'), { host: '199.233.217.249', port: 56666 });
  assert.deepEqual(parseEprtArg('|2|2001:470:1f11:81f:c999:d94:aa7c:2e3e|49189|'), { host: '2001:470:1f11:81f:c999:d94:aa7c:2e3e', port: 49189 });
  assert.deepEqual(parseEprtArg('!1!132.235.1.2!6275!'), { host: '132.235.1.2', port: 6275 });
  assert.equal(parseEprtArg('|3|x|1|'), null);
  assert.equal(parseEpsvReply('Entering Extended Passive Mode (|||57086|)'), 57086);
});

test('reply lines and commands parse, multi-line markers included', () => {
  assert.deepEqual(parseReplyLine('230-Welcome'), { code: 230, sep: '-', text: 'Welcome' });
  assert.deepEqual(parseReplyLine('226 Transfer complete.'), { code: 226, sep: ' ', text: 'Transfer complete.' });
  assert.deepEqual(parseReplyLine('   continued'), { code: 0, sep: '', text: '   continued' });
  assert.deepEqual(parseCommand('retr robots.txt'), { cmd: 'RETR', arg: 'robots.txt' });
  assert.equal(parseCommand('\x16\x03\x01'), null);
});

test('file URLs are built from the working directory as Zeek builds them', () => {
  assert.equal(ftpUrl('199.233.217.249', '.', 'robots.txt'), 'ftp://199.233.217.249/./robots.txt');
  assert.equal(ftpUrl('2001:470:4867:99::21', '/', 'robots.txt'), 'ftp://[2001:470:4867:99::21]/robots.txt');
  assert.equal(compressPath('/a/b/../c/./d'), '/a/c/d');
  assert.equal(extractPath('"/" is the current directory'), '/');
});

test('probe() is sure of an FTP greeting, unsure of a bare 220, and refuses SMTP', () => {
  assert.equal(probe(enc('220 (vsFTPd 3.0.5)\r\n'), 0, 20, false), PROBE_YES);
  assert.equal(probe(enc('220 Welcome\r\n'), 0, 13, false), PROBE_MAYBE);
  assert.equal(probe(enc('220 mx.google.com ESMTP x\r\n'), 0, 27, false), PROBE_NO);
  assert.equal(probe(enc('USER anonymous\r\n'), 0, 16, true), PROBE_MAYBE);
  assert.equal(probe(enc('GET / HTTP/1.1\r\n'), 0, 16, true), PROBE_NO);
});

test('a multi-line reply answers its command once, with its last line', () => {
  // Synthetic: RFC 959 §4.2's multi-line form, which no corpus login uses.
  const a = new FtpAnalyzer();
  const ctx = replay(a, [
    { isOrig: false, bytes: enc('220-Hello\r\n220 (vsFTPd 3.0.5)\r\n') },
    { isOrig: true, bytes: enc('USER bob\r\nPASS s3cret\r\n') },
    { isOrig: false, bytes: enc('331 Password?\r\n230-Welcome\r\n 230 not the end\r\n230 Logged in\r\n') },
  ]);
  const cmds = ctx.of('ftp.command');
  assert.deepEqual(cmds.map((c) => [c.command, c.reply_code, c.reply_msg]), [
    ['<init>', 220, '(vsFTPd 3.0.5)'],
    ['USER', 331, 'Password?'],
    ['PASS', 230, 'Logged in'],
  ]);
  const cred = ctx.of('credential')[0];
  assert.equal(cred.user, 'bob');
  assert.equal(cred.success, true);
  assert.ok(!JSON.stringify(ctx.events).includes('s3cret'));
});

test('a capture that starts after the greeting still pairs replies with their commands', () => {
  // Synthetic: the corpus captures all start at the SYN.
  const ctx = replay(new FtpAnalyzer(), [
    { isOrig: true, bytes: enc('PASV\r\n') },
    { isOrig: false, bytes: enc('227 Entering Passive Mode (10,0,0,2,4,1)\r\n') },
    { isOrig: true, bytes: Buffer.from('\xff\xf4\xff\xf2ABOR\r\n', 'latin1') },
    { isOrig: false, bytes: enc('226 Abort successful\r\n') },
  ]);
  assert.deepEqual(ctx.of('ftp.command').map((c) => [c.command, c.reply_code]), [['PASV', 227], ['ABOR', 226]]);
  assert.deepEqual(ctx.of('ftp.expect').map((e) => [e.host, e.port]), [['10.0.0.2', 1025]]);
});

/** Per Zeek baseline: commands its test added to FTP::logged_commands, and its truncations. */
const ZEEK_TESTS: Record<string, { extra: string[]; argLen?: number; msgLen?: number; userLen?: number }> = {
  'scripts.base.protocols.ftp.ftp-ipv4/ftp.log': { extra: [] },
  'scripts.base.protocols.ftp.ftp-ipv6/ftp.log': { extra: [] },
  'scripts.base.protocols.ftp.ftp-max-arg-length/ftp.log': { extra: ['CWD', 'USER'], argLen: 13, msgLen: 17 },
  'scripts.base.protocols.ftp.ftp-max-user-length/ftp.log': { extra: [], userLen: 4 },
  'scripts.base.protocols.ftp.ftp-password-pass-command/ftp.log': { extra: ['USER', 'PASS', 'SYST', 'QUIT'] },
  'scripts.base.protocols.ftp.ftp-password-pass-command-hidden/ftp.log': { extra: ['USER', 'PASS', 'SYST', 'QUIT'] },
  'scripts.base.protocols.ftp.ftp-auth-tls/ftp.log': { extra: ['<init>', 'AUTH'] },
};

const zeekFtp = skip ? [] : zeekBaselines('ftp.log');

test('every Zeek ftp.log baseline is described', { skip }, () => {
  assert.ok(zeekFtp.length >= 5);
  for (const { baseline } of zeekFtp) assert.ok(ZEEK_TESTS[baseline.split('/').slice(-2).join('/')], baseline);
});

for (const { trace, baseline } of zeekFtp) {
  const name = baseline.split('/').slice(-2).join('/');
  const cfg = ZEEK_TESTS[name] ?? { extra: [] };
  test(`ftp.log matches Zeek's ${name} on the commands both log`, { skip: !existsSync(trace) }, async () => {
    const zeekSet = new Set([...ZEEK_LOGGED_COMMANDS, ...cfg.extra]);
    // Zeek's "<init>" line (the greeting) is logged only when a test asks for it; wardline
    // reports the greeting in software.log instead.
    const want = readZeekTsv(baseline).filter((w) => LOGGED_COMMANDS.has(w.command));
    const run = await runCaptures([trace]);
    try {
      const got = run.log('ftp').filter((r) => zeekSet.has(String(r.command)));
      assert.equal(got.length, want.length, 'line count');
      const fuids = new Set(run.log('files').map((f) => String(f.fuid)));
      const cut = (v: unknown, n?: number): string => (v === undefined ? '-' : n === undefined ? String(v) : String(v).slice(0, n));
      want.forEach((w, i) => {
        const g = got[i];
        assert.equal(cut(g.user, cfg.userLen), w.user, 'user');
        assert.equal(g.command, w.command);
        // Zeek logs the PASS argument in clear or as "<hidden>"; wardline always redacts it.
        if (w.command === 'PASS') assert.equal(g.arg, '<redacted>');
        else assert.equal(cut(g.arg, cfg.argLen), w.arg, 'arg');
        // Likewise the session's password column: Zeek shows it for anonymous logins.
        assert.equal(g.password === undefined ? '-' : 'sent', w.password === '-' ? '-' : 'sent', 'password presence');
        if (g.password !== undefined) assert.equal(g.password, '<redacted>');
        assert.equal(cut(g.file_size), w.file_size, 'file_size');
        assert.equal(cut(g.reply_code), w.reply_code, 'reply_code');
        assert.equal(cut(g.reply_msg, cfg.msgLen), w.reply_msg, 'reply_msg');
        assert.equal(g['data_channel.passive'] === undefined ? '-' : g['data_channel.passive'] ? 'T' : 'F', w['data_channel.passive']);
        for (const f of ['data_channel.orig_h', 'data_channel.resp_h', 'data_channel.resp_p']) assert.equal(cut(g[f]), w[f], f);
        // The transfer's file: a fuid exactly where Zeek has one, and its id in files.log; the
        // media type where Zeek has it (in ftp-ipv6 Zeek logs RETR before its sniffer ran, so
        // its column is empty there while wardline's says text/plain).
        assert.equal(g.fuid !== undefined, w.fuid !== '-', 'fuid presence');
        if (g.fuid !== undefined) assert.ok(fuids.has(String(g.fuid)), 'fuid in files.log');
        if (w.mime_type !== '-') assert.equal(g.mime_type, w.mime_type, 'mime_type');
      });
    } finally {
      run.cleanup();
    }
  });
}

const zeekFtpConn = skip ? [] : zeekBaselines('conn.log').filter((b) => b.baseline.includes('.ftp.'));

for (const { trace, baseline } of zeekFtpConn) {
  const name = baseline.split('/').slice(-2).join('/');
  test(`conn.log service and ftp.expect events cover Zeek's ${name}`, async () => {
    const want = readZeekTsv(baseline);
    const run = await runCaptures([trace]);
    try {
      const conns = run.log('conn');
      const expects = run.result.events.map((e) => e.ev).filter((e) => e.type === 'ftp.expect');
      for (const w of want) {
        const services = w.service.split(',');
        if (services.includes('ftp')) {
          const c = conns.find((r) => String(r['id.orig_p']) === w['id.orig_p'] && r['id.resp_h'] === w['id.resp_h']);
          assert.ok(c && String(c.service).split(',').includes('ftp'), `service of ${w['id.orig_p']}`);
        }
        if (services.includes('ftp-data')) {
          // The engine turns these expectations into service "ftp-data" (wired by the host).
          assert.ok(
            expects.some((e) => e.host === w['id.resp_h'] && String(e.port) === w['id.resp_p'] && e.orig_h === w['id.orig_h']),
            `no ftp.expect for ${w['id.orig_h']} -> ${w['id.resp_h']}:${w['id.resp_p']}`,
          );
        }
      }
    } finally {
      run.cleanup();
    }
  });
}

test("the login agrees with Arkime's ftp.test (user anonymous, a password was sent)", { skip }, async () => {
  const s = (JSON.parse(readFileSync(corpus('arkime/tests/pcap/ftp.test'), 'utf8')) as { sessions3: { body: { user?: string[]; tags?: string[]; protocol: string[] } }[] }).sessions3[0].body;
  const run = await runCaptures([corpus('arkime/tests/pcap/ftp.pcap')]);
  try {
    const log = run.log('ftp');
    assert.deepEqual([...new Set(log.map((r) => r.user))], s.user);
    assert.ok(s.tags?.includes('ftp:password'));
    assert.ok(log.some((r) => r.command === 'PASS' && r.password === '<redacted>'));
    assert.ok(s.protocol.includes('ftp') && run.conns.some((c) => c.service === 'ftp'));
  } finally {
    run.cleanup();
  }
});

test("commands and replies agree with Suricata's output-eve-ftp checks", { skip }, async () => {
  const run = await runCaptures([corpus('suricata-verify/tests/bug-3519/input.pcap')]);
  try {
    const cmds = run.result.events.map((e) => e.ev).filter((e) => e.type === 'ftp.command');
    const count = (c: string): number => cmds.filter((e) => e.command === c).length;
    assert.deepEqual([count('USER'), count('PASS'), count('NLST'), count('PORT'), count('RETR'), count('QUIT')], [1, 1, 1, 2, 1, 1]);
    const pass = cmds.find((e) => e.command === 'PASS')!;
    assert.equal(pass.reply_code, 230);
    assert.equal(pass.reply_msg, 'Login successful.');
    // Suricata logs every reply line of NLST; the command's final reply is the last of them.
    assert.equal(cmds.find((e) => e.command === 'NLST')!.reply_msg, 'Directory send OK.');
  } finally {
    run.cleanup();
  }
});

test("PORT data channels agree with Suricata's ftp-bounce checks, and the bounce is a weird", { skip }, async () => {
  const run = await runCaptures([corpus('suricata-verify/tests/ftp/ftp-bounce/test.pcap')]);
  try {
    const ports = run.log('ftp').filter((r) => r.command === 'PORT');
    const byPort = (p: number): Record<string, unknown> | undefined => ports.find((r) => r['id.orig_p'] === p);
    assert.equal(byPort(33112)?.['data_channel.resp_p'], 59549);
    assert.equal(byPort(58316)?.['data_channel.resp_p'], 80);
    assert.equal(byPort(58316)?.['data_channel.passive'], false);
    assert.equal(run.result.weirds['ftp.port_bounce'], 1);
  } finally {
    run.cleanup();
  }
});

test("a refused login is a failure, as nDPI's ftp_failed result says (Auth Failed, user hello)", { skip }, async () => {
  const out = readFileSync(corpus('ndpi/result/ftp_failed.pcap.out'), 'utf8');
  assert.match(out, /\[User: hello\].*\[Auth Failed\]/);
  const run = await runCaptures([corpus('ndpi/pcap/ftp_failed.pcap')]);
  try {
    const logins = run.result.events.map((e) => e.ev).filter((e) => e.type === 'ftp.login');
    assert.deepEqual(logins.map((l) => [l.user, l.success]), [['hello', false]]);
    assert.ok(run.conns.some((c) => c.service === 'ftp'));
  } finally {
    run.cleanup();
  }
});

test('AUTH TLS accepted ends parsing and is reported', { skip }, async () => {
  const run = await runCaptures([corpus('zeek/traces/ftp/ftp-auth-tls.pcap')]);
  try {
    const evs = run.result.events.map((e) => e.ev);
    assert.equal(evs.filter((e) => e.type === 'ftp.starttls').length, 1);
    assert.ok(!run.result.weirds['ftp.bad_reply'] && !run.result.weirds['ftp.bad_command'], JSON.stringify(run.result.weirds));
  } finally {
    run.cleanup();
  }
});

/** Passwords sent in the FTP fixtures, and how to look for them in the logs. */
const SECRETS: [string, RegExp][] = [
  ['zeek/traces/ftp/ftp-password-pass-command.pcap', /qwerty/],
  ['zeek/traces/ftp/ipv4.pcap', /"test"|[^\w]test[^\w]/],
  ['zeek/traces/ftp/ipv6.pcap', /"test"|[^\w]test[^\w]/],
  ['arkime/tests/pcap/ftp.pcap', /ftp@example\.com/],
  ['zeek/traces/var-services-std-ports.pcap', /whatabadpass/],
  ['suricata-verify/tests/sip-method/sip.pcap', /d0xa!/],
  // This password is the word "password": look for it as a value, not as the field name.
  ['suricata-verify/tests/ftp/ftp-download-active/input.pcap', /"password"[,}\]]/],
];

for (const [file, re] of SECRETS) {
  test(`no log holds the FTP password of ${file}`, { skip }, async () => {
    const run = await runCaptures([corpus(file)]);
    try {
      for (const f of readdirSync(join(run.outDir, 'logs'))) {
        const text = readFileSync(join(run.outDir, 'logs', f), 'utf8');
        assert.ok(!re.test(text), `${f} contains the password`);
      }
    } finally {
      run.cleanup();
    }
  });
}

test('the parsers survive truncation and mutation of real FTP lines', { skip }, async () => {
  const s = (await captureStreams(corpus('zeek/traces/ftp/ipv6.pcap'))).find((x) => x.rPort === 21)!;
  const lines = Buffer.concat([s.orig, s.resp]).toString('latin1').split('\r\n').filter((l) => l !== '').slice(0, 30).map(enc);
  fuzzParser(lines, (b) => {
    const t = Buffer.from(b).toString('latin1');
    parseCommand(t);
    parseReplyLine(t);
    parsePortArg(t);
    parsePasvReply(t);
    parseEprtArg(t);
    parseEpsvReply(t);
    extractPath(t);
    ftpUrl('::1', '.', t);
    probe(b, 0, b.length, false);
    probe(b, 0, b.length, true);
  }, { mutations: 60 });
});

test('the analyzer survives truncation and mutation of a real FTP session', { skip }, async () => {
  const s = (await captureStreams(corpus('zeek/traces/ftp/ipv4.pcap'))).find((x) => x.rPort === 21)!;
  fuzzParser([s.resp.subarray(0, 900), s.orig.subarray(0, 300)], (b) => {
    replay(new FtpAnalyzer(), [
      { isOrig: false, bytes: b },
      { isOrig: true, bytes: b },
      { isOrig: false, bytes: b },
    ]);
  }, { mutations: 150 });
});

test("FTP servers agree with Zeek's known-services log", { skip }, async () => {
  const want = readZeekTsv(corpus('zeek/baselines/scripts.policy.protocols.conn.known-services/knownservices-all.log')).filter((w) => w.service === 'FTP');
  assert.ok(want.length > 0);
  const run = await runCaptures([corpus('zeek/traces/var-services-std-ports.pcap')]);
  try {
    const mine = new Set(run.log('conn').filter((c) => c.service === 'ftp').map((c) => `${c['id.resp_h']}:${c['id.resp_p']}`));
    assert.deepEqual([...mine].sort(), want.map((w) => `${w.host}:${w.port_num}`).sort());
  } finally {
    run.cleanup();
  }
});
