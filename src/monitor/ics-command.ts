// Commands to building and industrial controllers. A hospital's air handlers (operating-room
// pressure and temperature), chillers, medical gas alarms, pharmacy refrigerators and power
// transfer switches are run by controllers that take Modbus, BACnet, S7comm or DNP3 commands
// from whoever reaches them: none of these protocols authenticates the master. A controller has
// one master, or a few (the building management server, an engineering station). So:
//  - with `icsMasters` listed (CIDRs), a command from any other host;
//  - without the list, a command to a controller from a host other than the first that
//    commanded it (over the same protocol) — a second master;
//  - and, from anyone but a listed master, a command that stops or restarts the controller or
//    silences it (S7 PLC Stop, BACnet ReinitializeDevice and DeviceCommunicationControl, DNP3
//    cold/warm restart and stop application, IEC 104 reset process): critical from a second master; medium from the
//    first, one alert per master and protocol naming the controllers (maintenance restarts a
//    building's controllers in a round; rare enough to look at).
// Commands: Modbus writes (function codes 5, 6, 15, 16, 22, 23), BACnet writes and object and
// file changes, S7comm Write Variable, downloads and PLC Control, DNP3 commands (dnp3.transaction
// `command`), IEC 60870-5-104 commands in the control direction (iec104.apdu `command`, but not
// interrogations, reads, clock synchronisation, tests or the test bit; reset process stops the
// outstation). Reads, polls and identification never count. One alert per (master, controller,
// protocol) episode, counting the commands; the master is the device, the controller the peer.
import type { PacketMeta } from '../decode/packet.js';
import type { Conn } from '../flow/conn.js';
import type { AppEvent } from '../analyzers/types.js';
import type { Evidence, Severity } from '../report/model.js';
import { formatAddr, formatMac } from '../decode/packet.js';
import { NetSet } from './net.js';
import { eventEvidence, eventFile, type DetectorContext } from './view.js';
import { evictOldest } from '../util/evict.js';
import { episodeEntry } from './window.js';

const MODBUS_WRITES: Record<number, string> = {
  5: 'Write Single Coil',
  6: 'Write Single Register',
  15: 'Write Multiple Coils',
  16: 'Write Multiple Registers',
  22: 'Mask Write Register',
  23: 'Read/Write Multiple Registers',
};
const BACNET_WRITES = new Set(['write_property', 'write_property_multiple', 'atomic_write_file', 'create_object', 'delete_object', 'add_list_element', 'remove_list_element', 'write_group']);
const BACNET_DISRUPTIVE = new Set(['reinitialize_device', 'device_communication_control']);
const S7_WRITES = new Set(['Write Variable', 'Request Download', 'Download Block', 'Download Ended', 'PLC Control']);
const DNP3_DISRUPTIVE: Record<number, string> = { 13: 'Cold Restart', 14: 'Warm Restart', 18: 'Stop Application' };
/** Controllers whose first master is remembered. */
const MAX_CONTROLLERS = 16_384;

interface Command {
  proto: string;
  what: string;
  disruptive: boolean;
  master: string;
  masterMac: number;
  controller: string;
}

interface FirstMaster {
  master: string;
  evidence: Evidence;
}

export class IcsCommandDetector {
  private readonly listed: NetSet;
  private readonly hasList: boolean;
  /** `proto|controller` → the first host that commanded it */
  private readonly masters = new Map<string, FirstMaster>();
  /** `master|proto` → the controllers its open restart alert names */
  private readonly restarts = new Map<string, Set<string>>();

  constructor(private readonly ctx: DetectorContext) {
    this.listed = new NetSet(ctx.cfg.icsMasters);
    this.hasList = ctx.cfg.icsMasters.length > 0;
  }

  onEvent(ev: AppEvent, c: Conn | null, m: PacketMeta): void {
    if (c === null) return;
    const cmd = command(ev, c);
    if (cmd === null) return;
    if (this.hasList && this.listed.hasAddr(cmd.master)) return;
    const e = eventEvidence('ics-command', `${cmd.proto} ${cmd.what} from ${cmd.master} to ${cmd.controller}`, `${ev.type}`, ev, c, m, eventFile(this.ctx, ev, c, m));
    const key = `${cmd.proto}|${cmd.controller}`;
    let first = this.masters.get(key);
    if (first === undefined) {
      if (this.masters.size >= MAX_CONTROLLERS) evictOldest(this.masters);
      first = { master: cmd.master, evidence: e };
      this.masters.set(key, first);
    }
    const second = first.master !== cmd.master;
    let why: string;
    let severity: Severity;
    if (this.hasList) {
      why = `${cmd.master}, not one of the icsMasters (${this.ctx.cfg.icsMasters.join(', ')}), sent the controller ${cmd.controller} a ${cmd.proto} ${cmd.what}`;
      severity = cmd.disruptive ? 'critical' : 'high';
    } else if (second) {
      why = `${cmd.master} sent the controller ${cmd.controller} a ${cmd.proto} ${cmd.what}, and ${first.master} has been its master since packet ${first.evidence.packet} (${first.evidence.value}): a second master — an engineering laptop, or someone changing the process (setpoints, outputs, programs); ${cmd.proto} does not authenticate who commands`;
      severity = cmd.disruptive ? 'critical' : 'high';
    } else if (cmd.disruptive) {
      this.restart(cmd, e);
      return;
    } else return;
    this.ctx.book.observe({
      rule: 'ics-command',
      key: `${cmd.master}|${cmd.controller}|${cmd.proto}`,
      device: this.ctx.deviceId(cmd.master, cmd.masterMac === 0 ? null : formatMac(cmd.masterMac)),
      peer: cmd.controller,
      ts: e.ts,
      severity,
      why,
      evidence: second && !this.hasList ? [first.evidence, e] : [e],
    });
  }

