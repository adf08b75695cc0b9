// Per-flow C37.118 state: frames cut from each direction's TCP stream by FRAMESIZE (or taken
// whole from UDP datagrams), each checked against its CHK; commands, configuration, header text
// and counts gathered into one synchrophasor.session event when the flow ends.
import type { AnalyzerContext, FlowAnalyzer } from '../types.js';
import { confirmSummary } from '../connid.js';
import { FRAME_BAD, FRAME_NEED_MORE, PduFlowAnalyzer } from '../framing.js';
import { escapeBytes } from '../l2text.js';
import type { SynchrophasorSession } from './events.js';
import { HEADER_LEN, MAX_FRAME, checksumOk, commandOf, parseConfig, parseHeader } from './parse.js';

const MAX_LIST = 16;
const MAX_STATIONS = 64;
const MAX_HEADER_TEXT = 256;
/** Bad checksums reported on a flow before its first good frame; past them it is ignored. */
const MAX_BAD_UNCONFIRMED = 8;

function addOnce<T>(list: T[], v: T, max = MAX_LIST): void {
  if (list.length < max && !list.includes(v)) list.push(v);
}

export class SynchrophasorAnalyzer extends PduFlowAnalyzer implements FlowAnalyzer {
  private readonly s: SynchrophasorSession = {
    type: 'synchrophasor.session',
    tsSec: 0,
    tsNsec: 0,
    packet: 0,
    versions: [],
    idcodes: [],
    frame_types: [],
    commands: [],
    stations: [],
    pmu_idcodes: [],
    data_frames: 0,
    frames: 0,
    bad_checksums: 0,
  };
  private confirmed = false;

  constructor() {
    super(MAX_FRAME, 'synchrophasor.bad_frame');
  }

  /** A datagram carries whole frames, one after another. */
  protected override datagram(buf: Uint8Array, off: number, len: number): void {
    let p = off;
    const end = off + len;
    while (end - p >= HEADER_LEN) {
      const h = parseHeader(buf, p, end - p);
      if (h === null || h.size > end - p) {
        this.ctx!.weird('synchrophasor.bad_frame');
        return;
      }
      this.pdu(buf, p, h.size);
      p += h.size;
    }
  }

  frameLength(buf: Uint8Array, off: number, len: number): number {
    if (len < 4) return FRAME_NEED_MORE;
    const h = parseHeader(buf, off, len);
    return h === null ? FRAME_BAD : h.size;
  }

  pdu(buf: Uint8Array, off: number, size: number): void {
    const ctx = this.ctx!;
    const s = this.s;
    const h = parseHeader(buf, off, size);
    if (h === null || size < HEADER_LEN + 2) return;
    if (!checksumOk(buf, off, size)) {
      // A flow that never had a good frame is not C37.118 after all: say so a few times, then stop.
      if (!this.confirmed && s.bad_checksums >= MAX_BAD_UNCONFIRMED) return;
      s.bad_checksums++;
      ctx.weird('synchrophasor.bad_checksum');
      return;
    }
    if (!this.confirmed) {
      this.confirmed = true;
      confirmSummary(ctx, s, 'synchrophasor');
    }
    s.frames++;
    addOnce(s.versions, h.version);
    addOnce(s.idcodes, h.idcode);
    addOnce(s.frame_types, h.type);
    switch (h.type) {
      case 'command': {
        const cmd = commandOf(buf, off, size);
        if (cmd >= 0) addOnce(s.commands, cmd);
        break;
      }
      case 'data':
        s.data_frames++;
        s.source ??= this.isOrig ? 'orig' : 'resp';
        break;
      case 'header':
        s.header ??= escapeBytes(buf, off + HEADER_LEN, off + Math.min(size - 2, HEADER_LEN + MAX_HEADER_TEXT)).trim();
        break;
      default: {
        const cfg = parseConfig(buf, off, size, h.type === 'cfg3');
        if (cfg === null) {
          ctx.weird('synchrophasor.bad_config');
          break;
        }
        s.source ??= this.isOrig ? 'orig' : 'resp';
        s.num_pmu = cfg.pmus.length;
        s.time_base = cfg.timeBase;
        s.data_rate = cfg.dataRate;
        let ph = 0;
        let an = 0;
        let dg = 0;
        for (const b of cfg.pmus) {
          addOnce(s.stations, b.station, MAX_STATIONS);
          addOnce(s.pmu_idcodes, b.idcode, MAX_STATIONS);
          ph += b.phasors;
          an += b.analogs;
          dg += b.digitals;
        }
        s.phasors = ph;
        s.analogs = an;
        s.digitals = dg;
        if (cfg.pmus.length > 0) s.nominal_freq = cfg.pmus[0].fnom;
      }
    }
  }

  end(ctx: AnalyzerContext): void {
    if (!this.confirmed) return;
    ctx.emit(this.s);
    this.confirmed = false;
  }
}
