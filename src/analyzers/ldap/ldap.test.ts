// LDAP tests against real captures: Zeek's ldap.log/ldap_search.log/conn.log baselines,
// Arkime's ldap authtype/bindname, Suricata's ldap-bind/ldap-search; the simple-bind passwords
// of the fixtures never reach a log; parser fuzzing on real messages; probing off-port.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { corpus, haveCorpus, readZeekTsv, runCaptures, zeekBaselines } from '../../testutil/corpus.js';
import { arkimeSessions, recordStreams, splitPdus, suricataChecks, TestContext, zeekValue } from '../../testutil/recorded.js';
import { fuzzParser } from '../../testutil/fuzz.js';
import { ldapFrameLength, parseLdapMessage } from './parse.js';
import { probe } from './probe.js';
import { LdapAnalyzer } from './analyzer.js';
import { LDAP } from './index.js';
import { PROBE_NO, PROBE_YES } from '../types.js';
import { REDACTED, secretDigest } from '../secret.js';

const skip = !haveCorpus() && 'shared corpus not present';

const MESSAGE_FIELDS = ['version', 'opcode', 'result', 'diagnostic_message', 'object', 'argument'];
const SEARCH_FIELDS = ['scope', 'deref_aliases', 'base_object', 'result_count', 'result', 'diagnostic_message', 'filter', 'attributes'];

/**
 * Zeek's rendering → wardline's, where they legitimately differ:
 * - a simple-bind password is "REDACTED" in Zeek, secret.ts's REDACTED in wardline;
 * - Zeek nests an n-ary AND/OR filter pairwise ("(&(&(a)(b))(c))") where the message has one
 *   AND of three terms; wardline prints the RFC 4515 form "(&(a)(b)(c))";
 * - Active Directory ends diagnostic messages with a NUL, which Zeek shows as "?" and wardline
 *   drops.
 */
function zeekToWardline(field: string, v: string | undefined): string | undefined {
  if (v === undefined) return v;
  if (field === 'argument' && v === 'REDACTED') return REDACTED;
  if (field === 'filter') return flattenFilter(v);
  if (field === 'diagnostic_message') return v.replace(/\?$/, '');
  return v;
}

