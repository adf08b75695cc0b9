// DRDA on nDPI's capture (test/fixtures/ndpi/ndpi-drda.pcap): IBM's JDBC driver (JCC 2.10) logs
// in to Db2 8.2 for Linux with a user id and password in clear (SECMEC USRIDPWD) and runs
// queries. Expectations: ndpiReader 4.2's label (ndpi-drda.pcap.out: DRDA) and tshark 4.0's
// DRDA decode (ndpi-drda.tshark.tsv: DDM code points, parameter code points and their EBCDIC
// text per frame, and the payload for the binary parameters SECMEC and SECCHKCD).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT, runCaptures } from '../../testutil/corpus.js';
import { feedAnalyzer } from '../../testutil/flowbytes.js';
import { ndpiFlows } from '../../testutil/peers.js';
import { fuzzParser } from '../../testutil/fuzz.js';
import { PROBE_MAYBE, PROBE_NO, PROBE_YES } from '../types.js';
import { DrdaAnalyzer } from './analyzer.js';
import { ebcdic, params, productName } from './parse.js';
import { probe } from './probe.js';
import { assessCaptures } from '../../assess/testutil.js';
import { deviceWithIp, runInventory } from '../../inventory/testutil.js';

const DIR = join(REPO_ROOT, 'test', 'fixtures', 'ndpi');
const PCAP = join(DIR, 'ndpi-drda.pcap');

interface Row {
  frame: number;
  port: number;
  ddm: number[];
  params: number[];
  texts: string[];
  payload: Buffer;
}

function rows(): Row[] {
  return readFileSync(join(DIR, 'ndpi-drda.tshark.tsv'), 'utf8')
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => {
      const f = l.split('\t');
      const list = (s: string): string[] => (s === '' ? [] : s.split('|'));
      return { frame: Number(f[0]), port: Number(f[1]), ddm: list(f[2]).map(Number), params: list(f[3]).map(Number), texts: list(f[4]), payload: Buffer.from(f[5], 'hex') };
    });
}

/** tshark's EBCDIC text of the first parameter `cp` in a frame, blank padding trimmed. */
function textOf(r: Row, cp: number): string {
  const i = r.params.indexOf(cp);
  assert.ok(i >= 0, `0x${cp.toString(16)} in frame ${r.frame}`);
  return r.texts[i].trimEnd();
}

test("drda.log: both sides' names, products and classes, the database, the login and its outcome as tshark decodes them; conn.log drda on the flow nDPI calls DRDA", async () => {
  const ndpi = ndpiFlows(join(DIR, 'ndpi-drda.pcap.out'));
  assert.deepEqual(ndpi.map((f) => f.app), ['DRDA']);
  const rs = rows();
  const byDdm = (cp: number): Row => rs.find((r) => r.ddm.includes(cp))!;
  const excsat = byDdm(0x1041);
  const excsatrd = byDdm(0x1443);
  const secchk = byDdm(0x106e);
  const secchkrm = byDdm(0x1219);
  const accrdbrm = byDdm(0x2201);
  const run = await runCaptures([PCAP]);
  try {
    assert.equal(run.conns[0].service, 'drda');
    const [l] = run.log('drda');
    assert.deepEqual(
      [l.client_name, l.client_host, l.client_product, l.client_class],
      [textOf(excsat, 0x115e).split(/\s+/)[0], textOf(excsat, 0x116d), textOf(excsat, 0x115a), textOf(excsat, 0x1147)],
    );
    assert.deepEqual(
      [l.server_name, l.server_host, l.server_product, l.server_class],
      [textOf(excsatrd, 0x115e), textOf(excsatrd, 0x116d), textOf(excsatrd, 0x115a), textOf(excsatrd, 0x1147)],
    );
    assert.equal(l.server_product, textOf(accrdbrm, 0x112e));
    assert.equal(l.database, textOf(excsat, 0x2110));
    assert.equal(l.user, textOf(secchk, 0x11a0));
    // SECMEC 3 (USRIDPWD) in SECCHK, SECCHKCD 0 in SECCHKRM: the parameters' bytes.
    assert.ok(secchk.payload.includes(Buffer.from('000611a20003', 'hex')));
    assert.ok(secchkrm.payload.includes(Buffer.from('000511a400', 'hex')));
    assert.deepEqual([l.security_mechanism, l.password, l.login], ['USRIDPWD', '<redacted>', 'accepted']);
    // Every request and reply object tshark decoded is named (or numbered) in the log.
    const seen = new Set(rs.flatMap((r) => r.ddm));
    assert.equal((l.commands as string[]).length, seen.size);
    // SQL text is never logged: the prepared statements' tables are not in any log line.
    const all = readFileSync(join(run.outDir, 'logs', 'drda.log'), 'utf8');
    assert.ok(!/SYSIBM|SELECT/i.test(all));
    const sw = run.log('software').map((x) => [x.host, x.software_type, x.unparsed_version]);
    assert.deepEqual(sw, [
      ['192.168.106.1', 'DRDA::CLIENT', 'IBM Data Server Driver for JDBC 2.10.0 (QDB2/JVM)'],
      ['192.168.106.128', 'DRDA::SERVER', 'IBM Db2 for LUW 8.2.4 (QDB2/LINUX)'],
    ]);
  } finally {
    run.cleanup();
  }
});

