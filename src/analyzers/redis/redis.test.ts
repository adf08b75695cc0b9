// Redis on real data: nDPI's Redis session (test/fixtures/ndpi/ndpi-redis.pcap: COMMAND, ping,
// set, get), and a capture of redis-cli and nc against Debian's Redis 7.0.15
// (test/fixtures/generated/redis/generate.sh). Expectations are tshark 4.0's RESP decode
// (ndpi-redis.tshark.tsv, redis/tshark.tsv: the Info column of each request and reply), its
// follow-stream of the inline commands (redis/follow-inline.txt) and redis-cli's own output
// (redis/redis-cli.out: INFO's fields, HELLO's map, the refusals), never this analyzer's.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT, runCaptures } from '../../testutil/corpus.js';
import { feedAnalyzer, flowBytes } from '../../testutil/flowbytes.js';
import { deviceWithIp, runInventory } from '../../inventory/testutil.js';
import { assessCaptures } from '../../assess/testutil.js';
import { fuzzParser } from '../../testutil/fuzz.js';
import { Monitor } from '../../monitor/monitor.js';
import type { Alert } from '../../report/alert.js';
import { PROBE_MAYBE, PROBE_NO, PROBE_YES } from '../types.js';
import { REDACTED, secretDigest } from '../secret.js';
import { MAX_LOGGED, RedisAnalyzer, dirKindOf } from './analyzer.js';
import { errorCode, luaEscapes, parseHello, parseInfo } from './parse.js';
import { probe } from './probe.js';
import { REDIS } from './index.js';

const FIX = join(REPO_ROOT, 'test', 'fixtures');
const GENERATED = join(FIX, 'generated', 'generated-redis.pcap');
const NDPI = join(FIX, 'ndpi', 'ndpi-redis.pcap');
const enc = (s: string): Uint8Array => new TextEncoder().encode(s);

/** Every password, key name, value and argument generate.sh and nDPI's client sent. */
const SECRETS = [
  'Rd-Cache-Pass-2026',
  'Wr0ng-Guess-1',
  'Ehr-Br1dge-Acl-26',
  'Rep0rting-Ro-26',
  'patient:MRN4471923:allergies',
  'MRN4471923',
  'penicillin-anaphylaxis',
  'report:last-run',
  'ward:3:beds',
  'ward:3:nurse',
  'bed-12',
  'hl7:inbound',
  'hl7:last-ack',
  'ADT-A01-MRN5580217',
  'ehr-bridge-7',
  '/tmp/wl-redis',
  'authorized_keys',
  'WardlineTestKeyNotReal',
  'wlx',
  'loadlib',
  'exp.so',
  'Hello world!',
];

/**
 * tshark's "Request: …" Info texts per TCP connection, each with the Info of the first server
 * packet after it: its reply's start (tshark reads later segments of a long reply as responses of
 * their own, so only the first counts).
 */
function tsharkExchanges(file: string, cols: { sport: number; dport: number; info: number }): Map<string, { req: string[]; resp: string[] }> {
  const out = new Map<string, { req: string[]; resp: string[] }>();
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (line === '') continue;
    const f = line.split('\t');
    const fromServer = f[cols.sport] === '6379';
    const client = fromServer ? f[cols.dport] : f[cols.sport];
    let e = out.get(client);
    if (e === undefined) out.set(client, (e = { req: [], resp: [] }));
    const info = f[cols.info];
    if (!fromServer && info.startsWith('Request: ')) e.req.push(info.slice(9));
    else if (fromServer && e.resp.length < e.req.length) e.resp.push(info.slice(10));
  }
  return out;
}

