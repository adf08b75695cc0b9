// The monitor: every detector behind the engine's two hooks. Pass `onEvent` and `onConn` to
// Analysis (they are bound arrow functions); alerts go to `onAlert` as they are raised, updated
// and closed, and `finish()` returns them all at the end of the input. Time is network time (the
// packets' timestamps), so a replay gives the same alerts at any speed.
import type { PacketMeta } from '../decode/packet.js';
import type { Conn } from '../flow/conn.js';
import type { AppEvent } from '../analyzers/types.js';
import type { Category } from '../report/model.js';
import type { Alert } from '../report/alert.js';
import type { BaselineRow } from '../store/store.js';
import { monitorConfig, type MonitorConfig } from './config.js';
import { AlertBook, type AlertPhase } from './alerts.js';
import { NetSet } from './net.js';
import { connView, type DetectorContext } from './view.js';
import { ScanDetector } from './scan.js';
import { FloodDetector } from './flood.js';
import { WebScanDetector } from './webscan.js';
import { ExploitDetector } from './exploit.js';
import { ExploitProbeDetector } from './exploit-probe.js';
import { WormableExploitDetector } from './wormable-exploit.js';
import { DicomPolyglotDetector } from './dicom-polyglot.js';
import { BruteForceDetector } from './brute.js';
import { LateralDetector } from './lateral.js';
import { escalateRemoteExec, RemoteExecDetector } from './remoteexec.js';
import { PrinterAttackDetector } from './printer.js';
import { DicomQueryDetector } from './dicom-query.js';
import { SnmpWriteDetector } from './snmp-write.js';
import { PortMappingDetector } from './port-mapping.js';
import { LdapReconDetector } from './ldap-recon.js';
import { BeaconDetector } from './beacon.js';
import { DgaDetector } from './dga.js';
import { ExfilDetector } from './exfil.js';
import { DestNames } from './dest-names.js';
import { IcsCommandDetector } from './ics-command.js';
import { ZoneTransferDetector } from './zone-transfer.js';
import { MacCloneDetector } from './mac-clone.js';
import { GhostcatDetector } from './ghostcat.js';
import { RedisAttackDetector } from './redis.js';
import { DnsSpoofDetector } from './dnsspoof.js';
import { IntelAlerts } from './intel.js';
import { InternetExposureDetector } from './exposure.js';
import { BaselineDetector } from './baseline.js';
import { L2Detector } from './l2.js';
import { DnsTunnelDetector } from './dnstunnel.js';
import { DomainAttackDetector } from './domain.js';
import { RemoteAccessDetector } from './remote.js';
import { MiningDetector } from './mining.js';
import { P2pDetector } from './p2p.js';
import { EncryptedDnsDetector } from './encdns.js';
import { RansomwareDetector } from './ransomware.js';
import { answered, Conversations, type Conversation } from '../policy/conversations.js';

/** Network seconds between housekeeping passes (closing quiet alerts, judging waiting connections). */
const HOUSEKEEPING_SECS = 10;

export interface MonitorOptions {
  config?: Partial<MonitorConfig>;
  /** The inventory's category for a device, null while unknown (lateral movement, baselines). */
  deviceCategory?: (ip: string, mac: string | null) => Category | null;
  /** The inventory's device id for an address; default "ip:<address>". */
  deviceId?: (ip: string, mac: string | null) => string;
  /** Capture path for a file index (evidence `file`); default Analysis.paths via the caller. */
  fileName?: (fileIndex: number) => string;
  /** Receives each alert when raised ('new'), changed ('update') and when its episode ends ('close'). */
  onAlert?: (a: Alert, phase: AlertPhase) => void;
  /** Baseline rows from the store (Store.baselines()), so learning continues across runs. */
  baselines?: BaselineRow[];
  /**
   * Keep track of changed baseline rows for baselineRows(), and of the answered conversations
   * for conversationRows() (set when a store takes them: `wardline policy --db` reads them).
   */
  persistBaselines?: boolean;
}

export interface MonitorStats {
  conns: number;
  events: number;
  alerts_raised: number;
  alerts_open: number;
  alerts_evicted: number;
  scan_sources: number;
  scan_probes: number;
  flood_windows: number;
  ransomware_windows: number;
  web_scan_pairs: number;
  exploit_pairs: number;
  scan_evicted: number;
  brute_keys: number;
  baseline_devices: number;
  baseline_devices_evicted: number;
  lateral_pending: number;
  lateral_pending_dropped: number;
  arp_evicted: number;
  dns_tunnel_keys: number;
  domain_controllers: number;
  domain_pending: number;
  domain_pending_dropped: number;
}

