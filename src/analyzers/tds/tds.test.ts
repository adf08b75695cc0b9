// TDS tests against real captures: nDPI's mssql_tds.pcap (twelve mid-session flows nDPI names
// MsSQL-TDS) and Arkime's ntlm_synthetic.pcap (a LOGIN7 with Windows authentication whose NTLM
// user Arkime reports). No corpus capture holds a SQL Server password login, a PRELOGIN
// exchange or a TLS handshake in PRELOGIN packets: those cases are built from [MS-TDS] 2.2.6
// layouts below (synthetic, and said so), the TLS records taken from a real capture.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { corpus, haveCorpus, runCaptures } from '../../testutil/corpus.js';
import { arkimeSessions, ndpiFlows, recordStreams, splitPdus, TestContext } from '../../testutil/recorded.js';
import { tcpConversationFrames, writePcap } from '../../testutil/pcapwriter.js';
import { fuzzParser } from '../../testutil/fuzz.js';
import { assessCaptures } from '../../assess/testutil.js';
import { softwareIdentities } from '../../assess/identity.js';
import { PROBE_MAYBE, PROBE_NO, PROBE_YES } from '../types.js';
import { REDACTED, secretDigest } from '../secret.js';
import * as p from './parse.js';
import { probe } from './probe.js';
import { TdsAnalyzer } from './analyzer.js';
import { TDS } from './index.js';
import { tlsRecordLength } from './parse.js';

const skip = !haveCorpus() && 'shared corpus not present';

// ---- [MS-TDS] message builders (synthetic) ----------------------------------------------------

function packet(type: number, payload: Uint8Array, status = p.STATUS_EOM, spid = 0): Buffer {
  const h = Buffer.from([type, status, 0, 0, spid >> 8, spid & 0xff, 1, 0]);
  h.writeUInt16BE(payload.length + 8, 2);
  return Buffer.concat([h, payload]);
}

/** PRELOGIN option table: VERSION, ENCRYPTION, INSTOPT, THREADID, MARS (2.2.6.5). */
function prelogin(version: number[], encryption: number): Buffer {
  const data = [Buffer.from(version), Buffer.from([encryption]), Buffer.from([0]), Buffer.alloc(4), Buffer.from([0])];
  const table: number[] = [];
  let off = data.length * 5 + 1;
  data.forEach((d, token) => {
    table.push(token, off >> 8, off & 0xff, d.length >> 8, d.length & 0xff);
    off += d.length;
  });
  return Buffer.concat([Buffer.from([...table, p.PL_TERMINATOR]), ...data]);
}

interface LoginFields {
  host: string;
  user: string;
  password: string;
  app: string;
  server: string;
  library: string;
  language: string;
  database: string;
}

/**
 * LOGIN7 with a TDS 7.4 fixed part and the offset/length table (2.2.6.4). Checked once against
 * Wireshark 4.0.17: its TDS dissector reads this builder's login in one packet with every name
 * and decodes the obfuscated password to the same text.
 */
function login7(f: LoginFields): Buffer {
  const fixed = Buffer.alloc(94);
  fixed.writeUInt32LE(0x74000004, 4);
  fixed.writeUInt32LE(4096, 8);
  fixed.writeUInt32LE(0x07000000, 12);
  fixed.writeUInt32LE(4242, 16);
  fixed[24] = 0xe0;
  fixed[25] = 0x03;
  const vals: Buffer[] = [
    Buffer.from(f.host, 'utf16le'),
    Buffer.from(f.user, 'utf16le'),
    Buffer.from(p.obfuscatePassword(f.password)),
    Buffer.from(f.app, 'utf16le'),
    Buffer.from(f.server, 'utf16le'),
    Buffer.alloc(0),
    Buffer.from(f.library, 'utf16le'),
    Buffer.from(f.language, 'utf16le'),
    Buffer.from(f.database, 'utf16le'),
  ];
  let off = 94;
  vals.forEach((v, i) => {
    fixed.writeUInt16LE(off, 36 + i * 4);
    fixed.writeUInt16LE(v.length / 2, 38 + i * 4);
    off += v.length;
  });
  for (const at of [78, 82, 86]) fixed.writeUInt16LE(off, at);
  const body = Buffer.concat([fixed, ...vals]);
  body.writeUInt32LE(body.length, 0);
  return body;
}

