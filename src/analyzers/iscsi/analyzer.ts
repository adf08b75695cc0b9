// Per-connection iSCSI state. Each direction is read PDU by PDU (a MessageReader): the BHS
// always, the data segment only where it says something — Login and Text keys, and the answers
// to INQUIRY and READ CAPACITY, matched to their command by Initiator Task Tag — while the
// blocks of READ and WRITE are counted and passed over unbuffered. Header and data digests count
// once the login that negotiated them is over. CHAP's challenge and response are never kept.
import { MessageReader, type MessageSink } from '../message-reader.js';
import { u32 } from '../dns/text.js';
import type { AnalyzerContext, FlowAnalyzer } from '../types.js';
import type { IscsiLun, IscsiSession } from './events.js';
import {
  BHS_LEN,
  MAX_DATA_SEGMENT,
  OP_DATA_IN,
  OP_DATA_OUT,
  OP_LOGIN_REQUEST,
  OP_LOGIN_RESPONSE,
  OP_REJECT,
  OP_SCSI_COMMAND,
  OP_SCSI_RESPONSE,
  OP_TEXT_REQUEST,
  OP_TEXT_RESPONSE,
  SA_READ_CAPACITY_16,
  SCSI_INQUIRY,
  SCSI_READ_CAPACITY_10,
  SCSI_SERVICE_ACTION_IN_16,
  dataLengthOf,
  isRead,
  isWrite,
  loginStatus,
  lunOf,
  opcodeOf,
  parseCapacity,
  parseInquiry,
  parseKeys,
  parseSerialPage,
  validBhs,
} from './parse.js';
import { evictOldest } from '../../util/evict.js';

/** Data segments read whole (keys, INQUIRY answers); longer ones are passed over. */
const MAX_KEPT = 65536;
/** Outstanding commands remembered by task tag, LUNs described, targets discovered. */
const MAX_TASKS = 256;
const MAX_LUNS = 64;
const MAX_TARGETS = 64;

/** What a remembered command asked for, so that its Data-In can be read. */
const ASK_INQUIRY = 1;
const ASK_SERIAL = 2;
const ASK_CAPACITY_10 = 3;
const ASK_CAPACITY_16 = 4;

export class IscsiAnalyzer implements FlowAnalyzer, MessageSink {
  private readonly readers: [MessageReader, MessageReader] = [new MessageReader(), new MessageReader()];
  private ctx: AnalyzerContext | null = null;
  private side = true;
  private started = false;
  private confirmed = false;
  private tsSec = 0;
  private tsNsec = 0;
  private packetNo = 0;
  private readonly rec: IscsiSession = {
    type: 'iscsi.session',
    tsSec: 0,
    tsNsec: 0,
    packet: 0,
    logged_in: false,
    targets: [],
    target_addresses: [],
    luns: [],
    commands: 0,
    reads: 0,
    writes: 0,
    bytes_read: 0,
    bytes_written: 0,
    rejects: 0,
    scsi_errors: 0,
  };
  /** Security negotiation took place (a login stage 0 PDU). */
  private security = false;
  private authOffered = '';
  /** Digests negotiated by the login, and whether they are in force (the login is over). */
  private headerDigest = false;
  private dataDigest = false;
  private digests = false;
  /** Task tag → what the command asked (ASK_*) and its LUN, for the commands whose answer is read. */
  private readonly tasks = new Map<number, number>();

  data(ctx: AnalyzerContext, isOrig: boolean, buf: Uint8Array, off: number, len: number): void {
    if (!this.started) {
      this.started = true;
      this.tsSec = ctx.packet.tsSec;
      this.tsNsec = ctx.packet.tsNsec;
      this.packetNo = ctx.packet.packetNo;
    }
    this.ctx = ctx;
    this.side = isOrig;
    this.readers[isOrig ? 0 : 1].feed(buf, off, len, this);
    this.ctx = null;
  }

  gap(_ctx: AnalyzerContext, isOrig: boolean): void {
    // PDU boundaries are lost with the bytes: this direction is not read further.
    this.readers[isOrig ? 0 : 1].stop();
  }

