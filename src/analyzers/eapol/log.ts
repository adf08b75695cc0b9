// eapol.log: one line per 802.1X EAPOL frame (Zeek parses none; the fields are Wireshark's eapol
// and eap fields): source and destination MAC, VLAN, EAPOL version and type (eap, start, logoff,
// key …), EAP code, identifier and method, the identity a Response/Identity gives, a Nak's
// desired methods, LEAP's user name, whether an EAP-MD5 or LEAP challenge value was carried (its
// value never), the TLS-based methods' start and more-fragments flags, and what their handshake
// shows in clear (TLS 1.2 and earlier): the version and cipher chosen, and each side's certificate
// — the RADIUS server's, and with EAP-TLS the device's own, whose subject usually names it. What a network team
// checks when a device cannot get its port: who asked, with which method, and the verdict.
import type { LogMapper } from '../logs.js';
import { formatTime } from '../../report/logwriter.js';
import { putSet } from '../connid.js';
import type { EapolMessage } from './events.js';

const eapolLog: LogMapper = (e, _c, m) => {
  const ev = e as EapolMessage;
  const rec: Record<string, unknown> = { ts: Number(formatTime(m.tsSec, m.tsNsec)), mac_src: ev.mac_src, mac_dst: ev.mac_dst };
  putSet(rec, {
    vlan: ev.vlan,
    eapol_version: ev.eapol_version,
    eapol_type: ev.eapol_type,
    eap_code: ev.eap_code,
    eap_id: ev.eap_id,
    eap_type: ev.eap_type,
    identity: ev.identity,
    nak_types: ev.nak_types,
    leap_user: ev.leap_user,
    challenge_value: ev.challenge_value,
    tls_start: ev.tls_start,
    tls_more: ev.tls_more,
    tls_version: ev.tls_version,
    tls_cipher: ev.tls_cipher,
    cert_subject: ev.cert_subject,
    cert_issuer: ev.cert_issuer,
    cert_not_valid_before: ev.cert_not_valid_before,
    cert_not_valid_after: ev.cert_not_valid_after,
    cert_key: ev.cert_key,
    cert_sig_alg: ev.cert_sig_alg,
    cert_sha1: ev.cert_sha1,
  });
  rec.packet = ev.packet;
  return { log: 'eapol', record: rec };
};

export const EAPOL_LOGS: Record<string, LogMapper> = { 'eapol.message': eapolLog };