export class Monitor {
  readonly cfg: MonitorConfig;
  readonly book: AlertBook;
  private readonly ctx: DetectorContext;
  private readonly scan: ScanDetector;
  private readonly flood: FloodDetector;
  private readonly webScan: WebScanDetector;
  private readonly exploit: ExploitDetector;
  private readonly exploitProbe: ExploitProbeDetector;
  private readonly wormable: WormableExploitDetector;
  private readonly dicomPolyglot: DicomPolyglotDetector;
  private readonly brute: BruteForceDetector;
  private readonly lateral: LateralDetector;
  private readonly baseline: BaselineDetector;
  private readonly l2: L2Detector;
  private readonly dnsTunnel: DnsTunnelDetector;
  private readonly domain: DomainAttackDetector;
  private readonly remote: RemoteAccessDetector;
  private readonly mining: MiningDetector;
  private readonly p2p: P2pDetector;
  private readonly encDns: EncryptedDnsDetector;
  private readonly ransomware: RansomwareDetector;
  private readonly remoteExec: RemoteExecDetector;
  private readonly printer: PrinterAttackDetector;
  private readonly dicomQuery: DicomQueryDetector;
  private readonly snmpWrite: SnmpWriteDetector;
  private readonly upnp: PortMappingDetector;
  private readonly ldapRecon: LdapReconDetector;
  private readonly beacon: BeaconDetector;
  private readonly dga: DgaDetector;
  private readonly exfil: ExfilDetector;
  private readonly destNames: DestNames;
  private readonly icsCommand: IcsCommandDetector;
  private readonly zoneTransfer: ZoneTransferDetector;
  private readonly macClone: MacCloneDetector;
  private readonly ghostcat: GhostcatDetector;
  private readonly redis: RedisAttackDetector;
  private readonly dnsSpoof: DnsSpoofDetector;
  private readonly intel: IntelAlerts;
  private readonly exposure: InternetExposureDetector;
  private readonly conversations: Conversations | null;
  private now = -Infinity;
  private nextHousekeeping = -Infinity;
  conns = 0;
  events = 0;

  constructor(opts: MonitorOptions = {}) {
    this.cfg = monitorConfig(opts.config);
    this.book = new AlertBook(
      { quietGapSecs: this.cfg.quietGapSecs, maxEvidence: this.cfg.maxEvidence, maxOpen: this.cfg.maxOpenAlerts, maxKept: this.cfg.maxKeptAlerts },
      opts.onAlert ?? (() => {}),
    );
    const internal = new NetSet(this.cfg.internalNets);
    const category = opts.deviceCategory ?? (() => null);
    const fileName = opts.fileName ?? ((i: number) => `capture#${i}`);
    this.ctx = {
      cfg: this.cfg,
      book: this.book,
      internal,
      deviceId: opts.deviceId ?? ((ip) => `ip:${ip}`),
      category,
      classified: opts.deviceCategory !== undefined,
      file: fileName,
    };
    this.scan = new ScanDetector(this.ctx, (vlan, ip) => this.l2.boundMac(vlan, ip));
    this.flood = new FloodDetector(this.ctx);
    this.webScan = new WebScanDetector(this.ctx);
    this.exploit = new ExploitDetector(this.ctx);
    this.exploitProbe = new ExploitProbeDetector(this.ctx);
    this.wormable = new WormableExploitDetector(this.ctx);
    this.dicomPolyglot = new DicomPolyglotDetector(this.ctx);
    this.brute = new BruteForceDetector(this.ctx);
    this.baseline = new BaselineDetector(this.ctx, opts.persistBaselines === true);
    if (opts.baselines !== undefined) this.baseline.load(opts.baselines);
    this.lateral = new LateralDetector(this.ctx, (src, dst) => this.baseline.knownPeer(src, dst, this.now));
    this.l2 = new L2Detector(this.ctx);
    this.dnsTunnel = new DnsTunnelDetector(this.ctx);
    this.domain = new DomainAttackDetector(this.ctx);
    this.remote = new RemoteAccessDetector(this.ctx);
    this.mining = new MiningDetector(this.ctx);
    this.p2p = new P2pDetector(this.ctx);
    this.encDns = new EncryptedDnsDetector(this.ctx);
    this.ransomware = new RansomwareDetector(this.ctx);
    this.remoteExec = new RemoteExecDetector(this.ctx);
    this.printer = new PrinterAttackDetector(this.ctx);
    this.dicomQuery = new DicomQueryDetector(this.ctx);
    this.snmpWrite = new SnmpWriteDetector(this.ctx);
    this.upnp = new PortMappingDetector(this.ctx);
    this.ldapRecon = new LdapReconDetector(this.ctx);
    this.destNames = new DestNames(this.ctx.internal, this.ctx.cfg.maxSources);
    this.beacon = new BeaconDetector(this.ctx, this.destNames);
    this.exfil = new ExfilDetector(this.ctx, this.destNames);
    this.dga = new DgaDetector(this.ctx);
    this.icsCommand = new IcsCommandDetector(this.ctx);
    this.zoneTransfer = new ZoneTransferDetector(this.ctx);
    this.macClone = new MacCloneDetector(this.ctx);
    this.ghostcat = new GhostcatDetector(this.ctx);
    this.redis = new RedisAttackDetector(this.ctx);
    this.dnsSpoof = new DnsSpoofDetector(this.ctx);
    this.intel = new IntelAlerts(this.ctx);
    this.exposure = new InternetExposureDetector(this.ctx);
    this.conversations = opts.persistBaselines === true ? new Conversations() : null;
  }