  readMessage(b: Uint8Array, o: number, end: number): number {
    const ctx = this.ctx!;
    if (end - o < BHS_LEN) return 0;
    if (!validBhs(b, o, this.side)) {
      ctx.weird('iscsi.bad_pdu');
      return -1;
    }
    const op = opcodeOf(b, o);
    const dataLen = dataLengthOf(b, o);
    if (dataLen > MAX_DATA_SEGMENT) {
      ctx.weird('iscsi.bad_pdu');
      return -1;
    }
    const hd = this.digests && this.headerDigest ? 4 : 0;
    const dd = this.digests && this.dataDigest && dataLen > 0 ? 4 : 0;
    const head = BHS_LEN + b[o + 4] * 4 + hd;
    const total = head + ((dataLen + 3) & ~3) + dd;
    let want = 0;
    if (op === OP_LOGIN_REQUEST || op === OP_LOGIN_RESPONSE || op === OP_TEXT_REQUEST || op === OP_TEXT_RESPONSE) want = dataLen;
    else if (op === OP_DATA_IN && this.tasks.has(u32(b, o + 16))) want = dataLen;
    if (want > MAX_KEPT) want = 0;
    if (want > 0 && end - o < head + want) return 0;
    this.pdu(ctx, b, o, op, head, want, dataLen);
    const used = Math.min(total, end - o);
    this.readers[this.side ? 0 : 1].skip = total - used;
    return used;
  }

  private pdu(ctx: AnalyzerContext, b: Uint8Array, o: number, op: number, head: number, kept: number, dataLen: number): void {
    const d = o + head;
    switch (op) {
      case OP_LOGIN_REQUEST: {
        const csg = (b[o + 1] >> 2) & 3;
        if (csg === 0) this.security = true;
        for (const [k, v] of parseKeys(b, d, kept)) {
          if (k === 'InitiatorName') this.rec.initiator_name = v;
          else if (k === 'InitiatorAlias') this.rec.initiator_alias = v;
          else if (k === 'TargetName') this.rec.target_name = v;
          else if (k === 'SessionType') this.rec.session_type = v;
          else if (k === 'AuthMethod') this.authOffered = v;
          else if (k === 'CHAP_N') this.rec.chap_user = v;
        }
        return;
      }
      case OP_LOGIN_RESPONSE: {
        const status = loginStatus(b[o + 36], b[o + 37]);
        this.rec.login_status = status;
        this.confirm(ctx);
        for (const [k, v] of parseKeys(b, d, kept)) {
          if (k === 'TargetAlias') this.rec.target_alias = v;
          else if (k === 'AuthMethod') this.rec.auth_method = v;
          else if (k === 'HeaderDigest') {
            this.rec.header_digest = v;
            this.headerDigest = v === 'CRC32C';
          } else if (k === 'DataDigest') {
            this.rec.data_digest = v;
            this.dataDigest = v === 'CRC32C';
          }
        }
        // Transit to the full feature phase (T set, NSG 3) with success: the login is over.
        if (b[o + 36] === 0 && b[o + 37] === 0 && (b[o + 1] & 0x80) !== 0 && (b[o + 1] & 3) === 3) {
          this.rec.logged_in = true;
          this.digests = true;
          // No security stage at all: nobody was asked who they were.
          if (!this.security && this.rec.auth_method === undefined) this.rec.auth_method = 'None';
        }
        return;
      }
      case OP_TEXT_RESPONSE:
        this.confirm(ctx);
        for (const [k, v] of parseKeys(b, d, kept)) {
          if (k === 'TargetName' && this.rec.targets.length < MAX_TARGETS && !this.rec.targets.includes(v)) this.rec.targets.push(v);
          else if (k === 'TargetAddress' && this.rec.target_addresses.length < MAX_TARGETS && !this.rec.target_addresses.includes(v)) this.rec.target_addresses.push(v);
        }
        return;
      case OP_SCSI_COMMAND: {
        this.rec.commands++;
        const cdb = o + 32;
        const sop = b[cdb];
        if (isRead(sop)) this.rec.reads++;
        else if (isWrite(sop)) this.rec.writes++;
        // Immediate data: written with the command.
        if ((b[o + 1] & 0x20) !== 0) this.rec.bytes_written += dataLen;
        let ask = 0;
        if (sop === SCSI_INQUIRY) ask = (b[cdb + 1] & 1) === 0 ? ASK_INQUIRY : b[cdb + 2] === 0x80 ? ASK_SERIAL : 0;
        else if (sop === SCSI_READ_CAPACITY_10) ask = ASK_CAPACITY_10;
        else if (sop === SCSI_SERVICE_ACTION_IN_16 && (b[cdb + 1] & 0x1f) === SA_READ_CAPACITY_16) ask = ASK_CAPACITY_16;
        if (ask !== 0) {
          if (this.tasks.size >= MAX_TASKS) evictOldest(this.tasks);
          this.tasks.set(u32(b, o + 16), ask | (lunOf(b, o) << 4));
        }
        return;
      }
      case OP_DATA_OUT:
        this.rec.bytes_written += dataLen;
        return;
      case OP_DATA_IN: {
        this.confirm(ctx);
        this.rec.bytes_read += dataLen;
        const itt = u32(b, o + 16);
        const t = this.tasks.get(itt);
        if (t !== undefined && kept > 0) this.answer(t & 15, t >> 4, b, d, kept);
        // The status rides on the last Data-In (S bit): the command is over.
        if ((b[o + 1] & 1) !== 0) {
          this.tasks.delete(itt);
          if (b[o + 3] !== 0) this.rec.scsi_errors++;
        }
        return;
      }
      case OP_SCSI_RESPONSE:
        this.confirm(ctx);
        this.tasks.delete(u32(b, o + 16));
        if (b[o + 2] !== 0 || b[o + 3] !== 0) this.rec.scsi_errors++;
        return;
      case OP_REJECT:
        this.rec.rejects++;
        return;
      default:
    }
  }

