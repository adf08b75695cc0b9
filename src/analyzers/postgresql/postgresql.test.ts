// PostgreSQL tests against real captures: every Zeek postgresql baseline (postgresql.log,
// conn.log service, ssl.log after the SSLRequest hand-off, the startup_parameter and
// parameter_status event outputs), Arkime's postgres-good/no-sslrequest (user, db, app),
// suricata-verify's pgsql tests (SSL refused, startup parameters, cleartext and MD5 logins,
// server_version, a simple query's rows), nDPI's GSSENCRequest flow; secrets, probing, fuzzing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { corpus, haveCorpus, readZeekTsv, runCaptures, type RunOutput } from '../../testutil/corpus.js';
import { arkimeSessions, ndpiFlows, recordStreams, suricataChecks, TestContext, zeekValue } from '../../testutil/recorded.js';
import { fuzzParser } from '../../testutil/fuzz.js';
import { cstring, readU32, parseAuth, parseDataRow, parseFields, parseParameterStatus, parseReady, parseStartup, typedLength, untypedLength } from './parse.js';
import { probe } from './probe.js';
import { PostgresqlAnalyzer, redactQuery } from './analyzer.js';
import { POSTGRESQL } from './index.js';
import { PROBE_NO, PROBE_YES } from '../types.js';
import { REDACTED, secretDigest } from '../secret.js';

const skip = !haveCorpus() && 'shared corpus not present';
const ZEEK_FIELDS = ['user', 'database', 'application_name', 'frontend', 'frontend_arg', 'backend', 'backend_arg', 'success', 'rows'];
/** A suricata-verify YAML scalar without its single quotes ('13.4'). */
const yv = (v: string | undefined): string | undefined => v?.replace(/^'(.*)'$/, '$1');
const SV = (name: string, ...p: string[]): string => corpus('suricata-verify', 'tests', 'pgsql', name, ...p);

/** A Zeek TSV value as our JSON value: T/F booleans, counts as numbers, "-" unset. */
function zeekJson(field: string, v: string | undefined): unknown {
  const s = zeekValue(v);
  if (s === undefined) return undefined;
  if (field === 'success') return s === 'T';
  if (field === 'rows') return Number(s);
  return s;
}

function connOf(run: RunOutput, rPort: number, oPort?: number): { uid: string; service: string } {
  const c = run.log('conn').find((r) => r['id.resp_p'] === rPort && (oPort === undefined || r['id.orig_p'] === oPort))!;
  return { uid: String(c.uid), service: String(c.service ?? '') };
}

// ---- Zeek --------------------------------------------------------------------------------------

/**
 * Zeek's psql-aws-ssl-require test has two baselines: port 5432 as captured, and 15432 (the
 * same trace with the server port changed, so the analyzer must be found by its probe). Here the
 * 15432 case runs the capture with an empty port list, which tests the same thing.
 */
for (const [base, ports] of [
  ['scripts.base.protocols.postgresql.psql-aws-ssl-require', [5432]],
  ['scripts.base.protocols.postgresql.psql-aws-ssl-require-15432', []],
] as const) {
  test(`SSLRequest answered 'S' hands the stream to TLS as in Zeek's ${base}`, { skip }, async () => {
    const dir = corpus('zeek', 'baselines', base);
    const run = await runCaptures([corpus('zeek', 'traces', 'postgresql', 'psql-aws-ssl-require.pcap')], ports.length === 0 ? [{ ...POSTGRESQL, ports: [] }, ...(await tlsSpec())] : undefined);
    try {
      const want = readZeekTsv(join(dir, 'postgresql.cut'));
      const got = run.log('postgresql');
      assert.equal(got.length, want.length);
      for (let i = 0; i < want.length; i++) for (const f of ZEEK_FIELDS) assert.equal(got[i][f], zeekJson(f, want[i][f]), f);
      const zc = readZeekTsv(join(dir, 'conn.cut'))[0];
      assert.equal(connOf(run, 5432).service, zc.service);
      const zs = readZeekTsv(join(dir, 'ssl.cut'))[0];
      const ssl = run.log('ssl')[0];
      for (const f of ['version', 'cipher', 'curve', 'server_name']) assert.equal(ssl[f], zs[f], f);
    } finally {
      run.cleanup();
    }
  });
}

