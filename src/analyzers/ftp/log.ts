// ftp.log in Zeek's field order (base/protocols/ftp/main.zeek) from ftp.command events. Zeek
// logs only its `logged_commands`; wardline logs those plus the login (USER, PASS) and AUTH, so
// a cleartext login and its outcome appear in the log. `password` is "<redacted>" whenever one
// was sent (Zeek logs anonymous passwords in clear, and others as "<hidden>"). `mime_type` and
// `fuid` name the file the transfer command's data connection carried (files.log).
import { connHeader } from '../connid.js';
import type { LogMapper } from '../logs.js';
import { REDACTED } from '../secret.js';
import type { FtpCommandEvent } from './events.js';

/** Zeek's default FTP::logged_commands. */
export const ZEEK_LOGGED_COMMANDS = ['APPE', 'DELE', 'RETR', 'STOR', 'STOU', 'ACCT', 'PORT', 'PASV', 'EPRT', 'EPSV'];
export const LOGGED_COMMANDS = new Set([...ZEEK_LOGGED_COMMANDS, 'USER', 'PASS', 'AUTH']);

export const FTP_LOGS: Record<string, LogMapper> = {
  'ftp.command': (e, c) => {
    const ev = e as FtpCommandEvent;
    if (c === null || !LOGGED_COMMANDS.has(ev.command)) return null;
    const r = connHeader(c, ev.tsSec, ev.tsNsec);
    r.user = ev.user;
    if (ev.password_sent) r.password = REDACTED;
    r.command = ev.command;
    if (ev.arg !== undefined) r.arg = ev.arg;
    if (ev.mime_type !== undefined) r.mime_type = ev.mime_type;
    if (ev.file_size !== undefined) r.file_size = ev.file_size;
    if (ev.reply_code !== undefined) r.reply_code = ev.reply_code;
    if (ev.reply_msg !== undefined) r.reply_msg = ev.reply_msg;
    const d = ev.data_channel;
    if (d !== undefined) {
      r['data_channel.passive'] = d.passive;
      r['data_channel.orig_h'] = d.orig_h;
      r['data_channel.resp_h'] = d.resp_h;
      r['data_channel.resp_p'] = d.resp_p;
    }
    if (ev.fuid !== undefined) r.fuid = ev.fuid;
    return { log: 'ftp', record: r };
  },
};
