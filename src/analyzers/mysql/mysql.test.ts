// MySQL tests against real captures: Zeek's encrypted-session baseline (empty mysql.log, the
// SSL request, conn service), Arkime's mysql-allow/deny (user, server version), nDPI's MySQL
// and MariaDB flows; secrets (scrambles never logged, clear-text plugin passwords only as a
// digest), probing off-port, fuzzing on real packets.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { corpus, haveCorpus, readZeekTsv, runCaptures } from '../../testutil/corpus.js';
import { arkimeSessions, ndpiFlows, recordStreams, splitPdus, TestContext } from '../../testutil/recorded.js';
import { fuzzParser } from '../../testutil/fuzz.js';
import { commandArg, lenenc, mysqlFrameLength, parseGreeting, parseHandshakeResponse, parseServerPacket } from './parse.js';
import { probe } from './probe.js';
import { MysqlAnalyzer } from './analyzer.js';
import { MYSQL } from './index.js';
import { PROBE_NO, PROBE_YES } from '../types.js';
import { REDACTED, secretDigest } from '../secret.js';

const skip = !haveCorpus() && 'shared corpus not present';

test("an SSL-upgraded session leaves mysql.log empty, as Zeek's mysql.encrypted baseline does", { skip }, async () => {
  const base = 'zeek/baselines/scripts.base.protocols.mysql.encrypted';
  const want = readZeekTsv(corpus(base, 'mysql.log'));
  const out = readFileSync(corpus(base, 'out'), 'utf8');
  const run = await runCaptures([corpus('zeek/traces/mysql/encrypted.pcap')]);
  try {
    assert.equal(run.log('mysql').length, want.length);
    // Zeek's script prints one "mysql ssl request" line.
    assert.equal(run.result.events.filter((e) => e.ev.type === 'mysql.starttls').length, out.split('\n').filter((l) => l.startsWith('mysql ssl request')).length);
    // Zeek's conn.log says "mysql,ssl": after the SSL request the stream is handed to TLS.
    const zeekConn = readZeekTsv(corpus(base, 'conn.log'))[0];
    const c = run.conns.find((x) => x.rPort === 3306)!;
    assert.deepEqual(c.service.split(',').sort(), zeekConn.service.split(',').sort());
    assert.equal(run.log('ssl').filter((l) => l.uid === c.uid).length, 1);
  } finally {
    run.cleanup();
  }
});

for (const name of ['mysql-allow', 'mysql-deny']) {
  test(`login user and server version match Arkime's ${name}`, { skip }, async () => {
    const [s] = arkimeSessions(corpus(`arkime/tests/pcap/${name}.test`));
    const a = s.body.mysql as { user: string; version: string };
    const run = await runCaptures([corpus(`arkime/tests/pcap/${name}.pcap`)]);
    try {
      const login = run.log('mysql').find((r) => r.cmd === 'login')!;
      assert.equal(login.arg, a.user);
      const greet = run.result.events.find((e) => e.ev.type === 'mysql.greeting')!.ev;
      assert.equal(greet.version, a.version);
      const sw = run.log('software')[0];
      assert.equal(sw.unparsed_version, `MySQL/${a.version}`);
      assert.equal(sw.host, s.dst);
      // The "deny" capture of Arkime's suite is a refused login; "allow" an accepted one.
      assert.equal(login.success, name === 'mysql-allow');
      const svc = run.conns.find((c) => c.rPort === 3306)!.service;
      assert.deepEqual(s.protocols.filter((p) => p !== 'tcp'), [svc]);
    } finally {
      run.cleanup();
    }
  });
}

