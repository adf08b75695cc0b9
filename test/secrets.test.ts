// No password, SNMP community or HTTP Basic credential of any corpus capture appears in any
// wardline output (logs, report.json, report.html) or kept event. The secrets are what tshark
// decodes in each capture (test/golden/secrets.json, made by scripts/gen-secrets.mjs).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CORPUS, REPO_ROOT, haveCorpus, runCaptures } from '../src/testutil/corpus.js';
import { buildReport } from '../src/report/report.js';
import { renderHtml } from '../src/report/html.js';

const golden = JSON.parse(readFileSync(join(REPO_ROOT, 'test', 'golden', 'secrets.json'), 'utf8')) as { captures: Record<string, string[]> };

/** Keys whose values are user names, which a secret may equal (a user "testuser" with password "testuser"). */
const USER_KEYS = ['user', 'username', 'mailfrom', 'client_id', 'nbns_name', 'query'];

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * A secret that could not occur by chance in other text: long, and not just letters. Shorter
 * or plain-word secrets ("test", "password", "public") are only looked for as whole values.
 */
function distinctive(secret: string): boolean {
  return secret.length >= 8 && /[^A-Za-z]/.test(secret);
}

/** Occurrences of `secret` that are a value (or, if distinctive, part of one), not a key or a user name. */
export function leaks(text: string, secret: string): string[] {
  const json = JSON.stringify(secret).slice(1, -1);
  const re = distinctive(secret) ? new RegExp(`(^|[^A-Za-z0-9])${escapeRe(json)}(?![A-Za-z0-9])`, 'g') : new RegExp(`(")${escapeRe(json)}(?=")`, 'g');
  const out: string[] = [];
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    const at = m.index + m[1].length;
    const after = text.slice(at + json.length, at + json.length + 2);
    if (after === '":') continue; // a JSON key such as "password":
    const before = text.slice(Math.max(0, at - 40), at);
    if (USER_KEYS.some((k) => before.endsWith(`"${k}":"`)) || before.endsWith('"command":"USER","arg":"')) continue;
    out.push(text.slice(Math.max(0, at - 40), at + json.length + 20));
  }
  return out;
}

/** Secrets that are also legitimately logged, and why. */
const ALSO_PUBLIC: Record<string, Record<string, string>> = {
  'ndpi/pcap/mqtt.pcap': { '02D5050223D3': 'the device uses its own id as MQTT password and in its topic names, which are logged' },
};

const skip = !haveCorpus() && 'shared corpus not present';

test('the leak check finds a secret in a value and not in a key or a user name', () => {
  assert.equal(leaks('{"password":"<redacted>","user":"test"}', 'password').length, 0);
  assert.equal(leaks('{"user":"test"}', 'test').length, 0);
  assert.equal(leaks('{"arg":"x test y"}', 'test').length, 0);
  assert.equal(leaks('{"arg":"test"}', 'test').length, 1);
  assert.equal(leaks('{"uri":"/x?p=s3cr3t-pw9"}', 's3cr3t-pw9').length, 1);
  assert.equal(leaks('{"community":"public"}', 'public').length, 1);
  assert.equal(leaks('{"file":"a/public-wiki.pcap"}', 'public').length, 0);
});

for (const [rel, secrets] of Object.entries(golden.captures)) {
  const path = join(CORPUS, rel);
  test(`no secret of ${rel} appears in any output`, { skip: skip || !existsSync(path) }, async () => {
    const run = await runCaptures([path]);
    try {
      writeFileSync(join(run.outDir, 'report.html'), renderHtml(buildReport(run.result)));
      const texts: [string, string][] = [['events', JSON.stringify(run.result.events)]];
      for (const f of readdirSync(join(run.outDir, 'logs'))) texts.push([f, readFileSync(join(run.outDir, 'logs', f), 'utf8')]);
      texts.push(['report.html', readFileSync(join(run.outDir, 'report.html'), 'utf8')]);
      const found: string[] = [];
      for (const s of secrets) {
        if (ALSO_PUBLIC[rel]?.[s] !== undefined) continue;
        for (const [name, t] of texts) for (const l of leaks(t, s)) found.push(`${name}: …${l}…`);
      }
      assert.deepEqual(found, []);
    } finally {
      run.cleanup();
    }
  });
}
