// redis.log: one line per command and the reply paired with it, in the spirit of Zeek 7's Redis
// analyzer (ts, uid, id.*, the command, success, the reply) but never a key, a value or an
// argument's content: the command's name, for administration and connection commands their
// subcommand and CONFIG parameter names, an ACL user name, "<redacted>" when a password went by,
// the reply's RESP type and an error's code word, and `admin` for the dangerous commands.
import { connHeader } from '../connid.js';
import type { LogMapper } from '../logs.js';
import { REDACTED } from '../secret.js';

const FIELDS = ['command', 'subcommand', 'params', 'inline', 'user', 'password', 'success', 'reply', 'error', 'admin'] as const;

export const REDIS_LOGS: Record<string, LogMapper> = {
  'redis.command': (ev, c) => {
    if (c === null) return null;
    const rec = connHeader(c, ev.tsSec as number, ev.tsNsec as number);
    for (const f of FIELDS) {
      const v = f === 'password' ? (ev.has_password === true ? REDACTED : undefined) : ev[f];
      if (v === undefined || (Array.isArray(v) && v.length === 0)) continue;
      rec[f] = v;
    }
    return { log: 'redis', record: rec };
  },
};
