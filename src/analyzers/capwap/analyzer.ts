// Per-flow CAPWAP control state: each datagram's header; clear-text control messages walked
// element by element (bounded), the access point's identity (name, location, board data,
// hardware/software/boot versions) and the controller's (name, versions, capacity, security
// and data-channel policy) kept with the side that sent them; DTLS datagrams only counted.
// One capwap.session event when the flow ends.
import type { AnalyzerContext, FlowAnalyzer } from '../types.js';
import { confirmSummary } from '../connid.js';
import type { CapwapSession } from './events.js';
import {
  DISCOVERY_TYPES,
  EL_AC_DESCRIPTOR,
  EL_AC_NAME,
  EL_AC_NAME_PRIORITY,
  EL_DISCOVERY_TYPE,
  EL_LOCATION_DATA,
  EL_RESULT_CODE,
  EL_VENDOR_SPECIFIC,
  EL_WTP_BOARD_DATA,
  EL_WTP_DESCRIPTOR,
  EL_WTP_MAC_TYPE,
  EL_WTP_NAME,
  MAC_TYPES,
  fieldText,
  isDtlsDatagram,
  messageName,
  parseAcDescriptor,
  parseBoardData,
  parseCapwapHeader,
  parseControlHeader,
  parseWtpDescriptor,
  vendorName,
  type VersionInfo,
} from './parse.js';

const MAX_MESSAGES = 16;
const MAX_ELEMENTS = 64;
/** Responses that carry the controller's name (discovery, primary discovery, join). */
const AC_NAME_MESSAGES = new Set([2, 4, 20]);
/** Cisco's vendor-specific element with the access point's name (its default is AP<MAC>). */
const CISCO_VENDOR = 0x00409600;
const CISCO_AP_NAME = 5;
/** WTP Descriptor sub-element types (§4.6.40). */
const WTP_HARDWARE = 0;
const WTP_SOFTWARE = 1;
const WTP_BOOT = 2;
/** AC Information types (§4.6.1: 4 hardware, 5 software; Cisco's draft-8 form: 0 and 1). */
const AC_HARDWARE = new Set([0, 4]);
const AC_SOFTWARE = new Set([1, 5]);

export class CapwapAnalyzer implements FlowAnalyzer {
  private readonly s: CapwapSession = { type: 'capwap.session', tsSec: 0, tsNsec: 0, packet: 0, messages: [], control: 0, dtls: 0 };
  private confirmed = false;

  data(ctx: AnalyzerContext, isOrig: boolean, buf: Uint8Array, off: number, len: number): void {
    if (isDtlsDatagram(buf, off, len)) {
      this.confirm(ctx);
      this.s.dtls++;
      return;
    }
    const h = parseCapwapHeader(buf, off, len);
    const c = h === null ? null : parseControlHeader(buf, h.body, off + len);
    if (c === null) {
      ctx.weird('capwap.bad_header');
      return;
    }
    this.confirm(ctx);
    const s = this.s;
    s.control++;
    const name = messageName(c);
    if (s.messages.length < MAX_MESSAGES && !s.messages.includes(name)) s.messages.push(name);
    const standard = c.enterprise === 0;
    let p = c.elements;
    for (let i = 0; i < MAX_ELEMENTS && c.end - p >= 4; i++) {
      const type = (buf[p] << 8) | buf[p + 1];
      const n = (buf[p + 2] << 8) | buf[p + 3];
      const q = p + 4;
      if (c.end - q < n) {
        ctx.weird('capwap.truncated_element');
        return;
      }
      if (standard) this.element(isOrig, c.type, type, buf, q, q + n);
      p = q + n;
    }
  }