  /** The answer to an INQUIRY or READ CAPACITY: what the target says of the LUN. */
  private answer(ask: number, lun: number, b: Uint8Array, d: number, len: number): void {
    const l = this.lun(lun);
    if (l === null) return;
    if (ask === ASK_INQUIRY) {
      const q = parseInquiry(b, d, len);
      if (q === null) return;
      l.device_type = q.deviceType;
      if (q.vendor !== '') l.vendor = q.vendor;
      if (q.product !== '') l.product = q.product;
      if (q.revision !== '') l.revision = q.revision;
    } else if (ask === ASK_SERIAL) {
      const s = parseSerialPage(b, d, len);
      if (s !== null && s !== '') l.serial = s;
    } else {
      const c = parseCapacity(b, d, len, ask === ASK_CAPACITY_16);
      if (c !== null) l.capacity = c;
    }
  }

  private lun(n: number): IscsiLun | null {
    let l = this.rec.luns.find((x) => x.lun === n);
    if (l === undefined) {
      if (this.rec.luns.length >= MAX_LUNS) return null;
      l = { lun: n };
      this.rec.luns.push(l);
    }
    return l;
  }

  private confirm(ctx: AnalyzerContext): void {
    if (this.confirmed) return;
    this.confirmed = true;
    ctx.confirm('iscsi');
  }

  end(ctx: AnalyzerContext): void {
    if (!this.started || !this.confirmed) return;
    const r = this.rec;
    r.tsSec = this.tsSec;
    r.tsNsec = this.tsNsec;
    r.packet = this.packetNo;
    if (r.auth_method === undefined && this.authOffered !== '' && r.login_status !== undefined && r.login_status !== 'success') {
      // Refused before the target chose: the initiator's offer is all there is.
      r.auth_method = this.authOffered.split(',')[0];
    }
    r.luns.sort((a, b) => a.lun - b.lun);
    ctx.emit(r);
  }
}