/** The TLS analyzer alone (the hand-off target) for runs with a reduced analyzer list. */
async function tlsSpec() {
  const { TLS } = await import('../tls/index.js');
  return [TLS];
}

test("postgresql.log and conn.log match Zeek's psql-login-no-sslrequest baseline (SCRAM login, an abandoned login)", { skip }, async () => {
  const base = corpus('zeek', 'baselines', 'scripts.base.protocols.postgresql.psql-login-no-sslrequest');
  const run = await runCaptures([corpus('zeek', 'traces', 'postgresql', 'psql-login-no-sslrequest.pcap')]);
  try {
    const want = readZeekTsv(join(base, 'postgresql.cut'));
    const got = run.log('postgresql');
    assert.equal(got.length, want.length);
    // Zeek writes the abandoned login when the connection is removed, after the other one's
    // lines; compare per connection, in each connection's order.
    for (const port of new Set(want.map((w) => Number(w['id.orig_p'])))) {
      const w = want.filter((r) => Number(r['id.orig_p']) === port);
      const g = got.filter((r) => r['id.orig_p'] === port);
      assert.equal(g.length, w.length, `port ${port}`);
      for (let i = 0; i < w.length; i++) for (const f of ZEEK_FIELDS) assert.equal(g[i][f], zeekJson(f, w[i][f]), `${port} #${i} ${f}`);
    }
    for (const zc of readZeekTsv(join(base, 'conn.cut'))) assert.equal(connOf(run, 5432, Number(zc['id.orig_p'])).service, zc.service);
  } finally {
    run.cleanup();
  }
});

test("startup parameters and ParameterStatus values match Zeek's startup-parameter and parameter-status outputs", { skip }, async () => {
  const lines = (b: string) =>
    readFileSync(corpus('zeek', 'baselines', b, 'output'), 'utf8')
      .split('\n')
      .filter((l) => /^\w+, /.test(l))
      .map((l) => l.split(', '));
  const run = await runCaptures([corpus('zeek', 'traces', 'postgresql', 'psql-login-no-sslrequest.pcap')]);
  try {
    // Zeek's uids differ from ours: map by order of first appearance.
    const startups = run.result.events.filter((e) => e.ev.type === 'postgresql.startup');
    const zeekStartup = lines('scripts.base.protocols.postgresql.startup-parameter');
    const ours = startups.flatMap((e) => (e.ev.parameters as [string, string][]).map(([n, v]) => [e.uid, n, v]));
    assert.deepEqual(
      ours.map((x) => x.slice(1).join('=')),
      zeekStartup.map((x) => `${x[2]}=${x.slice(3).join(', ')}`),
    );
    const status = run.result.events.filter((e) => e.ev.type === 'postgresql.parameter_status').map((e) => `${e.ev.name}=${e.ev.value}`);
    const zeekStatus = lines('scripts.base.protocols.postgresql.parameter-status').map((x) => `${x[2]}=${x.slice(3).join(', ')}`);
    assert.deepEqual(status, zeekStatus);
    // server_version among them becomes the server's software entry.
    const version = zeekStatus.find((s) => s.startsWith('server_version='))!.slice('server_version='.length);
    const sw = run.log('software');
    assert.deepEqual(
      sw.map((r) => [r.host, r.software_type, r.unparsed_version]),
      [['127.0.0.1', 'PostgreSQL::SERVER', `PostgreSQL/${version}`]],
    );
  } finally {
    run.cleanup();
  }
});

// ---- Arkime ------------------------------------------------------------------------------------

for (const name of ['postgres-good', 'postgres-no-sslrequest']) {
  test(`user, database and application name match Arkime's ${name}`, { skip }, async () => {
    const [s] = arkimeSessions(corpus('arkime', 'tests', 'pcap', `${name}.test`));
    const a = s.body.postgresql as { user: string; db: string; app?: string };
    const run = await runCaptures([corpus('arkime', 'tests', 'pcap', `${name}.pcap`)]);
    try {
      const login = run.log('postgresql').find((r) => r.frontend === 'startup')!;
      assert.equal(login.user, a.user);
      assert.equal(login.database, a.db);
      assert.equal(login.application_name, a.app);
      assert.equal(login.success, true);
      assert.deepEqual(
        s.protocols.filter((p) => p !== 'tcp'),
        [connOf(run, s.dport).service],
      );
      // postgres-good refuses SSL ('N', Arkime's dstPayload8 begins 4e) and asks for MD5.
      const refused = run.log('postgresql').find((r) => r.frontend === 'ssl_request');
      assert.equal(refused?.backend_arg, (s.body.dstPayload8 as string).startsWith('4e') ? 'N' : undefined);
    } finally {
      run.cleanup();
    }
  });
}