  /** A controller's own master stopping or restarting it: one alert per master and protocol, naming the controllers. */
  private restart(cmd: Command, e: Evidence): void {
    const key = `${cmd.master}|${cmd.proto}|restart`;
    const set = episodeEntry(this.ctx.book.get('ics-command', key) !== undefined, this.restarts, key, MAX_CONTROLLERS, () => new Set<string>());
    if (set.size < MAX_CONTROLLERS) set.add(cmd.controller);
    const list = [...set];
    const shown = list.length > 4 ? `${list.slice(0, 4).join(', ')} and ${list.length - 4} more` : list.join(', ');
    this.ctx.book.observe({
      rule: 'ics-command',
      key,
      device: this.ctx.deviceId(cmd.master, cmd.masterMac === 0 ? null : formatMac(cmd.masterMac)),
      peer: list.length === 1 ? cmd.controller : null,
      ts: e.ts,
      severity: 'medium',
      why: `${cmd.master}, their master, sent ${list.length === 1 ? 'the controller' : `${list.length} controllers`} ${shown} a ${cmd.proto} ${cmd.what}: a controller stops, restarts or goes silent, and what it runs with it — maintenance, or a master turned against them`,
      evidence: [e],
    });
  }

  size(): number {
    return this.masters.size + this.restarts.size;
  }
}

/** A command whose master is the connection's originator (`byOrig`) or its responder. */
function sentBy(c: Conn, byOrig: boolean, disruptive: boolean, proto: string, what: string): Command {
  return byOrig
    ? { proto, what, disruptive, master: formatAddr(c.o0, c.o1, c.o2, c.o3), masterMac: c.origMac, controller: formatAddr(c.r0, c.r1, c.r2, c.r3) }
    : { proto, what, disruptive, master: formatAddr(c.r0, c.r1, c.r2, c.r3), masterMac: c.respMac, controller: formatAddr(c.o0, c.o1, c.o2, c.o3) };
}

/** The command an event carries, with its master and controller, or null (most events: nothing is made for them). */
function command(ev: AppEvent, c: Conn): Command | null {
  switch (ev.type) {
    case 'modbus.message': {
      if (ev.is_orig !== true || typeof ev.fc !== 'number') return null;
      const name = MODBUS_WRITES[ev.fc];
      return name === undefined ? null : sentBy(c, true, false, 'Modbus', `${name} (function ${ev.fc}) to unit ${String(ev.unit)}`);
    }
    case 'bacnet.message': {
      if (ev.pdu_type !== 'CONFIRMED_REQUEST' || typeof ev.service !== 'string') return null;
      const s = ev.service;
      if (!BACNET_WRITES.has(s) && !BACNET_DISRUPTIVE.has(s)) return null;
      const obj = typeof ev.object_type === 'string' ? ` of ${ev.object_type}${typeof ev.instance_number === 'number' ? ` ${ev.instance_number}` : ''}${typeof ev.property === 'string' ? ` ${ev.property}` : ''}` : '';
      return sentBy(c, ev.is_orig === true, BACNET_DISRUPTIVE.has(s), 'BACnet', `${s}${obj}`);
    }
    case 's7comm.message': {
      if (ev.is_orig !== true || ev.rosctr !== 'Job-Request' || typeof ev.function !== 'string') return null;
      if (ev.function === 'PLC Stop') return sentBy(c, true, true, 'S7comm', 'PLC Stop');
      return S7_WRITES.has(ev.function) ? sentBy(c, true, false, 'S7comm', ev.function) : null;
    }
    case 'dnp3.transaction': {
      if (ev.command !== true || typeof ev.fc_request !== 'number') return null;
      const disruptive = DNP3_DISRUPTIVE[ev.fc_request];
      const what = disruptive ?? `command (function ${ev.fc_request})${Array.isArray(ev.objects) && ev.objects.length > 0 ? ` on ${ev.objects.slice(0, 4).join(', ')}` : ''}`;
      // The outstation is the side whose responses carry IIN; unknown, the responder.
      return sentBy(c, ev.outstation !== 'orig', disruptive !== undefined, 'DNP3', what);
    }
    case 'iec104.apdu': {
      // Interrogations, read, clock synchronisation and test (C_IC, C_CI, C_RD, C_CS, C_TS: 100–104)
      // ask or keep time and change nothing; a command with the test bit is not executed.
      if (ev.command !== true || typeof ev.type_id !== 'number' || (ev.type_id >= 100 && ev.type_id <= 104) || ev.test === true) return null;
      // C_RP_NA_1 (105): reset process — the outstation restarts.
      const reset = ev.type_id === 105;
      const what = reset ? 'reset process (C_RP_NA_1)' : `command (type ${ev.type_id}${typeof ev.ioa === 'number' ? `, object ${ev.ioa}` : ''}) to station ${String(ev.asdu_addr ?? '?')}`;
      return sentBy(c, ev.is_orig === true, reset, 'IEC 104', what);
    }
    default:
      return null;
  }
}