function bvar(s: string): Buffer {
  return Buffer.concat([Buffer.from([s.length]), Buffer.from(s, 'utf16le')]);
}

function token(t: number, data: Buffer): Buffer {
  const h = Buffer.from([t, 0, 0]);
  h.writeUInt16LE(data.length, 1);
  return Buffer.concat([h, data]);
}

const DONE = Buffer.from([p.TOKEN_DONE, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);

/** ENVCHANGE database, LOGINACK for SQL Server 15.0.2000 (2019), DONE (2.2.7). */
function loginAck(): Buffer {
  const env = token(p.TOKEN_ENVCHANGE, Buffer.concat([Buffer.from([1]), bvar('clinical'), bvar('master')]));
  const ack = token(p.TOKEN_LOGINACK, Buffer.concat([Buffer.from([1, 0x74, 0, 0, 4]), bvar('Microsoft SQL Server\0\0'), Buffer.from([15, 0, 0x07, 0xd0])]));
  return Buffer.concat([env, ack, DONE]);
}

/** ERROR 18456 (2.2.7.10) and DONE. */
function loginFailed(user: string): Buffer {
  const msg = `Login failed for user '${user}'.`;
  const head = Buffer.alloc(8);
  head.writeUInt32LE(18456, 0);
  head[4] = 1;
  head[5] = 14;
  head.writeUInt16LE(msg.length, 6);
  const err = token(p.TOKEN_ERROR, Buffer.concat([head, Buffer.from(msg, 'utf16le'), bvar('DB1'), bvar(''), Buffer.alloc(4)]));
  return Buffer.concat([err, DONE]);
}

const FIELDS: LoginFields = { host: 'WS-RADIOLOGY-7', user: 'sa', password: 'Pacs#Store-2019', app: 'PACS Archive Service', server: 'DB1\\PACS', library: 'ODBC', language: 'us_english', database: 'pacsdb' };
const SERVER_VERSION = [15, 0, 0x07, 0xd0, 0, 0];

/** One client → server conversation of whole messages, in order. */
type Turn = [boolean, Buffer];

function cleartextLogin(ok: boolean): Turn[] {
  return [
    [true, packet(p.TYPE_PRELOGIN, prelogin([16, 0, 0, 0, 0, 0], p.ENCRYPT_NOT_SUP))],
    [false, packet(p.TYPE_RESPONSE, prelogin(SERVER_VERSION, p.ENCRYPT_NOT_SUP), p.STATUS_EOM, 0x35)],
    // A LOGIN7 split over two packets, as with a small negotiated packet size.
    ...(() => {
      const l = login7(FIELDS);
      return [
        [true, packet(p.TYPE_LOGIN7, l.subarray(0, 100), 0)],
        [true, packet(p.TYPE_LOGIN7, l.subarray(100))],
      ] as Turn[];
    })(),
    [false, packet(p.TYPE_RESPONSE, ok ? loginAck() : loginFailed(FIELDS.user), p.STATUS_EOM, 0x35)],
  ];
}

function drive(turns: Turn[], rPort = 1433): TestContext {
  const a = new TdsAnalyzer();
  const ctx = new TestContext(6, 50000, rPort);
  for (const [isOrig, b] of turns) a.data(ctx, isOrig, b, 0, b.length);
  a.end(ctx);
  return ctx;
}

/** A synthetic conversation as a pcap: client 10.1.2.30, server 10.1.2.5. */
function tcpPcap(turns: Turn[], oPort: number, rPort: number): string {
  return writePcap(tcpConversationFrames({ client: '10.1.2.30', server: '10.1.2.5', cport: oPort, sport: rPort, t0: 1700000000, turns: turns.map(([isOrig, bytes]) => ({ isOrig, bytes })) }));
}

// ---- real captures ----------------------------------------------------------------------------

test("every flow nDPI names MsSQL-TDS in mssql_tds.pcap is mssql in conn.log; none carries a login, so mssql.log is empty", { skip }, async () => {
  const flows = ndpiFlows(corpus('ndpi/result/mssql_tds.pcap.out')).filter((f) => f.app === 'MsSQL-TDS');
  assert.equal(flows.length, 12);
  const run = await runCaptures([corpus('ndpi/pcap/mssql_tds.pcap')]);
  try {
    for (const f of flows) {
      const c = run.conns.find((x) => x.oPort === f.aPort && x.rPort === f.bPort);
      // Flow 1 (port 6666) nDPI names by port only; its first packet is a whole 8000-byte RPC,
      // which wardline frames and recognises like the others.
      assert.equal(c?.service, 'mssql', `${f.aPort}: ${c?.service}`);
    }
    // The captures begin mid-session (SQL batches and RPCs): no PRELOGIN, no LOGIN7.
    assert.equal(run.log('mssql').length, 0);
    assert.equal(run.result.events.filter((e) => e.ev.type === 'credential').length, 0);
  } finally {
    run.cleanup();
  }
});

test("a LOGIN7 with Windows authentication (Arkime's ntlm_synthetic.pcap): the NTLM user Arkime reports, no password credential", { skip }, async () => {
  const s = arkimeSessions(corpus('arkime/tests/pcap/ntlm_synthetic.test')).find((x) => x.dport === 1433)!;
  assert.deepEqual(s.protocols.filter((x) => x !== 'tcp').sort(), ['ntlm', 'tds']);
  const run = await runCaptures([corpus('arkime/tests/pcap/ntlm_synthetic.pcap')]);
  try {
    const c = run.conns.find((x) => x.rPort === 1433)!;
    // Arkime's "tds" is wardline's "mssql".
    assert.deepEqual(c.service.split(',').sort(), ['mssql', 'ntlm']);
    const ntlm = run.log('ntlm').find((r) => r['id.resp_p'] === 1433)!;
    const a = s.body.ntlm as { domain: string[]; host: string[] };
    assert.deepEqual([ntlm.username, ntlm.domainname, ntlm.hostname], [(s.body.user as string[])[0], a.domain[0], a.host[0]]);
    const [m] = run.log('mssql');
    assert.equal(m.integrated_auth, true);
    assert.equal(m.tds_version, '7.4');
    assert.equal(m.password, undefined);
    assert.equal(m.username, undefined);
    assert.equal(run.result.events.filter((e) => e.ev.type === 'credential').length, 0);
  } finally {
    run.cleanup();
  }
});

// ---- synthetic logins (no corpus capture carries one) --------------------------------------------

test('a clear-text SQL Server login: mssql.log names, encryption, verdict, server version; the password only as a digest', () => {
  const ctx = drive(cleartextLogin(true));
  assert.deepEqual(ctx.services, ['mssql']);
  const rec = ctx.events.find((e) => e.type === 'mssql.login')!;
  assert.equal(rec.username, 'sa');
  assert.equal(rec.client_name, FIELDS.host);
  assert.equal(rec.app_name, FIELDS.app);
  assert.equal(rec.library, 'ODBC');
  assert.equal(rec.server_name, FIELDS.server);
  assert.equal(rec.database, 'pacsdb');
  assert.equal(rec.tds_version, '7.4');
  assert.equal(rec.encryption, 'not supported');
  assert.equal(rec.client_encryption, 'not supported');
  assert.equal(rec.login_encrypted, false);
  assert.equal(rec.server_version, '15.0.2000');
  assert.equal(rec.success, true);
  assert.equal(rec.password, REDACTED);
  const cred = ctx.events.find((e) => e.type === 'credential')!;
  assert.equal(cred.secret, secretDigest(FIELDS.password));
  assert.deepEqual([cred.protocol, cred.user, cred.success, cred.password], ['tds', 'sa', true, REDACTED]);
  const sw = ctx.events.find((e) => e.type === 'software')!;
  assert.deepEqual([sw.software_type, sw.unparsed_version], ['MSSQL::SERVER', 'Microsoft SQL Server/15.0.2000']);
  assert.ok(!JSON.stringify(ctx.events).includes(FIELDS.password));
});

test('a refused login logs the server ERROR and marks the credential refused', () => {
  const ctx = drive(cleartextLogin(false));
  const rec = ctx.events.find((e) => e.type === 'mssql.login')!;
  assert.deepEqual([rec.success, rec.error_number, rec.error], [false, 18456, "Login failed for user 'sa'."]);
  assert.equal(ctx.events.find((e) => e.type === 'credential')!.success, false);
});

test('decodePassword() undoes the LOGIN7 obfuscation (nibble swap, XOR 0xA5)', () => {
  // "a" is 0x61 0x00 in UCS-2: swapped 0x16 0x00, XOR 0xA5: 0xB3 0xA5 (MS-TDS 2.2.6.4).
  assert.deepEqual([...p.obfuscatePassword('a')], [0xb3, 0xa5]);
  assert.equal(p.decodePassword(Uint8Array.from([0xb3, 0xa5]), 0, 2), 'a');
  const o = p.obfuscatePassword('Pässwörd-42');
  assert.equal(p.decodePassword(o, 0, o.length), 'Pässwörd-42');
});

test('negotiatedEncryption() follows the PRELOGIN table: NOT_SUP on either side is none, OFF/OFF is the login only', () => {
  assert.equal(p.negotiatedEncryption(p.ENCRYPT_OFF, p.ENCRYPT_NOT_SUP), 'none');
  assert.equal(p.negotiatedEncryption(p.ENCRYPT_NOT_SUP, p.ENCRYPT_OFF), 'none');
  assert.equal(p.negotiatedEncryption(p.ENCRYPT_OFF, p.ENCRYPT_OFF), 'login');
  assert.equal(p.negotiatedEncryption(p.ENCRYPT_OFF, p.ENCRYPT_REQ), 'all');
  assert.equal(p.negotiatedEncryption(p.ENCRYPT_ON, p.ENCRYPT_OFF), 'all');
  assert.deepEqual([0, 1, 2, 3].map(p.encryptionName), ['off', 'on', 'not supported', 'required']);
});

/** The first TLS records of each side of a real TLS 1.2 handshake (Arkime's openssl-tls1_2.pcap). */
async function realTlsFlights(): Promise<{ client: Buffer; server: Buffer }> {
  const [s] = (await recordStreams(corpus('arkime/tests/pcap/openssl-tls1_2.pcap'))).filter((x) => x.proto === 6);
  const first = (b: Uint8Array): Buffer => Buffer.from(b.subarray(0, tlsRecordLength(b, 0, b.length)));
  return { client: first(s.orig), server: Buffer.from(s.resp.subarray(0, 4000)) };
}

test('ENCRYPT_OFF on both sides: the LOGIN7 travels inside TLS (handshake in PRELOGIN packets), so no credential; the clear answer still gives the verdict', { skip }, async () => {
  const tls = await realTlsFlights();
  const appData = Buffer.concat([Buffer.from([23, 3, 3, 0, 64]), Buffer.alloc(64, 0x5a)]);
  const ctx = drive([
    [true, packet(p.TYPE_PRELOGIN, prelogin([16, 0, 0, 0, 0, 0], p.ENCRYPT_OFF))],
    [false, packet(p.TYPE_RESPONSE, prelogin(SERVER_VERSION, p.ENCRYPT_OFF))],
    [true, packet(p.TYPE_PRELOGIN, tls.client)],
    [false, packet(p.TYPE_PRELOGIN, tls.server)],
    // The encrypted LOGIN7: a raw TLS record, then the session goes on in clear.
    [true, appData],
    [false, packet(p.TYPE_RESPONSE, loginAck())],
    [true, packet(p.TYPE_SQL_BATCH, Buffer.from('select 1', 'utf16le'))],
  ]);
  assert.deepEqual(ctx.services, ['mssql', 'ssl']);
  const rec = ctx.events.find((e) => e.type === 'mssql.login')!;
  assert.deepEqual([rec.encryption, rec.login_encrypted, rec.success, rec.username], ['off', true, true, undefined]);
  assert.equal(ctx.events.filter((e) => e.type === 'credential').length, 0);
  assert.ok(ctx.events.some((e) => e.type.startsWith('ssl.') || e.type.startsWith('tls.')), ctx.events.map((e) => e.type).join());
});

test('a clear-text login becomes a cleartext-credentials finding on the server, and the password reaches no log or report', async () => {
  const path = tcpPcap(cleartextLogin(true), 50123, 1433);
  const a = await assessCaptures([path]);
  try {
    const f = a.result.findings.filter((x) => x.rule === 'cleartext-credentials' && x.device === 'ip:10.1.2.5');
    assert.equal(f.length, 1, a.result.findings.map((x) => `${x.rule} ${x.device} ${x.title}`).join('\n'));
    assert.match(f[0].title, /TDS on port 1433/);
    const [m] = a.run.log('mssql');
    assert.deepEqual([m.username, m.client_name, m.app_name, m.library, m.password], ['sa', FIELDS.host, FIELDS.app, 'ODBC', REDACTED]);
    assert.equal(a.run.log('software')[0]?.name, 'Microsoft SQL Server');
    // Inventory: the server's version as software and the NVD name for vulnerability matching
    // (classify.rules already makes tcp/1433 a server).
    const d = a.result.devices.find((x) => x.id === 'ip:10.1.2.5')!;
    assert.ok(d.software.includes('Microsoft SQL Server/15.0.2000'), d.software.join());
    assert.deepEqual(
      softwareIdentities(d.software).map((i) => `${i.vendor}:${i.product}:${i.version}`),
      ['microsoft:sql_server:15.0.2000'],
    );
    const obf = Buffer.from(p.obfuscatePassword(FIELDS.password)).toString('hex');
    const outputs = readdirSync(join(a.run.outDir, 'logs')).map((n) => readFileSync(join(a.run.outDir, 'logs', n), 'utf8'));
    outputs.push(JSON.stringify(a.result));
    for (const text of outputs) {
      assert.ok(!text.includes(FIELDS.password) && !text.includes(obf) && !text.includes(Buffer.from(FIELDS.password, 'utf16le').toString('hex')));
    }
  } finally {
    a.run.cleanup();
  }
});

test('TDS is found off its port (the synthetic login on 14330 with an empty port list)', async () => {
  const path = tcpPcap(cleartextLogin(true), 50124, 14330);
  const run = await runCaptures([path], [{ ...TDS, ports: [] }]);
  try {
    assert.equal(run.conns.find((c) => c.rPort === 14330)?.service, 'mssql');
    assert.equal(run.log('mssql')[0]?.username, 'sa');
  } finally {
    run.cleanup();
  }
});

// ---- probe --------------------------------------------------------------------------------------

test('probe() is YES for a PRELOGIN or LOGIN7, MAYBE for mid-session requests, NO for other protocols', { skip }, async () => {
  const login = packet(p.TYPE_LOGIN7, login7(FIELDS));
  assert.equal(probe(login, 0, login.length, true), PROBE_YES);
  const pre = packet(p.TYPE_PRELOGIN, prelogin(SERVER_VERSION, p.ENCRYPT_OFF));
  assert.equal(probe(pre, 0, pre.length, true), PROBE_YES);
  const resp = packet(p.TYPE_RESPONSE, prelogin(SERVER_VERSION, p.ENCRYPT_OFF));
  assert.equal(probe(resp, 0, resp.length, false), PROBE_YES);
  const [ark] = (await recordStreams(corpus('arkime/tests/pcap/ntlm_synthetic.pcap'))).filter((x) => x.rPort === 1433);
  assert.equal(probe(ark.orig, 0, ark.orig.length, true), PROBE_YES);
  for (const s of await recordStreams(corpus('ndpi/pcap/mssql_tds.pcap'))) {
    assert.equal(probe(s.orig, 0, s.orig.length, true), PROBE_MAYBE, String(s.oPort));
    if (s.resp.length > 0) assert.equal(probe(s.resp, 0, s.resp.length, false), PROBE_MAYBE);
  }
  for (const f of ['arkime/tests/pcap/mysql-allow.pcap', 'arkime/tests/pcap/openssl-tls1_2.pcap', 'arkime/tests/pcap/smb-smbclient.pcap', 'zeek/traces/ldap/simpleauth.pcap']) {
    for (const s of (await recordStreams(corpus(f))).filter((x) => x.proto === 6)) {
      assert.equal(probe(s.orig, 0, s.orig.length, true), PROBE_NO, f);
      assert.equal(probe(s.resp, 0, s.resp.length, false), PROBE_NO, f);
    }
  }
});

// ---- robustness ---------------------------------------------------------------------------------

async function realPackets(): Promise<Uint8Array[]> {
  const seeds: Uint8Array[] = [];
  for (const f of ['ndpi/pcap/mssql_tds.pcap', 'arkime/tests/pcap/ntlm_synthetic.pcap']) {
    for (const s of await recordStreams(corpus(f))) {
      if (s.rPort !== 1433) continue;
      seeds.push(...splitPdus(s.orig, p.tdsFrameLength).slice(0, 3), ...splitPdus(s.resp, p.tdsFrameLength).slice(0, 3));
    }
  }
  return seeds;
}

test('TDS parsers survive truncation and mutation of real packets (and of the synthetic login messages)', { skip }, async () => {
  const seeds = await realPackets();
  assert.ok(seeds.length >= 20, String(seeds.length));
  for (const [, b] of cleartextLogin(true)) seeds.push(b);
  fuzzParser(seeds, (b) => {
    const n = b.length - p.TDS_HEADER_LEN;
    p.parseHeader(b, 0, b.length);
    p.tdsFrameLength(b, 0, b.length);
    p.parsePrelogin(b, p.TDS_HEADER_LEN, n);
    p.parseLogin7(b, p.TDS_HEADER_LEN, n);
    p.parseTokens(b, p.TDS_HEADER_LEN, n);
    p.parseTokens(b, p.TDS_HEADER_LEN, n, false);
    p.decodePassword(b, 0, b.length);
    p.tlsRecordLength(b, 0, b.length);
    probe(b, 0, b.length, true);
    probe(b, 0, b.length, false);
  });
});

test('the TDS analyzer survives mutated real streams', { skip }, async () => {
  const streams = await recordStreams(corpus('ndpi/pcap/mssql_tds.pcap'));
  const seeds = streams.flatMap((s) => [s.orig.subarray(0, 3000), s.resp.subarray(0, 3000)]).filter((b) => b.length > 0);
  seeds.push(Buffer.concat(cleartextLogin(true).map(([, b]) => b)));
  fuzzParser(
    seeds,
    (b) => {
      const a = new TdsAnalyzer();
      const ctx = new TestContext(6, 50000, 1433);
      a.data(ctx, true, b, 0, b.length);
      a.data(ctx, false, b, 0, b.length);
      a.gap(ctx, true, 10);
      a.data(ctx, true, b, 0, b.length);
      a.end(ctx);
    },
    { mutations: 150, maxMs: 500 },
  );
});
