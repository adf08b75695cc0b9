// MAC vendors against Arkime's expectations: every `.test` session of arkime/tests/pcap names
// the organisation of its source and destination MAC (srcOui / dstOui). Each MAC that sent
// frames (Arkime's source, or a destination with packets) is a device whose vendor is that
// organisation. Names are compared ignoring case and punctuation: Arkime's copy of the registry
// spells some differently ("Runtop Inc" / "RUNTOP, INC."); where the IEEE renamed the registrant
// since, the Wireshark manuf long name (what Arkime's list carries) is accepted too.
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { corpus, haveCorpus, REPO_ROOT } from '../testutil/corpus.js';
import { runInventory } from './testutil.js';

const skip = !haveCorpus();
const DIR = 'arkime/tests/pcap';

const norm = (s: string): string => s.toLowerCase().replace(/[^a-z0-9]/g, '');

/** Wireshark manuf long names by MA-L prefix ("08:00:27"), from the bundled feed. */
function manufLong(): Map<string, string> {
  const m = new Map<string, string>();
  for (const line of readFileSync(join(REPO_ROOT, 'knowledge', 'wireshark', 'manuf'), 'utf8').split('\n')) {
    const [addr, , long] = line.split('\t');
    if (long !== undefined && /^[0-9A-F]{2}:[0-9A-F]{2}:[0-9A-F]{2}$/i.test(addr)) m.set(addr.toLowerCase(), long.trim());
  }
  return m;
}

interface Side {
  mac?: string[];
  packets?: number;
}

function expectations(file: string): Map<string, string> {
  const j = JSON.parse(readFileSync(corpus(DIR, file), 'utf8')) as { sessions3?: { body: Record<string, unknown> }[] };
  const out = new Map<string, string>();
  for (const s of j.sessions3 ?? []) {
    const b = s.body;
    const pairs: [Side | undefined, unknown][] = [
      [b.source as Side, b.srcOui],
      [b.destination as Side, b.dstOui],
    ];
    for (const [side, oui] of pairs) {
      if (side?.mac?.length !== 1 || !Array.isArray(oui) || oui.length !== 1) continue;
      // A MAC that only received frames is no device of ours (nothing it sent was seen).
      if (side === b.destination && !((side.packets ?? 0) > 0)) continue;
      if (side.mac[0] === '00:00:00:00:00:00') continue;
      out.set(side.mac[0], String(oui[0]));
    }
  }
  return out;
}

const files = skip ? [] : readdirSync(corpus(DIR)).filter((f) => f.endsWith('.test')).sort();
const manuf = skip ? new Map<string, string>() : manufLong();

for (const t of files) {
  const exp = expectations(t);
  if (exp.size === 0) continue;
  test(`inventory: ${t.replace('.test', '.pcap')} MAC vendors match Arkime's srcOui/dstOui`, { skip }, async () => {
    const { devices } = await runInventory([corpus(DIR, t.replace('.test', '.pcap'))]);
    for (const [mac, oui] of exp) {
      const d = devices.find((x) => x.mac === mac);
      assert.ok(d !== undefined, `${mac} (${oui}): no device`);
      const ev = d.evidence.find((e) => e.source === 'mac.oui' && e.fact === 'vendor');
      assert.ok(ev !== undefined, `${mac}: no mac.oui evidence`);
      const ok = norm(ev.value) === norm(oui) || norm(manuf.get(mac.slice(0, 8)) ?? '') === norm(oui);
      assert.ok(ok, `${mac}: ours ${JSON.stringify(ev.value)}, Arkime ${JSON.stringify(oui)}`);
      // Without a stronger statement (LLDP-MED, BACnet, Modbus …) the device's vendor is the registrant.
      if (!d.evidence.some((e) => e.fact === 'manufacturer')) assert.equal(d.vendor, ev.value, mac);
    }
  });
}