test('the Db2 server is a server named db2 and its client MyPC-Hostname, by their EXCSAT names; the clear login is a cleartext-credentials finding on the server, which serves clear-text DRDA', async () => {
  const { devices } = await runInventory([PCAP]);
  const db = deviceWithIp(devices, '192.168.106.128')!;
  assert.equal(db.category, 'server');
  assert.ok(db.evidence.some((e) => e.fact === 'role' && e.value === 'db2-db-server'));
  assert.ok(db.hostnames.includes('db2'));
  assert.ok(deviceWithIp(devices, '192.168.106.1')!.hostnames.includes('MyPC-Hostname'));
  const a = await assessCaptures([PCAP]);
  try {
    const server = a.result.devices.find((d) => d.ips.includes('192.168.106.128'))!;
    const rules = a.result.findings.filter((f) => f.device === server.id).map((f) => f.rule).sort();
    assert.deepEqual(rules, ['cleartext-credentials', 'cleartext-protocol']);
    const cred = a.result.findings.find((f) => f.rule === 'cleartext-credentials')!;
    assert.match(cred.evidence[0].value, /^drda user "MYUSER", password <redacted>/);
    // The SECCHK's frame (7).
    assert.equal(cred.evidence[0].packet, 7);
  } finally {
    a.run.cleanup();
  }
});

test('parsers: EBCDIC names, DDM parameters, product ids', () => {
  assert.equal(ebcdic(Buffer.from('d4e8c4c2f2c4c24040', 'hex'), 0, 9), 'MYDB2DB');
  assert.equal(productName('SQL11050'), 'IBM Db2 for LUW 11.5.0');
  assert.equal(productName('DSN12015'), 'IBM Db2 for z/OS 12.1.5');
  assert.equal(productName('XYZ'), null);
  const secchk = rows().find((r) => r.ddm.includes(0x106e))!.payload;
  const p = params(secchk, 0, secchk.readUInt16BE(0))!;
  assert.deepEqual(
    [p.cp, p.list.map((x) => x.cp)],
    [0x106e, [0x11a2, 0x2110, 0x11a0, 0x11a1]],
  );
});

test('probe: a request DSS opening with EXCSAT or ACCSEC; replies and other bytes are not', () => {
  const first = rows()[0].payload;
  assert.equal(probe(first, 0, first.length, true), PROBE_YES);
  assert.equal(probe(first, 0, 2, true), PROBE_MAYBE);
  assert.equal(probe(first, 0, first.length, false), PROBE_NO);
  const reply = rows()[1].payload;
  assert.equal(probe(reply, 0, reply.length, true), PROBE_NO);
  assert.equal(probe(Buffer.from('GET / HTTP/1.1'), 0, 14, true), PROBE_NO);
});