/** "(&(&A B)C)" → "(&A B C)": undoes Zeek's pairwise nesting of a single AND/OR. */
function flattenFilter(f: string): string {
  let prev = '';
  while (prev !== f) {
    prev = f;
    f = f.replace(/\(([&|])\(\1((?:\((?:[^()]|\([^()]*\))*\))+)\)/g, '($1$2');
  }
  return f;
}

function compareByMessageId(got: Record<string, unknown>[], want: Record<string, string>[], fields: string[], label: string): void {
  assert.equal(got.length, want.length, `${label}: line count`);
  for (const w of want) {
    const g = got.find((x) => String(x.message_id) === w.message_id);
    assert.ok(g, `${label}: message ${w.message_id} missing`);
    for (const f of fields) {
      if (!(f in w)) continue;
      const wv = zeekToWardline(f, zeekValue(w[f]));
      const gv: string | undefined = g[f] === undefined ? undefined : Array.isArray(g[f]) ? (g[f] as string[]).join(',') : String(g[f]);
      assert.equal(gv, wv, `${label}: message ${w.message_id} ${f}`);
    }
  }
}

const ldapBaselines = skip ? [] : [...zeekBaselines('ldap.log'), { trace: corpus('zeek/traces/ldap/aduser1-ntlm.pcap'), baseline: corpus('zeek/baselines/scripts.base.protocols.ldap.aduser1/ntlm.ldap.log') }];

test('the corpus has Zeek ldap.log baselines to compare with', { skip }, () => {
  assert.ok(ldapBaselines.length >= 4);
});

for (const { trace, baseline } of ldapBaselines) {
  const name = baseline.split('/').slice(-2).join('/');
  test(`ldap.log matches Zeek's ${name}`, { skip }, async () => {
    const run = await runCaptures([trace]);
    try {
      compareByMessageId(run.log('ldap'), readZeekTsv(baseline), MESSAGE_FIELDS, name);
    } finally {
      run.cleanup();
    }
  });
}

const searchBaselines = skip ? [] : [...zeekBaselines('ldap_search.log'), { trace: corpus('zeek/traces/ldap/aduser1-ntlm.pcap'), baseline: corpus('zeek/baselines/scripts.base.protocols.ldap.aduser1/ntlm.ldap_search.log') }];

for (const { trace, baseline } of searchBaselines) {
  const name = baseline.split('/').slice(-2).join('/');
  test(`ldap_search.log matches Zeek's ${name}`, { skip }, async () => {
    const run = await runCaptures([trace]);
    try {
      // Zeek logs the requested attributes only with LDAP::default_log_search_attributes=T (the
      // 'attributes' test); wardline always logs them, so other baselines skip that field.
      const fields = name.includes('ldap.attributes/') ? SEARCH_FIELDS : SEARCH_FIELDS.filter((f) => f !== 'attributes');
      compareByMessageId(run.log('ldap_search'), readZeekTsv(baseline), fields, name);
    } finally {
      run.cleanup();
    }
  });
}

test("conn.log service matches Zeek's conn baselines for LDAP traces (ldap_tcp, ntlm)", { skip }, async () => {
  const bases = zeekBaselines('conn.log').filter((b) => b.trace.includes('/ldap/'));
  assert.ok(bases.length >= 2);
  for (const { trace, baseline } of bases) {
    const want = readZeekTsv(baseline);
    const run = await runCaptures([trace]);
    try {
      for (const w of want) {
        const c = run.conns.find((x) => x.oPort === Number(w['id.orig_p']) && x.rPort === Number(w['id.resp_p']))!;
        assert.deepEqual(c.service.split(',').sort(), w.service.split(',').sort(), baseline);
      }
    } finally {
      run.cleanup();
    }
  }
});

test("NTLM attempts over LDAP fail where Zeek's ldap.log says 'invalid credentials'", { skip }, async () => {
  const want = readZeekTsv(corpus('zeek/baselines/scripts.base.protocols.ldap.invalid_credentials/ldap.log')).filter((w) => w.result === 'invalid credentials');
  const run = await runCaptures([corpus('zeek/traces/ldap/ldap_invalid_credentials.pcap')]);
  try {
    const attempts = run.log('ntlm');
    assert.equal(attempts.length, want.length);
    assert.ok(attempts.every((a) => a.success === false));
  } finally {
    run.cleanup();
  }
});

// ---- Arkime and Suricata ---------------------------------------------------------------------

/** Arkime's ldap.authtype for one ldap.log bind line. */
function arkimeAuthType(r: Record<string, unknown>): string | null {
  switch (r.opcode) {
    case 'bind simple':
      return r.argument === undefined ? 'none' : 'simple';
    case 'bind SASL':
      return 'sasl';
    case 'sicily_negotiate':
      return 'ntlmsspNegotiate';
    case 'sicily_response':
      return 'ntlmsspAuth';
    default:
      return null;
  }
}

for (const name of ['ldap-simpleauth', 'ldap-and-search', 'ntlm_synthetic']) {
  test(`bind types and names agree with Arkime's ${name} (ldap.authtype, ldap.bindname)`, { skip }, async () => {
    const sessions = arkimeSessions(corpus(`arkime/tests/pcap/${name}.test`)).filter((s) => s.body.ldap !== undefined);
    assert.ok(sessions.length >= 1);
    const run = await runCaptures([corpus(`arkime/tests/pcap/${name}.pcap`)]);
    try {
      for (const s of sessions) {
        const a = s.body.ldap as { authtype: string[]; bindname: string[] };
        const binds = run.log('ldap').filter((r) => r['id.orig_p'] === s.sport && r['id.resp_p'] === s.dport && arkimeAuthType(r) !== null);
        assert.deepEqual([...new Set(binds.map(arkimeAuthType))].sort(), [...a.authtype].sort(), `${s.sport} authtype`);
        // Arkime shows an empty bind DN as "<ROOT>".
        assert.deepEqual([...new Set(binds.map((b) => (b.object === undefined ? '<ROOT>' : String(b.object))))].sort(), [...a.bindname].sort(), `${s.sport} bindname`);
      }
    } finally {
      run.cleanup();
    }
  });
}

test("the search request matches Suricata's ldap-search expectations", { skip }, async () => {
  const [c] = suricataChecks(corpus('suricata-verify/tests/ldap-search/test.yaml'));
  const run = await runCaptures([corpus('suricata-verify/tests/ldap-search/ldap.pcap')]);
  try {
    const [s] = run.log('ldap_search');
    const m = c.match;
    assert.equal(String(s.message_id), m['ldap.request.message_id']);
    assert.equal(s.base_object, m['ldap.request.search_request.base_object']);
    assert.equal(s.scope, ['base', 'single', 'tree'][Number(m['ldap.request.search_request.scope'])]);
    assert.equal(s.deref_aliases, ['never', 'searching', 'finding', 'always'][Number(m['ldap.request.search_request.deref_alias'])]);
    assert.deepEqual(s.attributes, [m['ldap.request.search_request.attributes[0]'], m['ldap.request.search_request.attributes[1]']]);
    assert.equal(s.result, m['ldap.responses[1].search_result_done.result_code']);
    // responses[0] is the single entry, responses[1] the done.
    assert.equal(s.result_count, 1);
  } finally {
    run.cleanup();
  }
});

test("the bind request matches Suricata's ldap-bind expectations (message id 1)", { skip }, async () => {
  const [c] = suricataChecks(corpus('suricata-verify/tests/ldap-bind/test.yaml'));
  const run = await runCaptures([corpus('suricata-verify/tests/ldap-bind/ldap.pcap')]);
  try {
    const binds = run.log('ldap').filter((r) => String(r.message_id) === c.match['ldap.request.message_id']);
    assert.equal(binds.length, c.count);
  } finally {
    run.cleanup();
  }
});

// ---- secrets -------------------------------------------------------------------------------

/** The simple-bind passwords in the fixtures (as tshark's ldap.simple shows them). */
const PASSWORDS = ['passwor8d1', '/dev/rdsk/c0t0d0s0'];

test('simple-bind passwords become digests in credential events and appear in no log', { skip }, async () => {
  const pcaps = ['zeek/traces/ldap/simpleauth.pcap', 'arkime/tests/pcap/ldap-simpleauth.pcap', 'arkime/tests/pcap/ldap-and-search.pcap'];
  for (const p of pcaps) {
    const raw = readFileSync(corpus(p));
    const present = PASSWORDS.filter((pw) => raw.includes(Buffer.from(pw)));
    const run = await runCaptures([corpus(p)]);
    try {
      const creds = run.result.events.filter((e) => e.ev.type === 'credential').map((e) => e.ev);
      assert.deepEqual(creds.map((c) => c.secret).sort(), present.map((pw) => secretDigest(pw)).sort(), p);
      assert.ok(creds.every((c) => c.password === REDACTED && c.service === 'ldap'));
      for (const f of readdirSync(join(run.outDir, 'logs'))) {
        const text = readFileSync(join(run.outDir, 'logs', f), 'utf8');
        for (const pw of PASSWORDS) assert.ok(!text.includes(pw) && !text.includes(JSON.stringify(pw).slice(1, -1)), `${p}: ${f} contains a password`);
      }
      assert.ok(!JSON.stringify(run.result.events).includes(PASSWORDS[0]));
    } finally {
      run.cleanup();
    }
  }
});

// ---- probe and off-port detection ------------------------------------------------------------

test('probe() recognises LDAP requests and responses and rejects other protocols', { skip }, async () => {
  const [s] = await recordStreams(corpus('zeek/traces/ldap/sasl-ntlm.pcap'));
  assert.equal(probe(s.orig, 0, s.orig.length, true), PROBE_YES);
  assert.equal(probe(s.resp, 0, s.resp.length, false), PROBE_YES);
  const [smb] = (await recordStreams(corpus('zeek/traces/smb/smb3.pcap'))).filter((x) => x.rPort === 445);
  assert.equal(probe(smb.orig, 0, smb.orig.length, true), PROBE_NO);
  const mysql = (await recordStreams(corpus('arkime/tests/pcap/mysql-allow.pcap'))).find((x) => x.rPort === 3306)!;
  assert.equal(probe(mysql.resp, 0, mysql.resp.length, false), PROBE_NO);
});

test('LDAP is found without port hints (sasl-ntlm.pcap with an empty port list)', { skip }, async () => {
  const run = await runCaptures([corpus('zeek/traces/ldap/sasl-ntlm.pcap')], [{ ...LDAP, ports: [] }]);
  try {
    assert.equal(run.log('ldap').length, readZeekTsv(corpus('zeek/baselines/scripts.base.protocols.ldap.sasl-ntlm/ldap.log')).length);
  } finally {
    run.cleanup();
  }
});

// ---- robustness ------------------------------------------------------------------------------

async function ldapMessages(): Promise<Uint8Array[]> {
  const out: Uint8Array[] = [];
  for (const f of ['zeek/traces/ldap/simpleauth.pcap', 'zeek/traces/ldap/sasl-ntlm.pcap', 'zeek/traces/ldap/aduser1-ntlm.pcap', 'zeek/traces/ldap/ldap_invalid_credentials.pcap', 'suricata-verify/tests/ldap-search/ldap.pcap']) {
    for (const s of await recordStreams(corpus(f))) out.push(...splitPdus(s.orig, ldapFrameLength).slice(0, 6), ...splitPdus(s.resp, ldapFrameLength).slice(0, 6));
  }
  return out.map((m) => m.subarray(0, 1200));
}

test('parseLdapMessage() survives truncation and mutation of real messages', { skip }, async () => {
  const seeds = await ldapMessages();
  assert.ok(seeds.length >= 20);
  fuzzParser(seeds, (b) => {
    parseLdapMessage(b, 0, b.length);
    ldapFrameLength(b, 0, b.length);
  }, { mutations: 150 });
});

test('the LDAP analyzer survives mutated real streams', { skip }, async () => {
  const streams = (await recordStreams(corpus('zeek/traces/ldap/aduser1-ntlm.pcap'))).concat(await recordStreams(corpus('zeek/traces/ldap/simpleauth.pcap')));
  fuzzParser(
    streams.flatMap((s) => [s.orig.subarray(0, 2000), s.resp.subarray(0, 2000)]),
    (b) => {
      const a = new LdapAnalyzer();
      const ctx = new TestContext(6, 50000, 389);
      a.data(ctx, true, b, 0, b.length);
      a.data(ctx, false, b, 0, b.length);
      a.end(ctx);
    },
    { mutations: 80, maxMs: 500 },
  );
});