test('redis.log pairs commands and replies as tshark decodes the generated capture, and as redis-cli reported them', async () => {
  const run = await runCaptures([GENERATED]);
  try {
    assert.deepEqual(run.log('conn').map((c) => c.service), Array(10).fill('redis'));
    assert.equal(run.log('weird').length, 0);
    const lines = run.log('redis');
    const tshark = tsharkExchanges(join(FIX, 'generated', 'redis', 'tshark.tsv'), { sport: 2, dport: 4, info: 6 });
    // tshark decodes the inline commands only as fragments: follow-inline.txt shows "PING" and "INFO server".
    const inline = readFileSync(join(FIX, 'generated', 'redis', 'follow-inline.txt'), 'utf8');
    assert.match(inline, /\nPING\r?\nINFO server\r?\n/);
    for (const [port, ex] of tshark) {
      const mine = lines.filter((l) => String(l['id.orig_p']) === port);
      if (ex.req[0] === '[fragment] [fragment]') {
        assert.deepEqual(mine.map((l) => [l.command, l.inline, l.reply]), [['PING', true, 'simple'], ['INFO', true, 'bulk']]);
        continue;
      }
      // The command as tshark names it (its first word, and the subcommand of COMMAND/CONFIG/CLIENT/MODULE).
      assert.deepEqual(mine.map((l) => l.command), ex.req.map((r) => r.split(' ')[0].toUpperCase()), `port ${port}`);
      // Error replies and their code words.
      assert.deepEqual(
        mine.map((l) => (l.success === false ? `Error: ${String(l.error)}` : 'ok')),
        ex.resp.map((r) => (r.startsWith('Error: ') ? `Error: ${r.slice(7).split(' ')[0]}` : 'ok')),
        `port ${port}`,
      );
      for (const [i, l] of mine.entries()) if (l.subcommand !== undefined && l.subcommand !== 'NO ONE') assert.equal(String(l.subcommand), ex.req[i].split(' ')[1].toUpperCase());
    }
    assert.equal(lines.length, 47);
    // The refusals redis-cli printed.
    const out = readFileSync(join(FIX, 'generated', 'redis', 'redis-cli.out'), 'utf8');
    for (const code of ['NOAUTH', 'WRONGPASS', 'NOPERM']) assert.ok(out.includes(code) && lines.some((l) => l.error === code), code);
    const pick = (k: (l: Record<string, unknown>) => boolean): unknown[][] => lines.filter(k).map((l) => [l.command, l.subcommand, l.user, l.password, l.success, l.error]);
    assert.deepEqual(pick((l) => l.command === 'AUTH' || l.command === 'HELLO'), [
      ['AUTH', undefined, undefined, REDACTED, false, 'WRONGPASS'],
      ['AUTH', undefined, undefined, REDACTED, true, undefined],
      ['AUTH', undefined, 'ehrbridge', REDACTED, true, undefined],
      ['AUTH', undefined, 'reporting', REDACTED, true, undefined],
      ['HELLO', undefined, 'ehrbridge', REDACTED, true, undefined],
    ]);
    assert.deepEqual(
      lines.filter((l) => l.command === 'CONFIG').map((l) => [l.subcommand, (l.params as string[]).join(), l.admin ?? false, l.success]),
      [
        ['GET', 'dir', false, true],
        ['GET', 'dbfilename', false, true],
        ['SET', 'dir', true, false],
        ['GET', 'maxmemory', false, true],
        ['SET', 'dir', true, true],
        ['SET', 'dbfilename', true, true],
        ['SET', 'dir', true, true],
        ['SET', 'dbfilename', true, true],
      ],
    );
    assert.deepEqual(lines.filter((l) => l.admin === true).map((l) => `${String(l.command)}${l.subcommand !== undefined ? ` ${String(l.subcommand)}` : ''}`), [
      'CONFIG SET', 'SLAVEOF NO ONE', 'CONFIG SET', 'CONFIG SET', 'SAVE', 'CONFIG SET', 'CONFIG SET', 'SLAVEOF', 'SLAVEOF NO ONE', 'MODULE LOAD', 'EVAL', 'FLUSHALL',
    ]);
    // RESP3 after HELLO 3: a map, a set and a null, as redis-cli printed them (1# …, 1~ …, (nil)).
    const hello = lines.filter((l) => l['id.orig_p'] === lines.find((x) => x.command === 'HELLO')!['id.orig_p']);
    assert.deepEqual(hello.map((l) => l.reply), ['error', 'error', 'map', 'map', 'integer', 'set', 'null', 'integer']);
    // INFO and HELLO as redis-cli printed them.
    const servers = run.result.events.filter((e) => e.ev.type === 'redis.server').map((e) => e.ev);
    assert.deepEqual(servers.map((s) => [s.host, s.source, s.version, s.mode, s.os, s.arch_bits, s.role, s.tcp_port]), [
      ['10.97.0.5', 'info', '7.0.15', 'standalone', 'Linux 6.18.44-fc-v782 x86_64', 64, 'master', 6379],
      ['10.97.0.5', 'hello', '7.0.15', 'standalone', undefined, undefined, 'master', undefined],
      ['10.97.0.6', 'info', '7.0.15', 'standalone', 'Linux 6.18.44-fc-v782 x86_64', 64, undefined, 6379],
    ]);
    assert.match(out, /redis_version:7\.0\.15\r?\n/);
    assert.match(out, /os:Linux 6\.18\.44-fc-v782 x86_64\r?\n/);
    assert.match(out, /"version" => "7\.0\.15"/);
    // Credentials: keyed digests of what generate.sh sent, the outcome redis-cli saw.
    const creds = run.result.events.filter((e) => e.ev.type === 'credential').map((e) => e.ev);
    assert.deepEqual(creds.map((c) => [c.mechanism, c.user, c.secret, c.success, c.host]), [
      ['auth', '', secretDigest('Wr0ng-Guess-1'), false, '10.97.0.5'],
      ['auth', '', secretDigest('Rd-Cache-Pass-2026'), true, '10.97.0.5'],
      ['auth', 'ehrbridge', secretDigest('Ehr-Br1dge-Acl-26'), true, '10.97.0.5'],
      ['auth', 'reporting', secretDigest('Rep0rting-Ro-26'), true, '10.97.0.5'],
      ['hello-auth', 'ehrbridge', secretDigest('Ehr-Br1dge-Acl-26'), true, '10.97.0.5'],
    ]);
    // Sessions: only the open instance answered data commands without AUTH.
    const sessions = run.result.events.filter((e) => e.ev.type === 'redis.session').map((e) => e.ev);
    assert.deepEqual(sessions.map((s) => [s.server, s.noauth, s.auth_success, (s.unauthenticated_data as number) > 0]), [
      ['10.97.0.5', true, false, false],
      ['10.97.0.5', true, false, false],
      ['10.97.0.5', false, true, false],
      ['10.97.0.5', false, true, false],
      ['10.97.0.5', false, true, false],
      ['10.97.0.5', true, true, false],
      ['10.97.0.6', false, false, true],
      ['10.97.0.6', false, false, true],
      ['10.97.0.6', false, false, true],
      ['10.97.0.6', false, false, true],
    ]);
    const admin = run.result.events.filter((e) => e.ev.type === 'redis.admin').map((e) => e.ev);
    assert.deepEqual(admin.filter((a) => a.dir_kind !== undefined).map((a) => a.dir_kind), ['other', 'ssh', 'other']);
    assert.deepEqual(admin.filter((a) => a.master_host !== undefined).map((a) => [a.master_host, a.master_port]), [['10.97.0.66', 6379]]);
    assert.deepEqual(admin.filter((a) => a.lua_escape === true || a.writes_file === true).map((a) => [a.command, a.success]), [['SAVE', true], ['EVAL', false]]);
  } finally {
    run.cleanup();
  }
});