// ---- suricata-verify ---------------------------------------------------------------------------

test('suricata-verify pgsql-ssl-rejected-md5-auth-simple-query: SSL refused, MD5 logins, the query and its rows', { skip }, async () => {
  const checks = suricataChecks(SV('pgsql-ssl-rejected-md5-auth-simple-query', 'test.yaml')).map((c) => c.match);
  const run = await runCaptures([corpus('suricata-verify', 'tests', 'pgsql', 'pgsql-ssl-rejected-md5-auth-simple-query', 'input.pcap')]);
  try {
    const log = run.log('postgresql');
    const hits: string[] = [];
    for (const k of checks.filter((c) => c['event_type'] === 'pgsql')) {
      const mine = log.filter((r) => r['id.orig_p'] === Number(k.src_port));
      hits.push(k['pgsql.request.message'] ?? k['pgsql.response.message'] ?? (k['pgsql.request.simple_query'] !== undefined ? 'query' : 'startup'));
      if (k['pgsql.request.message'] === 'SSL Request') {
        const r = mine.find((x) => x.frontend === 'ssl_request')!;
        assert.equal(r.success, k['pgsql.response.ssl_accepted'] === 'true');
      } else if (k['pgsql.request.protocol_version'] !== undefined) {
        const r = mine.find((x) => x.frontend === 'startup')!;
        assert.equal(r.user, k['pgsql.request.startup_parameters.user']);
        assert.equal(r.database, k['pgsql.request.startup_parameters.optional_parameters[0].database']);
        assert.equal(r.application_name, k['pgsql.request.startup_parameters.optional_parameters[1].application_name']);
        assert.ok(k['pgsql.response.authentication_md5_password'] !== undefined);
        assert.match(String(r.backend_arg), /^MD5Password/);
      } else if (k['pgsql.request.simple_query'] !== undefined) {
        const r = mine.find((x) => x.frontend === 'simple_query')!;
        assert.equal(r.frontend_arg, k['pgsql.request.simple_query']);
        // Zeek counts DataRow messages, as Suricata's data_rows does.
        assert.equal(r.rows, Number(k['pgsql.response.data_rows']));
        assert.equal(r.success, true);
      } else if (k['pgsql.request.message'] === 'termination_message') {
        assert.ok(mine.some((x) => x.frontend === 'terminate'));
      } else if (k['pgsql.response.message'] === 'authentication_ok') {
        const r = mine.find((x) => x.frontend === 'startup')!;
        assert.equal(r.backend, 'auth_ok');
        const sw = run.log('software').find((x) => x.host === k.dest_ip)!;
        assert.equal(sw.unparsed_version, `PostgreSQL/${yv(k['pgsql.response.parameter_status[7].server_version'])}`);
      }
    }
    assert.deepEqual(hits, ['SSL Request', 'startup', 'SSL Request', 'startup', 'authentication_ok', 'query', 'termination_message']);
    // The first connection ends after the MD5 request: the login's outcome is never seen.
    const first = log.filter((r) => r['id.orig_p'] === 40784 && r.frontend === 'startup');
    assert.deepEqual(first.map((r) => [r.backend, r.success]), [['auth_request', undefined]]);
    // MD5 responses are not cleartext passwords.
    assert.equal(run.result.events.filter((e) => e.ev.type === 'credential').length, 0);
    const md5 = checks.find((c) => c['pgsql.request.password'] !== undefined)!['pgsql.request.password'];
    for (const f of readdirSync(join(run.outDir, 'logs'))) assert.ok(!readFileSync(join(run.outDir, 'logs', f), 'utf8').includes(md5), f);
    for (const port of [40784, 40816]) assert.equal(connOf(run, 5432, port).service, 'postgresql');
  } finally {
    run.cleanup();
  }
});

