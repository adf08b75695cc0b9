// dce_rpc.log (Zeek's base/protocols/dce-rpc fields): ts, uid, id.*, rtt, named_pipe, endpoint, operation.
import type { LogMapper } from '../logs.js';
import { connHeader } from '../connid.js';
import { formatInterval } from '../../report/logwriter.js';

export const DCE_RPC_LOGS: Record<string, LogMapper> = {
  'dce_rpc.call': (ev, c) => {
    if (c === null || ev.ignored === true) return null;
    const rec = connHeader(c, ev.tsSec as number, ev.tsNsec as number);
    if (ev.rtt_us !== undefined) rec.rtt = Number(formatInterval(ev.rtt_us as number));
    if (ev.named_pipe !== undefined) rec.named_pipe = ev.named_pipe;
    rec.endpoint = ev.endpoint;
    rec.operation = ev.operation;
    return { log: 'dce_rpc', record: rec };
  },
};
