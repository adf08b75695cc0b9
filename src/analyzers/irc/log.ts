// irc.log with Zeek's field names (base/protocols/irc): one line per NICK, USER, JOIN and DCC.
import { connFields } from '../connid.js';
import type { LogMapper } from '../logs.js';

const FIELDS = ['nick', 'user', 'command', 'value', 'addl', 'dcc_file_name', 'dcc_file_size'] as const;

const command: LogMapper = (ev, c, m) => {
  if (c === null) return null;
  const r = connFields(c, m);
  for (const f of FIELDS) if (ev[f] !== undefined) r[f] = ev[f];
  return { log: 'irc', record: r };
};

export const IRC_LOGS: Record<string, LogMapper> = { 'irc.command': command };
