// weak-wifi: an 802.11 network protected by WEP, WPA (TKIP) or a TKIP-only RSN, or not at all.
// On the access point that beacons it, and on every station seen joining it (a medical device
// on such a network is the case that matters most). An open network offering OWE (Enhanced
// Open) is not open.
import type { Device, Finding, Severity } from '../../report/model.js';
import { makeFinding, type RuleContext } from '../context.js';
import type { WifiNet } from '../observe.js';

interface Weakness {
  label: string;
  why: string;
  severity: Severity;
}

/** What is wrong with a network's protection, or null when nothing is. */
export function wifiWeakness(n: Pick<WifiNet, 'security' | 'pairwise'>): Weakness | null {
  switch (n.security) {
    case 'WEP':
      return { label: 'WEP', why: 'WEP keys are recovered from captured traffic in minutes (Fluhrer-Mantin-Shamir, PTW); IEEE 802.11-2012 deprecated it', severity: 'high' };
    case 'WPA':
      return { label: 'WPA (TKIP)', why: 'TKIP is deprecated (IEEE 802.11-2012) and the Wi-Fi Alliance no longer certifies it; its MIC is open to Beck-Tews style attacks', severity: 'high' };
    case 'open':
      return { label: 'no encryption', why: 'anyone in radio range reads and injects the traffic of its stations', severity: 'medium' };
    case 'WPA2':
      if (n.pairwise.length > 0 && n.pairwise.every((c) => c === 'TKIP')) return { label: 'WPA2 with TKIP only', why: 'TKIP is deprecated (IEEE 802.11-2012); without CCMP the network has WPA\'s weaknesses', severity: 'high' };
      return null;
    default:
      return null;
  }
}

const OPEN_FIX =
  'Keep clinical devices off open networks: give them a WPA2/WPA3-Enterprise (802.1X, EAP-TLS) SSID and VLAN of their own; an open SSID is for guests only, isolated from the hospital network and, where clients support it, with OWE (Enhanced Open) encryption.';

export function weakWifi(ctx: RuleContext): Finding[] {
  const out: Finding[] = [];
  for (const d of ctx.devices) {
    if (d.mac === null) continue;
    const nets = ctx.obs.wifi.get(d.mac);
    if (nets === undefined) continue;
    for (const n of nets) {
      const w = wifiWeakness(n);
      if (w === null) continue;
      out.push(finding(d, n, w));
    }
  }
  return out;
}

function finding(d: Device, n: WifiNet, w: Weakness): Finding {
  const name = n.ssid === '' ? 'a hidden network' : `"${n.ssid}"`;
  const ap = n.role === 'ap';
  // A medical device joining an unencrypted network exposes its clinical traffic to the ward.
  const severity: Severity = !ap && d.medical && w.severity === 'medium' ? 'high' : w.severity;
  return makeFinding('weak-wifi', d, {
    key: `${n.role}|${n.ssid}|${n.security}`,
    title: ap ? `Wi-Fi network ${name} served with ${w.label}` : `Joins Wi-Fi network ${name} protected by ${w.label}`,
    detail: `${ap ? 'The access point beacons' : 'The device asked to join'} ${name} with ${w.label}: ${w.why}.`,
    evidence: [n.evidence],
    severity,
    remediation: n.security === 'open' ? OPEN_FIX : undefined,
  });
}