test('suricata-verify pgsql-pwd-output-disabled: a cleartext password login is a credential digest, never the password', { skip }, async () => {
  const checks = suricataChecks(SV('pgsql-pwd-output-disabled', 'test.yaml')).map((c) => c.match);
  const start = checks.find((c) => c['pgsql.request.protocol_version'] !== undefined)!;
  assert.equal(start['pgsql.response.message'], 'authentication_cleartext_password');
  const ok = checks.find((c) => c['pgsql.response.message'] === 'authentication_ok' && c['pgsql.response.parameter_status[7].server_version'] !== undefined)!;
  // The password, as tshark decodes the PasswordMessage of packet 10.
  const password = 'TestTest!2';
  const [stream] = (await recordStreams(SV('pgsql-pwd-output-disabled', 'input.pcap'))).filter((x) => x.rPort === 5432);
  assert.ok(Buffer.from(stream.orig).includes(Buffer.from(`p\0\0\0\x0f${password}\0`, 'latin1')), 'the PasswordMessage carries it');
  const run = await runCaptures([SV('pgsql-pwd-output-disabled', 'input.pcap')]);
  try {
    const login = run.log('postgresql').find((r) => r.frontend === 'startup')!;
    assert.equal(login.user, start['pgsql.request.startup_parameters.user']);
    assert.equal(login.database, start['pgsql.request.startup_parameters.optional_parameters[0].database']);
    assert.equal(login.backend_arg, 'CleartextPassword');
    assert.equal(login.success, true);
    const creds = run.result.events.filter((e) => e.ev.type === 'credential').map((e) => e.ev);
    assert.equal(creds.length, 1);
    assert.equal(creds[0].secret, secretDigest(password));
    assert.equal(creds[0].password, REDACTED);
    assert.equal(creds[0].user, start['pgsql.request.startup_parameters.user']);
    assert.equal(creds[0].host, ok.dest_ip);
    assert.equal(creds[0].success, true);
    assert.equal(run.log('software')[0].unparsed_version, `PostgreSQL/${yv(ok['pgsql.response.parameter_status[7].server_version'])}`);
    assert.ok(!JSON.stringify(run.result.events).includes(password));
    for (const f of readdirSync(join(run.outDir, 'logs'))) assert.ok(!readFileSync(join(run.outDir, 'logs', f), 'utf8').includes(password), f);
  } finally {
    run.cleanup();
  }
});

// ---- nDPI --------------------------------------------------------------------------------------

test("nDPI's PostgreSQL flow (a GSSENCRequest refused with 'N') is postgresql in conn.log", { skip }, async () => {
  const out = corpus('ndpi', 'result', 'ossfuzz_seed_fake_traces_2.pcapng.out');
  const flows = ndpiFlows(out).filter((f) => f.app === 'PostgreSQL');
  assert.equal(flows.length, 1);
  const run = await runCaptures([corpus('ndpi', 'pcap', 'ossfuzz_seed_fake_traces_2.pcapng')]);
  try {
    const f = flows[0];
    assert.equal(connOf(run, f.bPort, f.aPort).service, 'postgresql');
    const r = run.log('postgresql').find((x) => x['id.orig_p'] === f.aPort)!;
    assert.deepEqual([r.frontend, r.backend, r.backend_arg, r.success], ['gssenc_request', 'gssenc_reply', 'N', false]);
  } finally {
    run.cleanup();
  }
});

// ---- synthetic cases no capture covers ---------------------------------------------------------

const msg = (type: string, body: Buffer): Buffer => {
  const h = Buffer.alloc(5);
  h[0] = type.charCodeAt(0);
  h.writeUInt32BE(body.length + 4, 1);
  return Buffer.concat([h, body]);
};
const u32 = (n: number): Buffer => {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n);
  return b;
};
const cs = (s: string): Buffer => Buffer.from(s + '\0', 'latin1');

/**
 * No capture has a failed login or a failing query: the real startup of
 * pgsql-pwd-output-disabled is replayed, then a hand-built ErrorResponse (SQLSTATE 28P01, the
 * text PostgreSQL sends for a wrong password) answers the cleartext password.
 */
