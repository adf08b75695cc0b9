// Voice VLAN hopping. An access port with a voice VLAN (`switchport voice vlan 110`) accepts frames
// tagged with it from whatever is plugged in, and switches that demand a phone's CDP or LLDP-MED
// first take a spoofed one. A workstation on a phone's port that tags its own frames (VoIP
// Hopper, or `ip link add … type vlan id 110` and a DHCP client) joins the voice VLAN, where the
// call servers and every phone are, usually behind fewer filters than the data VLAN.
//
// On the wire: one MAC that is a host (it asked DHCP for an address on one of the two sides) sends
// ARP or DHCP on a voice VLAN and also off it (untagged, or on another VLAN), and never announced
// itself as a phone. A voice VLAN is one an LLDP-MED network policy names for voice or voice
// signalling, tagged (a switch tells its ports; phones echo what they were told), or a CDP
// VoIP VLAN Reply names (Cisco switches tell their phones so), or one of the configured voiceVlans. A phone announces itself (LLDP-MED endpoint class III, the LLDP telephone
// or CDP phone capability) every 30 s (LLDP) or 60 s (CDP), and some phones ask DHCP on the data
// VLAN before they know their voice VLAN: so a candidate is judged VOICE_GRACE_SECS after it
// appeared (at the monitor's housekeeping, all at the end of input). A router's one MAC on both
// VLANs (router-on-a-stick) asks no DHCP; known switch ports and network gear are left alone.
import type { PacketMeta } from '../decode/packet.js';
import type { AppEvent } from '../analyzers/types.js';
import type { Evidence } from '../report/model.js';
import { evictOldest } from '../util/evict.js';
import { eventEvidence, type DetectorContext } from './view.js';

/** How long a candidate waits for its phone announcement: a CDP interval (LLDP's is 30 s). */
export const VOICE_GRACE_SECS = 60;
const MAX_VOICE_VLANS = 64;
const MAX_PHONES = 65_536;
const MAX_PENDING = 1024;
/** VLANs a station's first frames are kept for (a host sends on one or two). */
const MAX_LINKS_PER_STATION = 4;

/** "voice vlan 110 tagged priority 5 dscp 46" (the LLDP analyzer's med_policies). */
const VOICE_POLICY = /^(voice|voice_signaling) vlan (\d+) tagged\b/;

interface StationLink {
  vlan: number;
  evidence: Evidence;
}

interface VoiceStation {
  /** The first ARP or DHCP frame per link (-1: untagged), in order. */
  links: StationLink[];
  /** It asked DHCP for an address (a host, not a router's interface). */
  dhcp: boolean;
  ip: string;
  /** judged (pending or alerted): once per MAC */
  judged: boolean;
}

interface Pending {
  mac: string;
  deadline: number;
  data: Evidence;
  voice: Evidence;
  vlan: number;
  dataVlan: number;
}

export class VoiceVlans {
  /** VLAN → the LLDP-MED policy that named it (null: configured). */
  private readonly vlans = new Map<number, Evidence | null>();
  private readonly phones = new Map<string, number>();
  private readonly stations = new Map<string, VoiceStation>();
  private readonly pending = new Map<string, Pending>();
  evicted = 0;

  constructor(
    private readonly ctx: DetectorContext,
    /** MACs known as switch ports (BPDUs, CDP/LLDP naming a switch or router). */
    private readonly switchPort: (mac: string) => boolean,
  ) {
    for (const v of ctx.cfg.voiceVlans) if (this.vlans.size < MAX_VOICE_VLANS) this.vlans.set(v, null);
  }

  /** An LLDP or CDP announcement: a phone announcing itself, a voice VLAN named. */
  neighbor(ev: AppEvent, m: PacketMeta): void {
    const mac = String(ev.mac_src).toLowerCase();
    const lldp = ev.type === 'lldp.neighbor';
    const caps = lldp ? ev.enabled_capabilities ?? ev.capabilities : ev.capabilities;
    const phone = (lldp && ev.med_class === 'endpoint_class_iii') || (Array.isArray(caps) && caps.some((c) => c === 'telephone' || c === 'voip_phone'));
    if (phone && !this.phones.has(mac)) {
      if (this.phones.size >= MAX_PHONES) evictOldest(this.phones);
      this.phones.set(mac, m.ts);
    }
    if (!lldp) {
      // A switch's CDP VoIP VLAN Reply: the voice VLAN of the port it came out of.
      if (typeof ev.voice_vlan === 'number') {
        const name = typeof ev.device_id === 'string' && ev.device_id !== '' ? ` ("${ev.device_id}")` : '';
        this.learn(ev.voice_vlan, () => eventEvidence('voice-vlan', `CDP from ${mac}${name}: VoIP VLAN Reply, voice VLAN ${String(ev.voice_vlan)}`, 'cdp.voice_vlan', ev, null, m, this.ctx.file(m.fileIndex)));
      }
      return;
    }
    if (!Array.isArray(ev.med_policies)) return;
    for (const p of ev.med_policies) {
      const x = typeof p === 'string' ? VOICE_POLICY.exec(p) : null;
      if (x === null) continue;
      const who = phone ? 'a phone' : typeof ev.system_name === 'string' && ev.system_name !== '' ? `"${ev.system_name}"` : 'a neighbor';
      this.learn(Number(x[2]), () => eventEvidence('voice-vlan', `LLDP-MED network policy from ${mac} (${who}): ${p}`, 'lldp.med_policies', ev, null, m, this.ctx.file(m.fileIndex)));
    }
  }