test('the analyzer survives truncation and mutation of real frames, split anywhere', () => {
  const rs = rows();
  const client = Buffer.concat(rs.filter((r) => r.port !== 50000).map((r) => r.payload));
  for (const cut of [1, 5, 6, 40, 100, client.length - 1]) {
    const out = feedAnalyzer(new DrdaAnalyzer(), [
      { isOrig: true, bytes: client.subarray(0, cut) },
      { isOrig: true, bytes: client.subarray(cut) },
    ]);
    const s = out.events.find((e) => e.type === 'drda.session')!;
    assert.deepEqual([s.user, s.database, s.client_host], ['MYUSER', 'MYDB2DB', 'MyPC-Hostname'], `cut ${cut}`);
  }
  fuzzParser(
    rs.slice(0, 4).map((r) => r.payload),
    (b) => {
      probe(b, 0, b.length, true);
      feedAnalyzer(new DrdaAnalyzer(), [
        { isOrig: true, bytes: b },
        { isOrig: false, bytes: b },
      ]);
    },
  );
});

const DERBY = join(REPO_ROOT, 'test', 'fixtures', 'generated', 'generated-derby-drda.pcap');

test('Apache Derby (generated with Derby 10.14.2, test/fixtures/generated/derby): UTF-8 names after EXCSAT, the clear login and the refused one as credentials, the strong password substitute sends none; no password in any output', async () => {
  // tshark's decode: the three SECCHKs (frames 8, 34, 48); the third has SECTKN (0x11dc), no PASSWORD.
  const ts = readFileSync(join(REPO_ROOT, 'test', 'fixtures', 'generated', 'derby', 'tshark.tsv'), 'utf8').split('\n').filter((l) => l !== '').map((l) => l.split('\t'));
  const secchks = ts.filter((f) => f[2].split('|').includes('0x106e'));
  assert.deepEqual(secchks.map((f) => [f[0], f[3].includes('0x11a1'), f[3].includes('0x11dc')]), [
    ['8', true, false],
    ['34', true, false],
    ['48', false, true],
  ]);
  const excsatrd = ts.find((f) => f[2].split('|').includes('0x1443'))!;
  const run = await runCaptures([DERBY]);
  try {
    const log = run.log('drda');
    assert.deepEqual(
      log.map((l) => [l.user, l.database, l.security_mechanism, l.password ?? null, l.login]),
      [
        ['lisapp', 'memory:labresults', 'USRIDPWD', '<redacted>', 'accepted'],
        ['lisapp', 'memory:labresults', 'USRIDPWD', '<redacted>', 'user id invalid'],
        ['lisapp', 'memory:labresults', 'USRSSBPWD', null, 'accepted'],
      ],
    );
    // EXCSATRD's class and release level, as tshark reads them (EBCDIC).
    const cls = excsatrd[4].split('|');
    assert.deepEqual([log[0].server_class, log[0].server_product], [cls[2], cls[4]]);
    assert.deepEqual(
      run.log('software').map((x) => [x.software_type, x.unparsed_version]),
      [
        ['DRDA::CLIENT', 'Apache Derby Network Client 10.14.2.0 (QDERBY/JVM)'],
        ['DRDA::SERVER', 'Apache Derby 10.14.2.0'],
      ],
    );
    for (const f of readdirSync(join(run.outDir, 'logs'))) {
      const text = readFileSync(join(run.outDir, 'logs', f), 'utf8');
      for (const secret of ['Lis-Db-Pass-2026', 'Wr0ng-Guess-1', 'potassium']) assert.ok(!text.includes(secret), `${secret} in ${f}`);
    }
  } finally {
    run.cleanup();
  }
  // Derby's fixed SRVNAMs are not host names; the clear and the refused logins are credentials.
  const { devices } = await runInventory([DERBY]);
  assert.ok(devices.every((d) => !d.hostnames.includes('NetworkServerControl') && !d.hostnames.includes('Derby')));
  assert.equal(deviceWithIp(devices, '10.96.0.5')!.category, 'server');
  const a = await assessCaptures([DERBY]);
  try {
    const creds = a.result.findings.filter((f) => f.rule === 'cleartext-credentials');
    assert.equal(creds.length, 1);
    assert.deepEqual(creds[0].evidence.map((e) => e.packet).sort((x, y) => x - y), [8, 34]);
  } finally {
    a.run.cleanup();
  }
});