test('a refused cleartext login logs the error as Zeek does and marks the credential refused', { skip }, async () => {
  const [s] = (await recordStreams(SV('pgsql-pwd-output-disabled', 'input.pcap'))).filter((x) => x.rPort === 5432);
  const a = new PostgresqlAnalyzer();
  const ctx = new TestContext(6, 41662, 5432);
  // SSLRequest, 'N', StartupMessage, AuthenticationCleartextPassword, PasswordMessage: the real bytes.
  let o = 0;
  let r = 0;
  const take = (isOrig: boolean, n: number): void => {
    const src = isOrig ? s.orig : s.resp;
    const at = isOrig ? o : r;
    a.data(ctx, isOrig, src, at, n);
    if (isOrig) o += n;
    else r += n;
  };
  take(true, 8);
  take(false, 1);
  take(true, readU32(s.orig, 8));
  take(false, 9);
  take(true, 1 + readU32(s.orig, o + 1));
  const err = msg('E', Buffer.concat([cs('SFATAL'), cs('VFATAL'), cs('C28P01'), cs('Mpassword authentication failed for user "ju-Test"'), cs('Fauth.c'), cs('L335'), cs('Rauth_failed'), Buffer.from([0])]));
  a.data(ctx, false, err, 0, err.length);
  a.end(ctx);
  const rec = ctx.events.filter((e) => e.type === 'postgresql.record');
  const login = rec.find((e) => e.frontend === 'startup')!;
  assert.equal(login.backend, 'auth_request,error');
  assert.equal(login.backend_arg, 'CleartextPassword,SeverityLocalized=FATAL,Severity=FATAL,Code=28P01,Message=password authentication failed for user "ju-Test",File=auth.c,Line=335,Routine=auth_failed');
  assert.equal(login.success, false);
  const l = ctx.events.find((e) => e.type === 'postgresql.login')!;
  assert.deepEqual([l.success, l.code, l.methods], [false, '28P01', ['CleartextPassword']]);
  const cred = ctx.events.find((e) => e.type === 'credential')!;
  assert.equal(cred.success, false);
  assert.equal(cred.secret, secretDigest('TestTest!2'));
  assert.ok(!JSON.stringify(ctx.events).includes('TestTest!2'));
});

test('a query setting a role password is logged with the password literal redacted', () => {
  assert.equal(redactQuery("ALTER ROLE pump PASSWORD 's3cr''et';"), `ALTER ROLE pump PASSWORD '${REDACTED}';`);
  assert.equal(redactQuery('CREATE USER x WITH ENCRYPTED PASSWORD $$pw$$ VALID UNTIL 2030'), `CREATE USER x WITH ENCRYPTED PASSWORD '${REDACTED}' VALID UNTIL 2030`);
  assert.equal(redactQuery('select * from rules where sid = 2021701;'), 'select * from rules where sid = 2021701;');
  const a = new PostgresqlAnalyzer();
  const ctx = new TestContext(6, 50000, 5432);
  // A capture starting after the startup phase: typed messages from the first byte.
  const q = msg('Q', cs("ALTER USER admin PASSWORD 'Hosp1tal!'"));
  a.data(ctx, true, q, 0, q.length);
  const done = Buffer.concat([msg('C', cs('ALTER ROLE')), msg('Z', Buffer.from('I'))]);
  a.data(ctx, false, done, 0, done.length);
  const rec = ctx.events.find((e) => e.type === 'postgresql.record')!;
  assert.equal(rec.frontend_arg, `ALTER USER admin PASSWORD '${REDACTED}'`);
  assert.equal(rec.success, true);
  assert.equal(rec.rows, 0);
  assert.ok(!JSON.stringify(ctx.events).includes('Hosp1tal!'));
});

// ---- probe and off-port detection --------------------------------------------------------------

