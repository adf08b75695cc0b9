// A device's MAC used by another system. MAC authentication (MAB), DHCP reservations and the
// firewall rules written for a device's address all trust its MAC, and a MAC is one command to
// copy: an attacker unplugs a pump gateway or a printer and plugs in a laptop that says it is
// that device. The laptop's operating system gives it away: its DHCP client asks for a different
// parameter request list (option 55, in a different order) and sends a different vendor class
// (option 60) than the device did — the fingerprint the inventory classifies devices by. So a MAC
// whose DHCP client message of one type (DISCOVER, REQUEST, INFORM: clients vary between types)
// changes its option 55 list or its vendor class is judged: high when the inventory knows the
// device as medical or IoT (the usual targets: they cannot do 802.1X), medium otherwise. A
// network boot ROM (vendor class PXEClient) before the operating system is not a change.
// One alert per MAC episode, citing the first fingerprint and the changed one.
import type { PacketMeta } from '../decode/packet.js';
import type { Conn } from '../flow/conn.js';
import type { AppEvent } from '../analyzers/types.js';
import type { Evidence, Severity } from '../report/model.js';
import { IOT_CATEGORIES, MEDICAL_CATEGORIES } from '../report/model.js';
import { formatMac } from '../decode/packet.js';
import { eventEvidence, eventFile, type DetectorContext } from './view.js';
import { evictOldest } from '../util/evict.js';

const CLIENT_TYPES = new Set(['DISCOVER', 'REQUEST', 'INFORM']);
/** Message types a MAC's fingerprints are kept for. */
const MAX_TYPES = 3;

interface Fingerprint {
  type: string;
  prl: string;
  vendor: string;
  evidence: Evidence;
}

export class MacCloneDetector {
  /** MAC → its first fingerprint per client message type */
  private readonly macs = new Map<string, Fingerprint[]>();
  evicted = 0;

  constructor(private readonly ctx: DetectorContext) {}

  onEvent(ev: AppEvent, c: Conn | null, m: PacketMeta): void {
    if (ev.type !== 'dhcp.message' || ev.from_client !== true || c === null) return;
    const type = String(ev.msg_type);
    if (!CLIENT_TYPES.has(type) || typeof ev.param_list !== 'string' || ev.param_list === '') return;
    // A relay's copy comes from the relay's MAC; only the client's own frame says who sent it.
    if (typeof ev.giaddr === 'string' && ev.giaddr !== '' && ev.giaddr !== '0.0.0.0') return;
    const mac = String(ev.mac ?? '').toLowerCase();
    if (mac === '' || m.srcMac === 0 || formatMac(m.srcMac) !== mac) return;
    const vendor = typeof ev.vendor_class === 'string' ? ev.vendor_class : '';
    if (vendor.startsWith('PXEClient')) return;
    const what = (): Evidence => eventEvidence('dhcp-fingerprint', `DHCP ${type} from ${mac}: option 55 ${ev.param_list}${vendor !== '' ? `, vendor class "${vendor}"` : ', no vendor class'}${typeof ev.host_name === 'string' ? `, host name "${ev.host_name}"` : ''}`, 'dhcp.param_list', ev, c, m, eventFile(this.ctx, ev, c, m));
    let fps = this.macs.get(mac);
    if (fps === undefined) {
      if (this.macs.size >= this.ctx.cfg.maxArpEntries) {
        evictOldest(this.macs);
        this.evicted++;
      }
      fps = [];
      this.macs.set(mac, fps);
    }
    const first = fps.find((f) => f.type === type);
    if (first === undefined) {
      if (fps.length < MAX_TYPES) fps.push({ type, prl: ev.param_list, vendor, evidence: what() });
      return;
    }
    if (first.prl === ev.param_list && first.vendor === vendor) return;
    const ip = typeof ev.requested_addr === 'string' ? ev.requested_addr : typeof ev.ciaddr === 'string' && ev.ciaddr !== '0.0.0.0' ? ev.ciaddr : '';
    const cat = this.ctx.category(ip, mac);
    const target = cat !== null && (MEDICAL_CATEGORIES.has(cat) || IOT_CATEGORIES.has(cat));
    const severity: Severity = target ? 'high' : 'medium';
    const changes: string[] = [];
    if (first.prl !== ev.param_list) changes.push(`option 55 ${first.prl} → ${ev.param_list}`);
    if (first.vendor !== vendor) changes.push(`vendor class ${first.vendor !== '' ? `"${first.vendor}"` : 'none'} → ${vendor !== '' ? `"${vendor}"` : 'none'}`);
    this.ctx.book.observe({
      rule: 'mac-clone',
      key: mac,
      device: `mac:${mac}`,
      peer: null,
      ts: m.ts,
      severity,
      why: `${mac}${target ? ` (a ${cat!.replace(/_/g, ' ')} device)` : ''} asked DHCP (${type}) with another client's fingerprint than before: ${changes.join('; ')} — another operating system now uses this MAC: the MAC cloned (to pass MAC authentication, take the device's address and the firewall rules written for it), or the device reinstalled or replaced with its MAC kept`,
      evidence: [first.evidence, what()],
    });
  }

  size(): number {
    return this.macs.size;
  }
}
