// Regenerates test/golden/secrets.json: the cleartext secrets (passwords, SNMP communities,
// HTTP Basic credentials, PostgreSQL PasswordMessages, TDS LOGIN7 passwords, OPC UA clear user-name passwords) that tshark 4.0.17 decodes in each
// corpus capture. test/secrets.test.ts checks that none of them appears in any wardline output.
// Command per capture (fields listed below):
//   tshark -n -r <capture> -T fields -E separator=/t -e <fields> -Y <filter>
import { execFileSync } from 'node:child_process';
import { readdirSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

const corpus = resolve(process.argv[2] ?? '../shared/corpus');
const out = resolve(process.argv[3] ?? 'test/golden/secrets.json');
const FIELDS = ['ftp.request.command', 'ftp.request.arg', 'http.authbasic', 'pop.request.command', 'pop.request.parameter', 'snmp.community', 'mqtt.passwd', 'ldap.simple', 'imap.request', 'socks.password', 'telnet.data', 'pgsql.password', 'tds.7login.password', 'opcua.Password'];
const FILTER = 'ftp.request.command=="PASS" || http.authbasic || pop.request.command=="PASS" || snmp.community || mqtt.passwd || ldap.simple || imap.request.command=="LOGIN" || imap.request.command=="login" || socks.password || pgsql.password || tds.7login.password || opcua.Password';

function walk(d, acc) {
  for (const e of readdirSync(d).sort()) {
    const p = join(d, e);
    if (statSync(p).isDirectory()) walk(p, acc);
    else if (/\.(pcap|pcapng|cap)$/i.test(e)) acc.push(p);
  }
  return acc;
}

/** Secrets shorter than this are too common to grep for (e.g. "a", "123"). */
const MIN_LEN = 4;
const result = { tool: 'TShark 4.0.17', fields: FIELDS, filter: FILTER, captures: {} };
for (const p of walk(corpus, [])) {
  let text = '';
  try {
    text = execFileSync('tshark', ['-n', '-r', p, '-T', 'fields', '-E', 'separator=/t', ...FIELDS.flatMap((f) => ['-e', f]), '-Y', FILTER], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], maxBuffer: 64 << 20 });
  } catch (e) {
    text = e.stdout ?? '';
  }
  const secrets = new Set();
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const v = line.split('\t');
    const f = Object.fromEntries(FIELDS.map((k, i) => [k, v[i] ?? '']));
    if (f['ftp.request.command'] === 'PASS') secrets.add(f['ftp.request.arg']);
    if (f['http.authbasic']) {
      const i = f['http.authbasic'].indexOf(':');
      if (i >= 0) secrets.add(f['http.authbasic'].slice(i + 1));
      secrets.add(Buffer.from(f['http.authbasic']).toString('base64'));
    }
    if (f['pop.request.command'] === 'PASS') secrets.add(f['pop.request.parameter']);
    for (const c of f['snmp.community'].split(',')) secrets.add(c);
    secrets.add(f['mqtt.passwd']);
    secrets.add(f['ldap.simple']);
    secrets.add(f['socks.password']);
    secrets.add(f['pgsql.password']);
    secrets.add(f['tds.7login.password']);
    // OPC UA UserNameIdentityToken: tshark prints the Password ByteString as hex; an encrypted
    // one is binary, a readable one printable (also one inside a Read value: never logged either).
    for (const h of f['opcua.Password'].split(',')) {
      const pw = Buffer.from(h.replace(/:/g, ''), 'hex').toString('latin1');
      if (/^[\x20-\x7e]+$/.test(pw)) secrets.add(pw);
    }
    const m = /LOGIN\s+("?)([^\s"]+)\1\s+("?)([^\s"]+)\3/i.exec(f['imap.request']);
    if (m) secrets.add(m[4]);
  }
  const list = [...secrets].filter((s) => s.length >= MIN_LEN).sort();
  if (list.length) result.captures[relative(corpus, p)] = list;
}
writeFileSync(out, JSON.stringify(result, null, 1) + '\n');
console.log(`${Object.keys(result.captures).length} captures with secrets`);