test('probe() recognises every client first message of the corpus and rejects server bytes and other protocols', { skip }, async () => {
  const files = [
    ...readdirSync(corpus('zeek', 'traces', 'postgresql')).map((f) => corpus('zeek', 'traces', 'postgresql', f)),
    corpus('arkime', 'tests', 'pcap', 'postgres-good.pcap'),
    corpus('arkime', 'tests', 'pcap', 'postgres-no-sslrequest.pcap'),
    SV('pgsql-pwd-output-disabled', 'input.pcap'),
    SV('pgsql-ssl-rejected-md5-auth-simple-query', 'input.pcap'),
  ];
  let n = 0;
  for (const f of files) {
    for (const s of (await recordStreams(f)).filter((x) => x.rPort === 5432 && x.orig.length > 0)) {
      assert.equal(probe(s.orig, 0, s.orig.length, true), PROBE_YES, f);
      assert.equal(probe(s.resp, 0, s.resp.length, false), PROBE_NO, f);
      n++;
    }
  }
  assert.ok(n >= 7, `streams: ${n}`);
  for (const f of ['arkime/tests/pcap/mysql-allow.pcap', 'zeek/traces/ldap/simpleauth.pcap', 'arkime/tests/pcap/http-simple-get.pcap']) {
    for (const s of await recordStreams(corpus(f))) assert.equal(probe(s.orig, 0, s.orig.length, true), PROBE_NO, f);
  }
});

test('PostgreSQL is found without port hints (suricata-verify capture with an empty port list)', { skip }, async () => {
  const run = await runCaptures([SV('pgsql-ssl-rejected-md5-auth-simple-query', 'input.pcap')], [{ ...POSTGRESQL, ports: [] }]);
  try {
    assert.ok(run.log('postgresql').some((r) => r.frontend === 'simple_query'));
    assert.equal(connOf(run, 5432, 40816).service, 'postgresql');
  } finally {
    run.cleanup();
  }
});

// ---- robustness --------------------------------------------------------------------------------

async function realMessages(): Promise<Uint8Array[]> {
  const seeds: Uint8Array[] = [];
  for (const f of [SV('pgsql-ssl-rejected-md5-auth-simple-query', 'input.pcap'), SV('pgsql-pwd-output-disabled', 'input.pcap'), corpus('zeek', 'traces', 'postgresql', 'psql-login.pcap')]) {
    for (const s of await recordStreams(f)) {
      // Client: untyped messages until the StartupMessage, typed after; server: 'N' then typed.
      let p = 0;
      while (p < s.orig.length) {
        const n = untypedLength(s.orig, p, s.orig.length - p);
        if (n <= 0 || p + n > s.orig.length) break;
        seeds.push(s.orig.subarray(p, p + n));
        p += n;
        if (readU32(s.orig, p - n + 4) >>> 16 === 3) break;
      }
      for (const [b, start] of [[s.orig, p], [s.resp, s.resp[0] === 0x4e && s.resp.length > 1 && s.resp[1] !== 0 ? 1 : 0]] as const) {
        let q = start;
        while (q < b.length) {
          const n = typedLength(b, q, b.length - q);
          if (n <= 0 || q + n > b.length) break;
          seeds.push(b.subarray(q, q + n));
          q += n;
        }
      }
    }
  }
  return seeds;
}

test('PostgreSQL parsers survive truncation and mutation of real messages', { skip }, async () => {
  const seeds = await realMessages();
  assert.ok(seeds.length >= 40, `seeds: ${seeds.length}`);
  fuzzParser(seeds, (b) => {
    parseStartup(b, 0, b.length);
    untypedLength(b, 0, b.length);
    typedLength(b, 0, b.length);
    const n = b.length - 5;
    parseFields(b, 5, n);
    parseAuth(b, 5, n);
    parseParameterStatus(b, 5, n);
    parseReady(b, 5, n);
    parseDataRow(b, 5, n);
    cstring(b, 5, b.length);
    probe(b, 0, b.length, true);
  });
});

test('the PostgreSQL analyzer survives mutated real streams', { skip }, async () => {
  const streams = await recordStreams(SV('pgsql-ssl-rejected-md5-auth-simple-query', 'input.pcap'));
  fuzzParser(
    streams.flatMap((s) => [s.orig.subarray(0, 1500), s.resp.subarray(0, 2500)]),
    (b) => {
      const a = new PostgresqlAnalyzer();
      const ctx = new TestContext(6, 50000, 5432);
      a.data(ctx, true, b, 0, b.length);
      a.data(ctx, false, b, 0, b.length);
      a.gap(ctx, true, 10);
      a.data(ctx, true, b, 0, b.length);
      a.end(ctx);
    },
    { mutations: 100, maxMs: 500 },
  );
});