  readonly onEvent = (ev: AppEvent, c: Conn | null, m: PacketMeta): void => {
    this.events++;
    this.advance(m.ts);
    this.brute.onEvent(ev, c, m);
    this.scan.onEvent(ev, c, m);
    this.webScan.onEvent(ev, c, m);
    this.exploit.onEvent(ev, c, m);
    this.exploitProbe.onEvent(ev, c, m);
    this.wormable.onEvent(ev, c, m);
    this.dicomPolyglot.onEvent(ev, c, m);
    this.flood.onEvent(ev, c, m);
    this.l2.onEvent(ev, c, m);
    this.dnsTunnel.onEvent(ev, c, m);
    this.lateral.onEvent(ev, c, m);
    this.domain.onEvent(ev, c, m);
    this.remote.onEvent(ev, c, m);
    this.mining.onEvent(ev, c, m);
    this.p2p.onEvent(ev, c, m);
    this.encDns.onEvent(ev, c, m);
    this.ransomware.onEvent(ev, c, m);
    this.remoteExec.onEvent(ev, c, m);
    this.printer.onEvent(ev, c, m);
    this.dicomQuery.onEvent(ev, c, m);
    this.snmpWrite.onEvent(ev, c, m);
    this.upnp.onEvent(ev, c, m);
    this.ldapRecon.onEvent(ev, c, m);
    this.destNames.onEvent(ev, c);
    this.dga.onEvent(ev, c, m);
    this.icsCommand.onEvent(ev, c, m);
    this.zoneTransfer.onEvent(ev, c, m);
    this.macClone.onEvent(ev, c, m);
    this.ghostcat.onEvent(ev, c, m);
    this.redis.onEvent(ev, c, m);
    this.dnsSpoof.onEvent(ev, c, m);
    this.intel.onEvent(ev, c, m);
  };
  /** The engine hooks the monitor needs (AnalyzeOptions): events, connections as they start, progress and end. */
  hooks(): { onEvent: Monitor['onEvent']; onConn: Monitor['onConn']; onConnStart: Monitor['onConnStart']; onConnProgress: Monitor['onConnProgress'] } {
    return { onEvent: this.onEvent, onConn: this.onConn, onConnStart: this.onConnStart, onConnProgress: this.onConnProgress };
  }

  /** A connection's first packet: who just contacted whom (an ARP request to answer it is no sweep). */
  readonly onConnStart = (c: Conn, m: PacketMeta): void => {
    if (c.o0 === 0 && c.o1 === 0 && c.o2 === 0xffff && c.r0 === 0 && c.r1 === 0 && c.r2 === 0xffff) this.scan.contacted(c.o3, c.r3, m.ts);
  };
  /** A long connection's progress (every 1,024 packets of one side): floods from one flow, live. */
  readonly onConnProgress = (c: Conn, isOrig: boolean): void => {
    if (isOrig) this.flood.onProgress(connView(c, this.ctx.internal, this.ctx.file(c.fileIndex)));
  };

