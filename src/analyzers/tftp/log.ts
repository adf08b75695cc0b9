// tftp.log in the field order of Zeek's spicy-tftp plugin (zeek/spicy-tftp scripts/main.zeek,
// TFTP::Info): one line per transfer, on the request's connection, with the transfer flow's uid
// as uid_data. size, block_sent and block_acked default to 0 there and are always logged.
// File contents are never logged; the options (RFC 2347) are not among Zeek's fields.
import { formatTime } from '../../report/logwriter.js';
import type { LogMapper } from '../logs.js';
import type { TftpTransferEvent } from './events.js';

export const TFTP_LOGS: Record<string, LogMapper> = {
  'tftp.transfer': (e) => {
    const t = (e as TftpTransferEvent).transfer;
    const r: Record<string, unknown> = {
      ts: Number(formatTime(t.tsSec, t.tsNsec)),
      uid: t.uid,
      'id.orig_h': t.orig_h,
      'id.orig_p': t.orig_p,
      'id.resp_h': t.resp_h,
      'id.resp_p': t.resp_p,
      wrq: t.wrq,
      fname: t.fname,
      mode: t.mode,
    };
    if (t.uid_data !== undefined) r.uid_data = t.uid_data;
    r.size = t.size;
    r.block_sent = t.block_sent;
    r.block_acked = t.block_acked;
    if (t.error_code !== undefined) r.error_code = t.error_code;
    if (t.error_msg !== undefined && t.error_msg !== '') r.error_msg = t.error_msg;
    return { log: 'tftp', record: r };
  },
};
