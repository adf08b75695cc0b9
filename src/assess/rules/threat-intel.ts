// threat-intel: the device's traffic matched an indicator of the threat-intelligence feeds given
// with --intel (intel.log): it talked to a listed address or subnet, looked up or reached a
// listed domain or URL, received a certificate, e-mail address or file that a feed lists. One
// finding per device and listing, with every place it was seen (the first few) as evidence.
// High: a feed listed it as hostile; on a medical or IoT device (which talks to few, known
// peers) critical.
import { IOT_CATEGORIES, type Finding } from '../../report/model.js';
import { listText, makeFinding, type RuleContext } from '../context.js';
import type { IntelObs } from '../observe.js';
import { isMedical } from '../segments.js';

export function threatIntel(ctx: RuleContext): Finding[] {
  const out: Finding[] = [];
  for (const d of ctx.devices) {
    const byListing = new Map<string, IntelObs[]>();
    for (const h of ctx.hostsOf(d)) for (const o of h.intel.values()) byListing.set(o.matched, [...(byListing.get(o.matched) ?? []), o]);
    for (const [matched, list] of [...byListing].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))) {
      const seen = [...new Set(list.flatMap((o) => o.seen))];
      const sources = [...new Set(list.flatMap((o) => o.sources))].sort();
      const count = list.reduce((n, o) => n + o.count, 0);
      const desc = list.find((o) => o.desc !== undefined)?.desc;
      const sensitive = isMedical(d) || IOT_CATEGORIES.has(d.category);
      out.push(
        makeFinding('threat-intel', d, {
          key: matched,
          title: `Threat-intelligence indicator seen: ${matched}`,
          detail: `The device's traffic matched ${list[0].type} ${matched}, listed by ${sources.join(', ')}${desc !== undefined ? ` ("${desc}")` : ''}: ${listText(seen, 4)}${count > seen.length ? `, ${count} times in all` : ''}.${sensitive ? ' A medical or IoT device talks to few, known peers: this is unlikely to be a user\'s browsing.' : ''}`,
          evidence: list.flatMap((o) => o.evidence),
          severity: sensitive ? 'critical' : undefined,
        }),
      );
    }
  }
  return out;
}
