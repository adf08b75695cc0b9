// insecure-update: a medical, IoT or embedded device received software or firmware (a program,
// an update bundle, a firmware image) over a transfer that neither encrypts nor authenticates it
// (HTTP, FTP, TFTP): anyone on the path can replace the image, and the device installs what it
// got unless it checks a vendor signature, which the wire cannot show. FDA's premarket
// cybersecurity guidance asks for authenticated, integrity-protected updates (FDA 2023, section
// V.B.1, "Authentication" and "Code, Data and Execution Integrity"). Workstations and servers
// fetch signed updates over HTTP by design (Windows Update, APT): they are not judged here.
// The evidence carries the image's SHA-256, to compare with the vendor's published one.
import { IOT_CATEGORIES, type Finding } from '../../report/model.js';
import { listText, makeFinding, type RuleContext } from '../context.js';
import type { UpdateObs } from '../observe.js';
import { isMedical } from '../segments.js';

export function insecureUpdate(ctx: RuleContext): Finding[] {
  const out: Finding[] = [];
  for (const d of ctx.devices) {
    const medical = isMedical(d);
    if (!medical && !IOT_CATEGORIES.has(d.category)) continue;
    const list: UpdateObs[] = [];
    for (const h of ctx.hostsOf(d)) for (const u of h.updates.values()) list.push(u);
    if (list.length === 0) continue;
    list.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.transport < b.transport ? -1 : a.transport > b.transport ? 1 : 0));
    const transports = [...new Set(list.map((u) => u.transport))].sort();
    out.push(
      makeFinding('insecure-update', d, {
        key: transports.join(','),
        title: `Software or firmware received without encryption or authentication (${transports.join(', ')})`,
        detail: `The device received ${listText(list.map((u) => `${u.name} (${u.size} bytes from ${u.sender} over ${u.transport})`), 4)}: nothing on the wire protects these images from being swapped on the way. Compare their hashes (evidence) with the vendor's published ones.`,
        evidence: list.map((u) => u.evidence),
        severity: medical ? 'high' : undefined,
      }),
    );
  }
  return out;
}