  readonly onConn = (c: Conn): void => {
    this.conns++;
    const v = connView(c, this.ctx.internal, this.ctx.file(c.fileIndex));
    this.advance(v.end);
    this.scan.onConn(v);
    this.flood.onConn(v);
    this.brute.onConn(v);
    this.lateral.onConn(v, c);
    this.domain.onConn(v);
    this.baseline.onConn(v);
    this.exposure.onConn(v, c);
    this.beacon.onConn(v);
    this.exfil.onConn(v);
    if (this.conversations !== null && answered(v.proto, v.answered, v.rPort)) {
      this.conversations.add(v.orig, v.resp, v.proto, v.rPort, v.service, v.start, `${v.file} packet ${v.packet}`, 1, v.end);
    }
  };

  private advance(ts: number): void {
    if (ts > this.now) this.now = ts;
    if (this.now >= this.nextHousekeeping) this.tick(this.now);
  }

  /** Housekeeping at network time `now` (called as time advances; call it when input is idle). */
  tick(now: number = this.now): void {
    this.nextHousekeeping = now + HOUSEKEEPING_SECS;
    this.lateral.resolve(now);
    this.lateral.expire(now);
    this.l2.resolveTrunkRequests(now, false);
    this.l2.voice.resolve(now, false);
    this.zoneTransfer.resolve(now, false);
    this.domain.resolve(now);
    this.scan.expire(now);
    this.flood.expire(now);
    this.ransomware.expire(now);
    this.webScan.expire(now);
    this.exploit.expire(now);
    this.brute.expire(now);
    this.book.expire(now);
  }

  /**
   * End of input: judges waiting connections with the final categories and closes every alert.
   * `deviceOf` re-keys alert devices once the inventory is built (analyze: "ip:10.0.0.5" becomes
   * the inventory's "mac:…" id); it must return ids it does not know unchanged. `category`
   * (analyze: the inventory's, known only now) escalates alerts whose target turned out medical.
   */
  finish(opts: { deviceOf?: (device: string) => string; category?: (ip: string, mac: string | null) => Category | null } = {}): Alert[] {
    this.lateral.resolve(this.now, true);
    this.domain.resolve(this.now, true);
    this.l2.resolveTrunkRequests(this.now, true);
    this.l2.voice.resolve(this.now, true);
    this.zoneTransfer.resolve(this.now, true);
    this.book.closeAll();
    const alerts = this.book.alerts();
    if (opts.category !== undefined) escalateRemoteExec(alerts, opts.category);
    if (opts.deviceOf !== undefined) for (const a of alerts) a.device = opts.deviceOf(a.device);
    return alerts;
  }

  /** Answered conversations since the last call, counted, for Store.putConversation. */
  conversationRows(): Conversation[] {
    return this.conversations?.take() ?? [];
  }

  /** Baseline rows changed since the last call, for Store.putBaseline. */
  baselineRows(): BaselineRow[] {
    return this.baseline.export();
  }

  stats(): MonitorStats {
    return {
      conns: this.conns,
      events: this.events,
      alerts_raised: this.book.raised,
      alerts_open: this.book.openCount(),
      alerts_evicted: this.book.evicted,
      scan_sources: this.scan.size(),
      scan_probes: this.scan.probes(),
      flood_windows: this.flood.size(),
      ransomware_windows: this.ransomware.size(),
      web_scan_pairs: this.webScan.size(),
      exploit_pairs: this.exploit.size(),
      scan_evicted: this.scan.evicted,
      brute_keys: this.brute.size(),
      baseline_devices: this.baseline.size(),
      baseline_devices_evicted: this.baseline.evicted,
      lateral_pending: this.lateral.pendingCount(),
      lateral_pending_dropped: this.lateral.droppedPending,
      arp_evicted: this.l2.evicted + this.l2.voice.evicted + this.macClone.evicted,
      dns_tunnel_keys: this.dnsTunnel.size(),
      domain_controllers: this.domain.size(),
      domain_pending: this.domain.pendingCount(),
      domain_pending_dropped: this.domain.droppedPending,
    };
  }
}