test("redis.log of nDPI's session matches tshark's decode", async () => {
  const run = await runCaptures([NDPI]);
  try {
    assert.deepEqual(run.log('conn').map((c) => c.service), ['redis']);
    assert.equal(run.log('weird').length, 0);
    const [ex] = tsharkExchanges(join(FIX, 'ndpi', 'ndpi-redis.tshark.tsv'), { sport: 1, dport: 2, info: 4 }).values();
    assert.deepEqual(ex.req.map((r) => r.split(' ')[0].toUpperCase()), ['COMMAND', 'PING', 'SET', 'GET']);
    assert.deepEqual(run.log('redis').map((l) => [l.command, l.success, l.reply]), [
      ['COMMAND', true, 'array'],
      ['PING', true, 'simple'],
      ['SET', true, 'simple'],
      ['GET', true, 'bulk'],
    ]);
    assert.deepEqual(ex.resp.map((r) => r.split(' ')[0]), ['Array(240)', 'PONG', 'OK', 'Hello']);
    // ndpiReader labels the flow Redis.
    assert.match(readFileSync(join(FIX, 'ndpi', 'ndpi-redis.pcap.out'), 'utf8'), /\[proto: 182\/Redis\]/);
  } finally {
    run.cleanup();
  }
});

test('no password, key name, value or argument of the captures reaches any output file', async () => {
  const run = await runCaptures([GENERATED, NDPI]);
  try {
    const dir = join(run.outDir, 'logs');
    const files = readdirSync(dir);
    assert.ok(files.includes('redis.log'));
    for (const f of files) {
      const text = readFileSync(join(dir, f), 'utf8');
      for (const s of SECRETS) assert.ok(!text.includes(s), `${f} holds ${s}`);
    }
    const events = JSON.stringify(run.result.events.map((e) => e.ev));
    for (const s of SECRETS) assert.ok(!events.includes(s), `an event holds ${s}`);
  } finally {
    run.cleanup();
  }
});

