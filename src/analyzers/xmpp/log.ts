// xmpp.log: one line per XMPP connection (wardline's own log; Zeek only notes STARTTLS): the
// domains and stream version, STARTTLS offered, required and used, the SASL mechanisms offered
// and chosen, the user, whether a password or token crossed in clear (only `<redacted>`), the
// outcome, the resource, both sides' software and how many stanzas of each kind crossed —
// never chat bodies, presence status or contact lists.
import { connHeader } from '../connid.js';
import type { LogMapper } from '../logs.js';
import { REDACTED } from '../secret.js';

const TEXT = ['stream', 'to', 'from', 'version', 'mechanism', 'user', 'auth_failure', 'resource', 'client_software', 'server_software'] as const;

export const XMPP_LOGS: Record<string, LogMapper> = {
  'xmpp.session': (ev, c) => {
    if (c === null) return null;
    const r = connHeader(c, ev.tsSec as number, ev.tsNsec as number);
    for (const f of TEXT) if (typeof ev[f] === 'string' && ev[f] !== '') r[f] = ev[f];
    // Joined mid-way, whether the server offered STARTTLS was not seen.
    if (ev.midstream !== true) r.starttls_offered = ev.starttls_offered;
    if (ev.starttls_required === true) r.starttls_required = true;
    r.tls = ev.tls;
    if (Array.isArray(ev.mechanisms) && ev.mechanisms.length > 0) r.mechanisms = ev.mechanisms;
    if (ev.password === true) r.password = REDACTED;
    if (ev.auth_success !== null) r.auth_success = ev.auth_success;
    r.iq = ev.iq;
    r.presence = ev.presence;
    r.message = ev.message;
    if ((ev.bodies as number) > 0) r.bodies = ev.bodies;
    if (ev.midstream === true) r.midstream = true;
    return { log: 'xmpp', record: r };
  },
};