  private element(isOrig: boolean, msg: number, type: number, b: Uint8Array, p: number, end: number): void {
    const s = this.s;
    const n = end - p;
    switch (type) {
      case EL_WTP_DESCRIPTOR: {
        const d = parseWtpDescriptor(b, p, end);
        if (d === null) return;
        this.wtp(isOrig);
        s.wtp_radios = d.maxRadios;
        for (const v of d.versions) this.wtpVersion(v);
        return;
      }
      case EL_WTP_BOARD_DATA: {
        const d = parseBoardData(b, p, end);
        if (d === null) return;
        this.wtp(isOrig);
        s.wtp_vendor ??= vendorName(d.vendor);
        if (d.model !== undefined) s.wtp_model = d.model;
        if (d.serial !== undefined) s.wtp_serial = d.serial;
        if (d.boardId !== undefined) s.wtp_board_id = d.boardId;
        if (d.boardRevision !== undefined) s.wtp_board_revision = d.boardRevision;
        if (d.baseMac !== undefined) s.wtp_base_mac = d.baseMac;
        return;
      }
      case EL_WTP_NAME:
        if (n === 0) return;
        this.wtp(isOrig);
        s.wtp_name = fieldText(b, p, n);
        return;
      case EL_LOCATION_DATA:
        if (n === 0) return;
        this.wtp(isOrig);
        s.wtp_location = fieldText(b, p, n);
        return;
      case EL_DISCOVERY_TYPE:
        if (n !== 1) return;
        this.wtp(isOrig);
        s.discovery_type = DISCOVERY_TYPES[b[p]] ?? String(b[p]);
        return;
      case EL_WTP_MAC_TYPE:
        if (n !== 1) return;
        this.wtp(isOrig);
        s.wtp_mac_type = MAC_TYPES[b[p]] ?? String(b[p]);
        return;
      case EL_AC_DESCRIPTOR: {
        const d = parseAcDescriptor(b, p, end);
        if (d === null) return;
        this.ac(isOrig);
        s.ac_stations = d.stations;
        s.ac_station_limit = d.stationLimit;
        s.ac_wtps = d.activeWtps;
        s.ac_max_wtps = d.maxWtps;
        const sec: string[] = [];
        if ((d.security & 0x04) !== 0) sec.push('psk');
        if ((d.security & 0x02) !== 0) sec.push('x509');
        s.ac_security = sec;
        const data: string[] = [];
        if ((d.dtlsPolicy & 0x04) !== 0) data.push('dtls');
        if ((d.dtlsPolicy & 0x02) !== 0) data.push('clear');
        s.data_channel = data;
        for (const v of d.info) this.acVersion(v);
        return;
      }
      case EL_AC_NAME:
      case EL_AC_NAME_PRIORITY: {
        const q = type === EL_AC_NAME_PRIORITY ? p + 1 : p;
        if (!AC_NAME_MESSAGES.has(msg) || end - q <= 0) return;
        this.ac(isOrig);
        s.ac_name = fieldText(b, q, end - q);
        return;
      }
      case EL_RESULT_CODE:
        if (n === 4) s.result_code = ((b[p] << 24) | (b[p + 1] << 16) | (b[p + 2] << 8) | b[p + 3]) >>> 0;
        return;
      case EL_VENDOR_SPECIFIC: {
        if (n < 7 || msg % 2 !== 1) return;
        const vendor = ((b[p] << 24) | (b[p + 1] << 16) | (b[p + 2] << 8) | b[p + 3]) >>> 0;
        const id = (b[p + 4] << 8) | b[p + 5];
        if (vendor === CISCO_VENDOR && id === CISCO_AP_NAME) {
          this.wtp(isOrig);
          s.wtp_vendor ??= vendorName(vendor);
          s.wtp_name ??= fieldText(b, p + 6, n - 6);
        }
        return;
      }
      default:
    }
  }

  private wtpVersion(v: VersionInfo): void {
    const s = this.s;
    s.wtp_vendor ??= vendorName(v.vendor);
    if (v.type === WTP_HARDWARE) s.wtp_hardware = v.value;
    else if (v.type === WTP_SOFTWARE) s.wtp_software = v.value;
    else if (v.type === WTP_BOOT) s.wtp_boot = v.value;
  }

  private acVersion(v: VersionInfo): void {
    const s = this.s;
    s.ac_vendor ??= vendorName(v.vendor);
    if (AC_HARDWARE.has(v.type)) s.ac_hardware = v.value;
    else if (AC_SOFTWARE.has(v.type)) s.ac_software = v.value;
  }

  private wtp(isOrig: boolean): void {
    this.s.wtp_orig ??= isOrig;
  }

  private ac(isOrig: boolean): void {
    this.s.ac_orig ??= isOrig;
  }

  private confirm(ctx: AnalyzerContext): void {
    if (this.confirmed) return;
    this.confirmed = true;
    confirmSummary(ctx, this.s, 'capwap');
  }

  end(ctx: AnalyzerContext): void {
    if (!this.confirmed) return;
    ctx.emit(this.s);
    this.confirmed = false;
  }
}