test("the cache host is a Redis 7.0.15 server on Linux as INFO states, master by its replication role; nDPI's server a Redis server", async () => {
  const { devices } = await runInventory([GENERATED, NDPI]);
  for (const ip of ['10.97.0.5', '10.97.0.6']) {
    const d = deviceWithIp(devices, ip)!;
    assert.equal(d.category, 'server', ip);
    assert.ok(d.software.includes('Redis 7.0.15'), ip);
    assert.deepEqual([d.os?.name, d.os?.version, d.os?.family], ['Linux', '6.18.44-fc-v782', 'Linux'], ip);
    assert.ok(d.evidence.some((e) => e.fact === 'replication_role' && e.source === 'redis.role' && e.value === 'master'), ip);
  }
  const ndpiServer = deviceWithIp(devices, '192.168.88.231')!;
  assert.equal(ndpiServer.category, 'server');
  assert.equal(ndpiServer.software.some((s) => s.startsWith('Redis')), false);
});

test('findings: clear-text Redis (high where the server answered without AUTH: the open instance and nDPI\'s), the AUTH passwords as clear-text credentials', async () => {
  const a = await assessCaptures([GENERATED, NDPI]);
  try {
    const clear = a.result.findings.filter((f) => f.rule === 'cleartext-protocol' && f.title.includes('Redis'));
    assert.deepEqual(clear.map((f) => [f.device, f.title, f.severity, f.detail.includes('without authentication')]).sort(), [
      ['ip:10.97.0.5', 'Clear-text Redis served on port 6379', 'medium', false],
      ['ip:10.97.0.6', 'Clear-text Redis served on port 6379', 'high', true],
      ['ip:192.168.88.231', 'Clear-text Redis served on port 6379', 'high', true],
    ]);
    assert.ok(clear.every((f) => f.remediation!.startsWith('Serve Redis over TLS only')));
    const creds = a.result.findings.filter((f) => f.rule === 'cleartext-credentials');
    assert.deepEqual(creds.map((f) => [f.device, f.title]), [['ip:10.97.0.5', 'Credentials sent in clear text: Redis AUTH on port 6379']]);
    assert.match(creds[0].detail, /4 credentials \(3 accepted, 1 refused\)/);
    assert.deepEqual(creds[0].evidence.map((e) => e.value), ['redis, password <redacted>', 'redis, password <redacted>', 'redis user "ehrbridge", password <redacted>', 'redis user "reporting", password <redacted>']);
    for (const s of SECRETS) assert.ok(!JSON.stringify(a.result).includes(s), s);
  } finally {
    a.run.cleanup();
  }
});

async function alerts(config = {}): Promise<Alert[]> {
  const m = new Monitor({ config, fileName: () => GENERATED });
  const run = await runCaptures([GENERATED], undefined, { onEvent: m.onEvent, onConn: m.onConn });
  run.cleanup();
  return m.finish().filter((a) => a.rule === 'redis-attack');
}

