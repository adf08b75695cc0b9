// Per-flow KNXnet/IP state: every datagram's header; search and description responses (the
// device's KNX address, serial number, MAC, friendly name and service families), connect
// requests, and the cEMI frame of tunnelling requests, configuration requests and routing
// indications (source, destination, application service, and whether it is a command).
// KNX IP Secure wraps everything after the session in SECURE_WRAPPER: only the header is read.
import type { AnalyzerContext, FlowAnalyzer } from '../types.js';
import type { KnxMessageEvent } from './events.js';
import {
  COMMANDS,
  CONNECT_REQUEST,
  DESCRIPTION_RESPONSE,
  DEVICE_CONFIGURATION_REQUEST,
  HEADER_LEN,
  ROUTING_INDICATION,
  SEARCH_RESPONSE,
  SEARCH_RESPONSE_EXT,
  SERVICES,
  TUNNELLING_REQUEST,
  parseCemi,
  parseDibs,
  parseHeader,
  hpaiText,
  parseHpai,
} from './parse.js';

const HPAI_LEN = 8;
const CONNECTION_HEADER_LEN = 4;
const CONNECTION_TYPES: Readonly<Record<number, string>> = { 0x03: 'device_management', 0x04: 'tunnel', 0x06: 'remote_logging', 0x07: 'remote_configuration', 0x08: 'object_server' };

export class KnxAnalyzer implements FlowAnalyzer {
  private confirmed = false;

  data(ctx: AnalyzerContext, isOrig: boolean, buf: Uint8Array, off: number, len: number): void {
    const h = parseHeader(buf, off, len);
    if (h === null) {
      ctx.weird('knx.bad_header');
      return;
    }
    const service = SERVICES[h.service];
    if (service === undefined) {
      ctx.weird('knx.unknown_service');
      return;
    }
    if (!this.confirmed) {
      this.confirmed = true;
      ctx.confirm('knxnetip');
    }
    const ev: KnxMessageEvent = { type: 'knx.message', is_orig: isOrig, service, packet: ctx.packet.packetNo };
    const p = off + HEADER_LEN;
    const end = off + h.total;
    switch (h.service) {
      case SEARCH_RESPONSE:
      case SEARCH_RESPONSE_EXT:
      case DESCRIPTION_RESPONSE: {
        const dibs = h.service === DESCRIPTION_RESPONSE ? p : p + HPAI_LEN;
        const info = parseDibs(buf, dibs, end);
        if (info === null) ctx.weird('knx.bad_dib');
        else ev.device = info;
        break;
      }
      case CONNECT_REQUEST: {
        const hp = parseHpai(buf, p, end);
        if (hp !== null) ev.endpoint = hpaiText(hp);
        const cri = p + 2 * HPAI_LEN;
        if (cri + 2 <= end) ev.connection_type = CONNECTION_TYPES[buf[cri + 1]] ?? `0x${buf[cri + 1].toString(16)}`;
        break;
      }
      case TUNNELLING_REQUEST:
      case DEVICE_CONFIGURATION_REQUEST:
      case ROUTING_INDICATION: {
        let q = p;
        if (h.service !== ROUTING_INDICATION) {
          if (q + CONNECTION_HEADER_LEN > end || buf[q] !== CONNECTION_HEADER_LEN) {
            ctx.weird('knx.bad_connection_header');
            break;
          }
          ev.channel = buf[q + 1];
          q += CONNECTION_HEADER_LEN;
        }
        const c = parseCemi(buf, q, end);
        if (c === null) {
          ctx.weird('knx.bad_cemi');
          break;
        }
        ev.cemi = c;
        if (COMMANDS.has(c.apci ?? c.code)) ev.command = true;
        break;
      }
      default:
        if (service === 'search_request' || service === 'search_request_ext' || service === 'description_request') {
          const hp = parseHpai(buf, p, end);
          if (hp !== null) ev.endpoint = hpaiText(hp);
        }
    }
    ctx.emit(ev);
  }
}
