// segment-mixed: a segment (VLAN or subnet, see segments.ts) holds medical or IoT devices and IT
// workstations or servers; the finding is on each medical/IoT device there, naming the IT
// devices and the traffic that crosses between the two groups.
import { fromCapture, type Device, type Evidence, type Finding } from '../../report/model.js';
import { listText, makeFinding, type RuleContext } from '../context.js';
import type { PairObs } from '../observe.js';

/** Cross-traffic pairs listed per finding. */
const MAX_PAIRS_LISTED = 6;
/** IT devices whose addresses are cited when no cross-traffic was seen. */
const MAX_MEMBERS_CITED = 3;

/**
 * Where a device was seen: its own evidence of an address in a capture packet, else its earliest
 * capture evidence of any kind (the inventory keeps a bounded selection of facts).
 */
function sightingEvidence(d: Device | undefined): Evidence | undefined {
  if (d === undefined) return undefined;
  let best: Evidence | undefined;
  for (const e of d.evidence) {
    if (!fromCapture(e)) continue;
    if (e.fact === 'ip') return e;
    if (best === undefined || e.ts < best.ts) best = e;
  }
  return best;
}

export function segmentMixed(ctx: RuleContext): Finding[] {
  const out: Finding[] = [];
  for (const s of ctx.segments) {
    if (!s.mixed) continue;
    const it = new Set(s.it_devices);
    const exposed = [...s.medical_devices, ...(s.iot_devices ?? [])].sort();
    for (const id of exposed) {
      const d = ctx.byId.get(id)!;
      // Flows between this device and the segment's IT devices.
      const pairs: PairObs[] = [];
      for (const ip of d.ips) {
        for (const other of it) {
          for (const oip of ctx.byId.get(other)!.ips) {
            const p = ctx.obs.pairs.get(ip < oip ? `${ip}|${oip}` : `${oip}|${ip}`);
            if (p !== undefined) pairs.push(p);
          }
        }
      }
      pairs.sort((a, b) => b.bytes - a.bytes || (a.a < b.a ? -1 : a.a > b.a ? 1 : a.b < b.b ? -1 : 1));
      const traffic = pairs.slice(0, MAX_PAIRS_LISTED).map((p) => `${p.a} ↔ ${p.b}: ${p.flows} flow${p.flows > 1 ? 's' : ''}, ${p.bytes} bytes (${p.services.slice(0, 3).join(', ')})`);
      const where = s.vlan !== undefined ? `VLAN ${s.vlan}` : `subnet ${s.cidr}`;
      out.push(
        makeFinding('segment-mixed', d, {
          key: s.id,
          title: `Shares ${where} with IT workstations`,
          detail: `${d.category.replace(/_/g, ' ')} ${d.id} is in ${where} with ${s.it_devices.length} IT device${s.it_devices.length > 1 ? 's' : ''} (${listText(s.it_devices, 4)}). ${traffic.length > 0 ? `Cross-traffic: ${traffic.join('; ')}.` : 'No direct traffic between them was seen, but nothing separates them.'}`,
          // Without cross-traffic, what places both sides in the segment: where each was seen.
          evidence:
            pairs.length > 0
              ? pairs.map((p) => p.evidence)
              : [d, ...[...it].sort().slice(0, MAX_MEMBERS_CITED).map((o) => ctx.byId.get(o))].map(sightingEvidence).filter((e): e is Evidence => e !== undefined),
          severity: pairs.length > 0 && d.medical ? 'high' : undefined,
        }),
      );
    }
  }
  return out;
}