test('both nDPI MySQL flows are mysql in conn.log with the versions nDPI shows (MySQL 8.0.36, MariaDB 10.6.12)', { skip }, async () => {
  const flows = ndpiFlows(corpus('ndpi/result/mysql.pcapng.out')).filter((f) => f.app === 'MySQL');
  assert.equal(flows.length, 2);
  const run = await runCaptures([corpus('ndpi/pcap/mysql.pcapng')]);
  try {
    for (const f of flows) {
      const c = run.conns.find((x) => x.oPort === f.aPort && x.rPort === f.bPort)!;
      // Both clients ask for SSL after the greeting: TLS follows, handed to the TLS analyzer.
      const sslRequested = run.result.events.some((e) => e.uid === c.uid && e.ev.type === 'mysql.starttls');
      assert.equal(c.service, sslRequested ? 'mysql,ssl' : 'mysql');
      const version = /PLAIN TEXT \(([^)]+)\)/.exec(f.line)![1];
      const g = run.result.events.find((e) => e.uid === c.uid && e.ev.type === 'mysql.greeting')!.ev;
      assert.ok(String(g.version).includes(version), `${g.version} vs ${version}`);
    }
    // The MariaDB greeting's "5.5.5-" compatibility prefix is not the product version.
    const sw = run.log('software').map((r) => r.unparsed_version).sort();
    assert.deepEqual(sw, ['MariaDB/10.6.12-MariaDB-0ubuntu0.22.04.1', 'MySQL/8.0.36']);
  } finally {
    run.cleanup();
  }
});

// ---- secrets ---------------------------------------------------------------------------------

test("the fixtures' login scrambles appear in no log", { skip }, async () => {
  let checked = 0;
  for (const f of ['arkime/tests/pcap/mysql-allow.pcap', 'arkime/tests/pcap/mysql-deny.pcap', 'ndpi/pcap/mysql.pcapng']) {
    const secrets: string[] = [];
    for (const s of await recordStreams(corpus(f))) {
      const login = splitPdus(s.orig, mysqlFrameLength)[0];
      if (login === undefined) continue;
      const h = parseHandshakeResponse(login, 4, login.length - 4);
      if (h?.authLen) secrets.push(Buffer.from(login.subarray(h.authOff!, h.authOff! + h.authLen)).toString('hex'));
    }
    // mysql-deny logs in without a password ("using password: NO"): nothing to look for there.
    checked += secrets.length;
    const run = await runCaptures([corpus(f)]);
    try {
      assert.equal(run.result.events.filter((e) => e.ev.type === 'credential').length, 0, 'native/caching_sha2 scrambles are not passwords');
      for (const name of readdirSync(join(run.outDir, 'logs'))) {
        const text = readFileSync(join(run.outDir, 'logs', name), 'utf8');
        for (const sec of secrets) {
          assert.ok(!text.includes(sec) && !text.includes(Buffer.from(sec, 'hex').toString('base64')), `${f}: ${name}`);
        }
      }
    } finally {
      run.cleanup();
    }
  }
  assert.ok(checked >= 2, `scrambles checked: ${checked}`);
});

/**
 * No corpus capture uses a clear-text auth plugin, so this replays the real mysql-allow greeting
 * and login, then a hand-built AuthSwitchRequest to mysql_clear_password (MySQL "Clear Text
 * Authentication"), the client's password packet and the server's OK.
 */
test('a password sent through mysql_clear_password becomes a digest and reaches no log line', { skip }, async () => {
  const s = (await recordStreams(corpus('arkime/tests/pcap/mysql-allow.pcap'))).find((x) => x.rPort === 3306)!;
  const greeting = splitPdus(s.resp, mysqlFrameLength)[0];
  const login = splitPdus(s.orig, mysqlFrameLength)[0];
  const packet = (seq: number, payload: Buffer): Buffer => Buffer.concat([Buffer.from([payload.length & 0xff, (payload.length >> 8) & 0xff, payload.length >> 16, seq]), payload]);
  const password = 'Clear-Text-Pw-42';
  const authSwitch = packet(2, Buffer.from('\xfemysql_clear_password\0', 'latin1'));
  const pw = packet(3, Buffer.from(password + '\0'));
  const ok = packet(4, Buffer.from([0, 0, 0, 2, 0, 0, 0]));
  const a = new MysqlAnalyzer();
  const ctx = new TestContext(6, 50000, 3306);
  a.data(ctx, false, greeting, 0, greeting.length);
  a.data(ctx, true, login, 0, login.length);
  a.data(ctx, false, authSwitch, 0, authSwitch.length);
  a.data(ctx, true, pw, 0, pw.length);
  a.data(ctx, false, ok, 0, ok.length);
  a.end(ctx);
  const cred = ctx.events.find((e) => e.type === 'credential')!;
  assert.equal(cred.secret, secretDigest(password));
  assert.equal(cred.password, REDACTED);
  assert.equal(cred.user, 'user10');
  const rec = ctx.events.find((e) => e.type === 'mysql.command')!;
  assert.equal(rec.success, true);
  assert.ok(!JSON.stringify(ctx.events).includes(password));
});

