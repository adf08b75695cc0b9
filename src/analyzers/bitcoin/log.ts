// bitcoin.log: one line per peer-to-peer connection (wardline's own log; Zeek has none): the
// network, each side's protocol version, user agent, best block height and services from its
// version message, the commands seen and how many messages, blocks and transactions crossed.
import { connHeader } from '../connid.js';
import type { LogMapper } from '../logs.js';

const FIELDS = ['orig_version', 'orig_user_agent', 'orig_start_height', 'orig_services', 'resp_version', 'resp_user_agent', 'resp_start_height', 'resp_services'] as const;

export const BITCOIN_LOGS: Record<string, LogMapper> = {
  'bitcoin.session': (ev, c) => {
    if (c === null) return null;
    const r = connHeader(c, ev.tsSec as number, ev.tsNsec as number);
    r.network = ev.network;
    for (const f of FIELDS) if (ev[f] !== null && ev[f] !== undefined) r[f] = ev[f];
    r.commands = ev.commands;
    r.messages = ev.messages;
    r.blocks = ev.blocks;
    r.transactions = ev.transactions;
    return { log: 'bitcoin', record: r };
  },
};
