// Crypto-currency mining as it starts: a host logs in to a mining pool over Stratum (or, caught
// mid-way, submits a share or takes a job; stratum.mining). One alert per host and pool; critical
// when the host is a medical or IoT device. A host whose Bitcoin node connects out to a peer
// (bitcoin.version it sent as the originator) raises one alert per host and network: medium,
// high on a medical or IoT device. The assessment reports the same as the cryptomining
// finding, so in analyze this detector is off (postureAlerts), as the remote-access one is.
import type { PacketMeta } from '../decode/packet.js';
import type { Conn } from '../flow/conn.js';
import type { AppEvent } from '../analyzers/types.js';
import { formatMac } from '../decode/packet.js';
import { eventEvidence, eventFile, type DetectorContext } from './view.js';
import { isMedIot } from './lateral.js';

export class MiningDetector {
  constructor(private readonly ctx: DetectorContext) {}

  onEvent(ev: AppEvent, c: Conn | null, m: PacketMeta): void {
    if (c === null || !this.ctx.cfg.postureAlerts) return;
    if (ev.type === 'bitcoin.version' && ev.is_orig === true) {
      this.node(ev, c, m);
      return;
    }
    if (ev.type !== 'stratum.mining') return;
    const ip = String(ev.miner);
    const pool = `${String(ev.pool)}:${String(ev.pool_p)}`;
    const agent = typeof ev.agent === 'string' && ev.agent !== '' ? ev.agent : '';
    const poolHost = typeof ev.pool_host === 'string' && ev.pool_host !== '' ? ev.pool_host : '';
    const mac = c.origMac === 0 ? null : formatMac(c.origMac);
    const category = this.ctx.category(ip, mac);
    const sensitive = isMedIot(category);
    const what = `${String(ev.method)} to ${pool}${poolHost !== '' ? ` (${poolHost})` : ''}${agent !== '' ? ` by ${agent}` : ''}`;
    const e = eventEvidence('cryptomining', what, `stratum.${String(ev.method)}`, ev, c, m, eventFile(this.ctx, ev, c, m));
    this.ctx.book.observe({
      rule: 'cryptomining',
      key: `${ip}|${pool}`,
      device: this.ctx.deviceId(ip, mac),
      peer: String(ev.pool),
      ts: e.ts,
      severity: sensitive ? 'critical' : undefined,
      why: `${ip} mines crypto-currency: ${what}. A miner on a hospital host means it was compromised or is misused${sensitive ? ` (a ${category!.replace(/_/g, ' ')}: its CPU is its clinical function's)` : ''}`,
      evidence: [e],
    });
  }

  private node(ev: AppEvent, c: Conn, m: PacketMeta): void {
    const ip = String(ev.node);
    const network = String(ev.network);
    const mac = c.origMac === 0 ? null : formatMac(c.origMac);
    const category = this.ctx.category(ip, mac);
    const sensitive = isMedIot(category);
    const agent = typeof ev.user_agent === 'string' && ev.user_agent !== '' ? `, ${ev.user_agent.replace(/^\/|\/$/g, '')}` : '';
    const what = `version message (protocol ${String(ev.version)}${agent}) to ${String(ev.peer)}:${c.rPort} on the Bitcoin ${network} network`;
    const e = eventEvidence('cryptocurrency-node', what, 'bitcoin.version', ev, c, m, eventFile(this.ctx, ev, c, m));
    this.ctx.book.observe({
      rule: 'cryptomining',
      key: `${ip}|bitcoin|${network}`,
      device: this.ctx.deviceId(ip, mac),
      peer: String(ev.peer),
      ts: e.ts,
      severity: sensitive ? 'high' : 'medium',
      why: `${ip} runs a Bitcoin node: ${what}. Unsanctioned software trading with Internet peers, and often a miner's companion`,
      evidence: [e],
    });
  }
}