// ---- probe and off-port detection ------------------------------------------------------------

test('probe() recognises MySQL and MariaDB greetings and rejects other first messages', { skip }, async () => {
  for (const f of ['arkime/tests/pcap/mysql-allow.pcap', 'ndpi/pcap/mysql.pcapng', 'zeek/traces/mysql/encrypted.pcap']) {
    for (const s of (await recordStreams(corpus(f))).filter((x) => x.rPort === 3306)) {
      assert.equal(probe(s.resp, 0, s.resp.length, false), PROBE_YES, f);
      assert.equal(probe(s.orig, 0, s.orig.length, true), PROBE_NO, f);
    }
  }
  const [ldap] = await recordStreams(corpus('zeek/traces/ldap/simpleauth.pcap'));
  assert.equal(probe(ldap.resp, 0, ldap.resp.length, false), PROBE_NO);
});

test('MySQL is found without port hints (mysql-allow.pcap with an empty port list)', { skip }, async () => {
  const run = await runCaptures([corpus('arkime/tests/pcap/mysql-allow.pcap')], [{ ...MYSQL, ports: [] }]);
  try {
    const [s] = arkimeSessions(corpus('arkime/tests/pcap/mysql-allow.test'));
    assert.equal(run.log('mysql').find((r) => r.cmd === 'login')?.arg, (s.body.mysql as { user: string }).user);
  } finally {
    run.cleanup();
  }
});

// ---- robustness ------------------------------------------------------------------------------

test('MySQL parsers survive truncation and mutation of real packets', { skip }, async () => {
  const seeds: Uint8Array[] = [];
  for (const f of ['arkime/tests/pcap/mysql-allow.pcap', 'arkime/tests/pcap/mysql-deny.pcap', 'ndpi/pcap/mysql.pcapng']) {
    for (const s of await recordStreams(corpus(f))) seeds.push(...splitPdus(s.orig, mysqlFrameLength).slice(0, 4), ...splitPdus(s.resp, mysqlFrameLength).slice(0, 6));
  }
  assert.ok(seeds.length >= 15);
  fuzzParser(seeds, (b) => {
    const n = b.length - 4;
    parseGreeting(b, 4, n);
    parseHandshakeResponse(b, 4, n);
    parseServerPacket(b, 4, n, 0x200);
    commandArg(b, 4, n);
    lenenc(b, 4, b.length);
  });
});

test('the MySQL analyzer survives mutated real streams', { skip }, async () => {
  const streams = await recordStreams(corpus('ndpi/pcap/mysql.pcapng'));
  fuzzParser(
    streams.flatMap((s) => [s.orig.subarray(0, 2000), s.resp.subarray(0, 2000)]),
    (b) => {
      const a = new MysqlAnalyzer();
      const ctx = new TestContext(6, 50000, 3306);
      a.data(ctx, false, b, 0, b.length);
      a.data(ctx, true, b, 0, b.length);
      a.data(ctx, false, b, 0, b.length);
      a.end(ctx);
    },
    { mutations: 100, maxMs: 500 },
  );
});
