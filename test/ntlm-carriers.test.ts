// NTLM wherever it travels (SMB, HTTP, LDAP, DCE-RPC, SMTP, IMAP, POP3, TDS): every session of
// Arkime's ntlm_synthetic capture gives the user, workstation and Windows version Arkime reports,
// and no raw security token survives into any event (they are credential material).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { corpus, haveCorpus, runCaptures } from '../src/testutil/corpus.js';

const skip = !haveCorpus() && 'shared corpus not present';

/** Sessions wardline cannot match, and why. */
const NOT_COMPARED: Record<number, string> = {};

test("ntlm.log agrees with Arkime's sessions of ntlm_synthetic.pcap on every carrier", { skip }, async () => {
  const t = JSON.parse(readFileSync(corpus('arkime/tests/pcap/ntlm_synthetic.test'), 'utf8')) as { sessions3: { body: Record<string, any> }[] };
  const run = await runCaptures([corpus('arkime/tests/pcap/ntlm_synthetic.pcap')]);
  try {
    const ntlm = run.log('ntlm');
    let compared = 0;
    for (const { body } of t.sessions3) {
      const port = body.destination.port as number;
      if (NOT_COMPARED[port] !== undefined) continue;
      const mine = ntlm.filter((r) => r['id.orig_p'] === body.source.port && r['id.resp_p'] === port);
      assert.ok(mine.length > 0, `no ntlm.log line for ${body.source.ip}:${body.source.port} → ${port}`);
      const users = mine.map((r) => r.username).filter((u) => u !== undefined);
      for (const u of body.user ?? []) assert.ok(users.includes(u), `user ${u} on port ${port}: ${users}`);
      const versions = new Set(mine.flatMap((r) => [r.client_version, r.server_version]).filter((v) => v !== undefined));
      for (const v of body.ntlm?.version ?? []) assert.ok(versions.has(v), `version ${v} on port ${port}: ${[...versions]}`);
      compared++;
    }
    assert.ok(compared >= 12);
    const events = JSON.stringify(run.result.events);
    assert.ok(!events.includes('TlRMTVNTUAAD'), 'an NTLM AUTHENTICATE token was kept in an event');
    assert.ok(!run.result.events.some((e) => e.ev.type.endsWith('.auth_blob')));
  } finally {
    run.cleanup();
  }
});