test('redis-attack: the write-a-file sequence, the rogue master, MODULE LOAD and the Lua escape; nothing for the protected instance', async () => {
  const got = await alerts();
  // CONFIG SET dir on the protected instance (refused) is also an attempt: one episode per server.
  assert.deepEqual(got.map((a) => [a.device, a.peer, a.severity]), [
    ['ip:10.97.0.20', '10.97.0.5', 'high'],
    ['ip:10.97.0.20', '10.97.0.6', 'high'],
  ]);
  assert.match(got[0].why, /CONFIG SET dir \(to another directory\): the dump moved to write a file — refused \(ERR\)/);
  const w = got[1].why;
  assert.match(w, /CONFIG SET dir \(to an \.ssh directory\): the dump moved to write a file — accepted/);
  assert.match(w, /CONFIG SET dbfilename: the dump moved to write a file — accepted/);
  assert.match(w, /SAVE after the dump was moved: the file written — accepted/);
  assert.match(w, /SLAVEOF 10\.97\.0\.66:6379: a master of the attacker's choosing/);
  assert.match(w, /MODULE LOAD: native code loaded into the server — refused \(ERR\)/);
  assert.match(w, /EVAL of Lua reaching out of its sandbox .*CVE-2022-0543\) — refused \(ERR\)/);
  assert.ok(got[1].evidence.every((e) => e.source === 'redis.admin' && e.packet > 0 && e.file === GENERATED));
  assert.ok(!JSON.stringify(got).includes('/tmp/wl-redis'));
  assert.deepEqual(await alerts({ redisAdminAllow: ['10.97.0.20/32'] }), []);
});

test('probe(): command arrays on any port, inline commands and replies on 6379 only', () => {
  const cmd = enc('*2\r\n$4\r\nAUTH\r\n$6\r\nsecret\r\n');
  assert.equal(probe(cmd, 0, cmd.length, true, 6, 6379), PROBE_YES);
  assert.equal(probe(cmd, 0, cmd.length, true, 6, 7000), PROBE_YES);
  const part = enc('*2\r\n$4\r\nAU');
  assert.equal(probe(part, 0, part.length, true, 6, 6379), PROBE_MAYBE);
  assert.equal(probe(part, 0, part.length, true, 6, 7000), PROBE_NO);
  const notCmd = enc('*1\r\n$5\r\nHELLX\r\n');
  assert.equal(probe(notCmd, 0, notCmd.length, true, 6, 6379), PROBE_NO);
  const inline = enc('PING\r\n');
  assert.equal(probe(inline, 0, inline.length, true, 6, 6379), PROBE_YES);
  assert.equal(probe(inline, 0, inline.length, true, 6, 7000), PROBE_NO);
  const http = enc('GET / HTTP/1.1\r\n');
  // "GET" is a Redis command too, but only on 6379 would an inline GET be taken.
  assert.equal(probe(http, 0, http.length, true, 6, 80), PROBE_NO);
  for (const r of ['+OK\r\n', '+PONG\r\n', '-NOAUTH Authentication required.\r\n', '-ERR unknown command\r\n', '$5029\r\n# Server\r\n', '*2\r\n$3\r\ndir\r\n']) {
    const b = enc(r);
    assert.equal(probe(b, 0, b.length, false, 6, 6379), PROBE_YES, r);
    assert.equal(probe(b, 0, b.length, false, 6, 8080), PROBE_NO, r);
  }
  assert.equal(probe(cmd, 0, cmd.length, true, 17, 6379), PROBE_NO);
  for (const c of ['*', '+', '-', 'P', 'p']) assert.ok(REDIS.firstBytes!.includes(c.charCodeAt(0)));
});

test('parsers: INFO and HELLO identity fields only, error codes, the Lua escape, where a dump directory points', () => {
  assert.deepEqual(parseInfo('# Server\r\nredis_version:6.0.16\r\nredis_mode:standalone\r\nos:Linux 5.10.0-20-amd64 x86_64\r\narch_bits:64\r\nrun_id:abc\r\ntcp_port:6380\r\nexecutable:/usr/bin/redis-server\r\n# Replication\r\nrole:slave\r\n'), {
    version: '6.0.16', mode: 'standalone', os: 'Linux 5.10.0-20-amd64 x86_64', arch_bits: 64, tcp_port: 6380, role: 'slave',
  });
  assert.equal(parseInfo('hello'), null);
  assert.deepEqual(parseHello(['server', 'redis', 'version', '7.2.4', 'proto', '3', 'id', '5', 'mode', 'cluster', 'role', 'replica', 'modules', '']), { version: '7.2.4', mode: 'cluster', role: 'replica' });
  assert.equal(errorCode('WRONGPASS invalid username-password pair'), 'WRONGPASS');
  assert.equal(errorCode('unknown'), undefined);
  assert.ok(luaEscapes('local io_l = package.loadlib("/usr/lib/x86_64-linux-gnu/liblua5.1.so.0", "luaopen_io")'));
  assert.ok(!luaEscapes("return redis.call('get', KEYS[1])"));
  assert.deepEqual(['/var/spool/cron/crontabs', '/root/.ssh', '/var/www/html', '/var/lib/redis'].map(dirKindOf), ['cron', 'ssh', 'web', 'other']);
});

