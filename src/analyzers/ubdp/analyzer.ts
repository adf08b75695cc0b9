// Per-flow UBDP state. A device broadcasts the same announcement every ten seconds or so, with
// only its uptime and counter moving, and answers each query alike: the flow's first message of
// each (version, command) from the announcing side is read in full, later ones only counted, so
// a chatty device costs a header check per datagram. Empty messages are queries. One
// ubdp.session event when the flow ends. The announcing side is the first to send TLVs; an
// announcement from the other side (two devices on one flow, rare) is counted, not read.
import type { AnalyzerContext, FlowAnalyzer } from '../types.js';
import { confirmSummary } from '../connid.js';
import type { UbdpSession } from './events.js';
import { HEADER_LEN, MAX_ADDRESSES, parseAnnouncement, parseHeader, type Announcement } from './parse.js';

/** Distinct (version, command) headers read per flow, at most. */
const MAX_READ = 8;

export class UbdpAnalyzer implements FlowAnalyzer {
  private readonly s: UbdpSession = { type: 'ubdp.session', tsSec: 0, tsNsec: 0, packet: 0, macs: [], addresses: [], announcements: 0, queries: 0, unknown_tlvs: 0 };
  private confirmed = false;
  /** (version << 8 | command) of the announcements read. */
  private readonly read: number[] = [];
  /** The first query's header, for a flow that never carries an announcement. */
  private queryVersion = -1;
  private queryCommand = -1;

  data(ctx: AnalyzerContext, isOrig: boolean, buf: Uint8Array, off: number, len: number): void {
    const h = parseHeader(buf, off, len);
    if (h === null) {
      ctx.weird('ubdp.bad_header');
      return;
    }
    const s = this.s;
    if (!this.confirmed) {
      this.confirmed = true;
      confirmSummary(ctx, s, 'ubdp');
    }
    if (HEADER_LEN + h.length < len) ctx.weird('ubdp.trailing_bytes');
    if (h.length === 0) {
      if (s.queries++ === 0) {
        this.queryVersion = h.version;
        this.queryCommand = h.command;
      }
      return;
    }
    s.announcements++;
    if (s.is_orig === undefined) {
      s.is_orig = isOrig;
      s.version = h.version;
      s.command = h.command;
    } else if (s.is_orig !== isOrig) return;
    const key = (h.version << 8) | h.command;
    if (this.read.includes(key) || this.read.length >= MAX_READ) return;
    this.read.push(key);
    const a = parseAnnouncement(buf, off + HEADER_LEN, h.length);
    if (a.truncated) ctx.weird('ubdp.truncated_tlv');
    merge(s, a);
  }

  end(ctx: AnalyzerContext): void {
    if (!this.confirmed) return;
    // A flow of queries alone still says which version was asked.
    if (this.s.version === undefined && this.queryVersion >= 0) {
      this.s.version = this.queryVersion;
      this.s.command = this.queryCommand;
    }
    ctx.emit(this.s);
    this.confirmed = false;
  }
}

/** Fills the fields `s` does not have yet from a further announcement (a v1 and a v2 answer). */
function merge(s: UbdpSession, a: Announcement): void {
  s.hostname ??= a.hostname;
  s.product ??= a.product;
  s.model ??= a.model;
  s.firmware ??= a.firmware;
  s.firmware_version ??= a.firmware_version;
  s.platform_version ??= a.platform_version;
  s.essid ??= a.essid;
  s.wireless_mode ??= a.wireless_mode;
  s.uptime ??= a.uptime;
  s.is_default ??= a.is_default;
  s.locating ??= a.locating;
  s.dhcp_client ??= a.dhcp_client;
  s.dhcp_bound ??= a.dhcp_bound;
  s.system_id ??= a.system_id;
  s.counter ??= a.counter;
  s.mgmt_port ??= a.mgmt_port;
  for (const m of a.macs) if (!s.macs.includes(m) && s.macs.length < MAX_ADDRESSES) s.macs.push(m);
  for (const ip of a.addresses) if (!s.addresses.includes(ip) && s.addresses.length < MAX_ADDRESSES) s.addresses.push(ip);
  s.unknown_tlvs += a.unknown_tlvs;
}
