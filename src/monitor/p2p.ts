// Peer-to-peer file sharing as it starts: an internal host shakes hands with a BitTorrent peer
// (TCP or uTP), sends a DHT message, announces a torrent on the local network (LSD) or to a
// tracker over UDP or HTTP. One alert per host, dated by the first sign; medium, high when the
// inventory calls the host a medical or IoT device. The assessment reports the same as the
// p2p-file-sharing finding, so in analyze this detector is off (postureAlerts), as the mining
// and remote-access ones are.
import type { PacketMeta } from '../decode/packet.js';
import type { Conn } from '../flow/conn.js';
import type { AppEvent } from '../analyzers/types.js';
import { formatMac } from '../decode/packet.js';
import { httpAnnounce } from '../analyzers/bittorrent/tracker.js';
import { origHost } from '../analyzers/connid.js';
import { eventEvidence, eventFile, type DetectorContext } from './view.js';
import { isMedIot } from './lateral.js';

export class P2pDetector {
  constructor(private readonly ctx: DetectorContext) {}

  onEvent(ev: AppEvent, c: Conn | null, m: PacketMeta): void {
    if (c === null || !this.ctx.cfg.postureAlerts) return;
    if (ev.type === 'bittorrent.peer') {
      const orig = ev.is_orig === true;
      if (orig ? !this.ctx.internal.has(c.o0, c.o1, c.o2, c.o3) : !this.ctx.internal.has(c.r0, c.r1, c.r2, c.r3)) return;
      const t = String(ev.transport);
      const how = t === 'lsd' ? 'announced a torrent on the local network (LSD)' : t === 'dht' ? `sent a DHT message to ${String(ev.peer)}` : t === 'udp-tracker' ? `asked the UDP tracker ${String(ev.peer)} for peers` : `shook hands with the peer ${String(ev.peer)} over ${t === 'utp' ? 'uTP' : 'TCP'}`;
      this.alert(String(ev.host), orig ? c.origMac : c.respMac, String(ev.peer), how, typeof ev.info_hash === 'string' ? ev.info_hash : null, typeof ev.client === 'string' ? ev.client : null, 'bittorrent.peer', ev, c, m);
      return;
    }
    if (ev.type !== 'http.transaction' || typeof ev.uri !== 'string' || !ev.uri.includes('_hash=')) return;
    if (!this.ctx.internal.has(c.o0, c.o1, c.o2, c.o3)) return;
    const ann = httpAnnounce(ev.uri);
    if (ann === null) return;
    const tracker = typeof ev.host === 'string' ? ev.host : '';
    this.alert(origHost(c), c.origMac, tracker, `announced a torrent to the tracker ${tracker}`, ann.infoHash, ann.client, 'http.uri', ev, c, m);
  }

  private alert(ip: string, macNum: number, peer: string, how: string, infoHash: string | null, client: string | null, source: string, ev: AppEvent, c: Conn, m: PacketMeta): void {
    const mac = macNum === 0 ? null : formatMac(macNum);
    const category = this.ctx.category(ip, mac);
    const sensitive = isMedIot(category);
    const what = `${how}${infoHash !== null ? `, torrent ${infoHash}` : ''}${client !== null ? `, ${client}` : ''}`;
    const e = eventEvidence('p2p-file-sharing', `BitTorrent: ${what}`, source, ev, c, m, eventFile(this.ctx, ev, c, m));
    this.ctx.book.observe({
      rule: 'p2p-file-sharing',
      key: `${ip}|bittorrent`,
      device: this.ctx.deviceId(ip, mac),
      peer,
      ts: e.ts,
      severity: sensitive ? 'high' : undefined,
      why: `${ip} runs a BitTorrent client: it ${what}. File sharing uploads what the host holds to strangers and downloads files from anyone${sensitive ? ` (a ${category!.replace(/_/g, ' ')} has no reason to run one)` : ''}`,
      evidence: [e],
    });
  }
}