test('synthetic: pipelined commands pair in order, MIGRATE and CONFIG SET requirepass passwords become digests, the log cap counts the rest', () => {
  // MIGRATE … AUTH2 user pass and CONFIG SET requirepass (no capture has them), pipelined in one write.
  const req = enc('*10\r\n$7\r\nMIGRATE\r\n$9\r\n10.0.0.99\r\n$4\r\n6379\r\n$0\r\n\r\n$1\r\n0\r\n$4\r\n5000\r\n$5\r\nAUTH2\r\n$3\r\nbob\r\n$7\r\nMig-Pw1\r\n$4\r\nKEYS\r\n'
    + '*4\r\n$6\r\nCONFIG\r\n$3\r\nSET\r\n$11\r\nrequirepass\r\n$9\r\nNew-Pw-22\r\n');
  const out = feedAnalyzer(new RedisAnalyzer(), [
    { isOrig: true, bytes: req },
    { isOrig: false, bytes: enc('-IOERR error or timeout connecting to the client\r\n+OK\r\n') },
  ]);
  const logs = out.events.filter((e) => e.type === 'redis.command');
  assert.deepEqual(logs.map((l) => [l.command, l.success, l.error, l.has_password]), [['MIGRATE', false, 'IOERR', true], ['CONFIG', true, undefined, true]]);
  const creds = out.events.filter((e) => e.type === 'credential');
  assert.deepEqual(creds.map((c) => [c.mechanism, c.user, c.secret, c.host, c.host_p]), [
    ['migrate-auth2', 'bob', secretDigest('Mig-Pw1'), '10.0.0.99', 6379],
    ['config-set-requirepass', 'default', secretDigest('New-Pw-22'), creds[1].host, creds[1].host_p],
  ]);
  assert.ok(!JSON.stringify(out.events).includes('Mig-Pw1') && !JSON.stringify(out.events).includes('New-Pw-22'));
  // More commands than the cap: logged up to it, the rest counted on the session.
  const n = MAX_LOGGED + 5;
  const many = enc('*1\r\n$4\r\nPING\r\n'.repeat(n));
  const busy = feedAnalyzer(new RedisAnalyzer(), [
    { isOrig: true, bytes: many.subarray(0, 14 * 200) },
    { isOrig: false, bytes: enc('+PONG\r\n'.repeat(200)) },
    { isOrig: true, bytes: many.subarray(14 * 200) },
    { isOrig: false, bytes: enc('+PONG\r\n'.repeat(n - 200)) },
  ]);
  assert.equal(busy.events.filter((e) => e.type === 'redis.command').length, MAX_LOGGED);
  const s = busy.events.find((e) => e.type === 'redis.session')!;
  assert.deepEqual([s.commands, s.replies, s.unlogged], [n, n, 5]);
  assert.deepEqual(busy.weirds, []);
});

test('fuzzing: truncated and mutated real streams never throw', async () => {
  const seeds: Uint8Array[] = [];
  for (const f of [GENERATED, NDPI]) for (const flow of await flowBytes(f)) for (const c of flow.chunks.slice(0, 12)) seeds.push(c.bytes.subarray(0, 3000));
  assert.ok(seeds.length > 20);
  fuzzParser(seeds, (b) => {
    feedAnalyzer(new RedisAnalyzer(), [
      { isOrig: true, bytes: b },
      { isOrig: false, bytes: b },
      { isOrig: true, bytes: b },
    ]);
  });
});
