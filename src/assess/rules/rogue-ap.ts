// rogue-ap: an access point announces a network name that other access points announce with
// stronger protection — the signature of an evil twin (an attacker's AP luring stations onto an
// open or weaker copy of the hospital's network), or of a consumer AP plugged in under the
// clinical network's name. The finding is on the weaker access point, citing both beacons.
import type { Device, Evidence, Finding } from '../../report/model.js';
import { makeFinding, type RuleContext } from '../context.js';
import { WIFI_SECURITY_RANK as RANK } from '../../analyzers/wlan/parse.js';

interface Announcement {
  device: Device;
  security: string;
  evidence: Evidence;
}

export function rogueAp(ctx: RuleContext): Finding[] {
  const bySsid = new Map<string, Announcement[]>();
  for (const d of ctx.devices) {
    if (d.mac === null) continue;
    for (const n of ctx.obs.wifi.get(d.mac) ?? []) {
      if (n.role !== 'ap' || n.ssid === '' || RANK[n.security] === undefined) continue;
      const l = bySsid.get(n.ssid) ?? [];
      l.push({ device: d, security: n.security, evidence: n.evidence });
      bySsid.set(n.ssid, l);
    }
  }
  const out: Finding[] = [];
  for (const [ssid, list] of [...bySsid].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))) {
    const best = Math.max(...list.map((a) => RANK[a.security]));
    const strong = list.filter((a) => RANK[a.security] === best);
    for (const a of list) {
      if (RANK[a.security] >= best) continue;
      const others = [...new Set(strong.map((s) => s.device.mac ?? s.device.id))].sort();
      out.push(
        makeFinding('rogue-ap', a.device, {
          key: `${ssid}|${a.security}`,
          title: `Access point announces "${ssid}" with ${a.security === 'open' ? 'no encryption' : a.security} while others use ${strong[0].security}`,
          detail: `${a.device.mac} beacons the network "${ssid}" protected by ${a.security}, while ${others.length} other access point${others.length > 1 ? 's' : ''} (${others.slice(0, 4).join(', ')}${others.length > 4 ? ' …' : ''}) announce it with ${strong[0].security}: a misconfigured or rogue (evil-twin) access point that stations may join without the network's protection.`,
          evidence: [a.evidence, ...strong.slice(0, 3).map((s) => s.evidence)],
        }),
      );
    }
  }
  return out;
}