  /** A voice VLAN named on the wire (its first naming is the evidence); stations seen on it before are judged now. */
  private learn(vlan: number, evidence: () => Evidence): void {
    if (vlan < 1 || vlan > 4094 || this.vlans.has(vlan) || this.vlans.size >= MAX_VOICE_VLANS) return;
    this.vlans.set(vlan, evidence());
    for (const [s, st] of this.stations) if (st.links.length > 1 && !st.judged) this.check(s, st);
  }

  /** An ARP or DHCP client frame from `mac` (its own source) on link `vlan`. */
  frame(mac: string, vlan: number, ip: string, dhcp: boolean, evidence: () => Evidence): void {
    let st = this.stations.get(mac);
    if (st === undefined) {
      if (this.stations.size >= this.ctx.cfg.maxArpEntries) {
        evictOldest(this.stations);
        this.evicted++;
      }
      st = { links: [], dhcp: false, ip: '', judged: false };
      this.stations.set(mac, st);
    }
    if (st.judged) return;
    if (ip !== '' && ip !== '0.0.0.0' && st.ip === '') st.ip = ip;
    let added = false;
    if (!st.links.some((l) => l.vlan === vlan) && st.links.length < MAX_LINKS_PER_STATION) {
      st.links.push({ vlan, evidence: evidence() });
      added = true;
    }
    if (dhcp && !st.dhcp) {
      st.dhcp = true;
      added = true;
    }
    if (added && st.links.length > 1) this.check(mac, st);
  }

  private check(mac: string, st: VoiceStation): void {
    if (!st.dhcp || this.vlans.size === 0) return;
    const voice = st.links.find((l) => this.vlans.has(l.vlan));
    const data = st.links.find((l) => !this.vlans.has(l.vlan));
    if (voice === undefined || data === undefined) return;
    st.judged = true;
    if (this.pending.size >= MAX_PENDING) {
      this.evicted++;
      return;
    }
    this.pending.set(mac, { mac, deadline: Math.max(voice.evidence.ts, data.evidence.ts) + VOICE_GRACE_SECS, data: data.evidence, voice: voice.evidence, vlan: voice.vlan, dataVlan: data.vlan });
  }

  /**
   * Candidates whose grace has passed (all of them at the end of input): raised unless the MAC
   * announced itself as a phone, is a switch port, or the inventory knows it as a phone or network
   * gear. The alert is dated by its evidence, not by when this runs.
   */
  resolve(now: number, all: boolean): void {
    for (const [mac, p] of this.pending) {
      if (!all && p.deadline > now) continue;
      this.pending.delete(mac);
      if (this.phones.has(mac) || this.switchPort(mac)) continue;
      const ip = this.stations.get(mac)?.ip ?? '';
      const cat = this.ctx.category(ip, mac);
      if (cat === 'phone' || cat === 'network') continue;
      const named = this.vlans.get(p.vlan) ?? null;
      const why =
        `${mac} sent on voice VLAN ${p.vlan} (${p.voice.value}) and also ${p.dataVlan >= 0 ? `on VLAN ${p.dataVlan}` : 'untagged'} (${p.data.value}), asked DHCP for an address, ` +
        `and never announced itself as a phone (no LLDP-MED endpoint class III, LLDP telephone or CDP phone capability) within ${VOICE_GRACE_SECS} s, nor is it known as one: ` +
        `a host on a phone's port joining the voice VLAN by tagging its own frames (voice VLAN hopping, as VoIP Hopper does, or \`ip link add … type vlan id ${p.vlan}\` and a DHCP client), ` +
        `where the call servers and every phone are, usually behind fewer filters than the data VLAN. ` +
        (named !== null ? `VLAN ${p.vlan} is the voice VLAN by the ${named.source === 'cdp.voice_vlan' ? 'CDP VoIP VLAN Reply' : 'LLDP-MED network policy'} at packet ${named.packet}` : `VLAN ${p.vlan} is one of the configured voiceVlans`);
      const evidence = [p.data, p.voice];
      if (named !== null) evidence.unshift(named);
      this.ctx.book.observe({
        rule: 'voice-vlan-hopping',
        key: mac,
        device: `mac:${mac}`,
        peer: null,
        ts: Math.max(p.data.ts, p.voice.ts),
        why,
        evidence: evidence.sort((a, b) => a.ts - b.ts),
      });
    }
  }
}
