// trunk-negotiation: a switch port advertises DTP in a dynamic mode (auto or desirable) while it
// is an access port. It becomes a trunk for whatever asks with DTP desirable or on, and then
// carries every VLAN to it: one DTP frame from a host on that port (Yersinia's "enabling
// trunking") undoes the segmentation that fences the medical devices off. Cisco's defaults
// (dynamic auto on most Catalysts, dynamic desirable on older ones) do this until each access
// port is set to `switchport mode access` with `switchport nonegotiate`. Finding on the switch
// port's device — network gear only: anything else sending DTP is asking for a trunk, which is
// the monitor's switch-spoofing alert, not a configuration to fix. Medium.
import type { Finding } from '../../report/model.js';
import { listText, makeFinding, type RuleContext } from '../context.js';

const DYNAMIC = new Set(['auto', 'desirable']);

export function trunkNegotiation(ctx: RuleContext): Finding[] {
  const out: Finding[] = [];
  for (const d of ctx.devices) {
    if (d.mac === null || d.category !== 'network') continue;
    const obs = (ctx.obs.dtp.get(d.mac) ?? []).filter((o) => DYNAMIC.has(o.mode) && o.status === 'access');
    if (obs.length === 0) continue;
    const modes = [...new Set(obs.map((o) => o.mode))].sort();
    const links = [...new Set(obs.map((o) => (o.vlan >= 0 ? `VLAN ${o.vlan}` : 'the untagged link')))].sort();
    out.push(
      makeFinding('trunk-negotiation', d, {
        key: 'trunk-negotiation',
        title: `Switch port negotiates trunking (DTP dynamic ${modes.join(', ')})`,
        detail: `${d.mac} advertises DTP in dynamic ${listText(modes)} mode as an access port on ${listText(links)}: it becomes a trunk for any device on the port that asks with DTP desirable or on, and then carries every VLAN to it, past the segmentation between them (switch spoofing, the first step of VLAN hopping).`,
        evidence: obs.map((o) => o.evidence),
      }),
    );
  }
  return out;
}
