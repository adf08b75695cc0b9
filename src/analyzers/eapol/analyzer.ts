// The EAPOL frame analyzer (802.1X port authentication, ethertype 0x888e): one event per frame.
// A supplicant (the device wanting the port) sends Start, Logoff and EAP responses to the PAE
// group address; the authenticator (the switch port, or access point) sends EAP requests and
// the verdict. The response to the identity request names the device or its user in clear
// ("host/<machine>" for a Windows machine account), whatever method follows.
import { formatMac } from '../../decode/packet.js';
import type { FrameContext } from '../types.js';
import { frameEvent } from '../frame-event.js';
import { parseEapol } from './parse.js';
import { EapTlsHandshakes } from './eaptls.js';
import type { EapolMessage } from './events.js';

export function eapolFrame(ctx: FrameContext, buf: Uint8Array, off: number, len: number): void {
  const r = parseEapol(buf, off, len);
  const e = frameEvent(ctx, 'eapol', 'eapol.message', r);
  if (r === 'bad' || e === null) return;
  const { tlsAt, tlsEnd, ...rest } = e;
  const ev: EapolMessage = { ...rest, mac_dst: formatMac(ctx.packet.dstMac) };
  if (tlsAt !== undefined && tlsEnd !== undefined) {
    // The supplicant answers (responses); the authenticator relays the server's requests.
    const client = r.eap_code === 'response';
    const supplicant = client ? ev.mac_src : ev.mac_dst;
    const tls = ctx.state('eapol.tls', () => new EapTlsHandshakes()).data(`${supplicant}|${client ? 'c' : 's'}`, buf, tlsAt, tlsEnd);
    if (tls !== null) {
      if (tls.version !== undefined) ev.tls_version = tls.version;
      if (tls.cipher !== undefined) ev.tls_cipher = tls.cipher;
      const x = tls.certificate;
      if (x !== undefined) {
        ev.cert_subject = x.subject;
        ev.cert_issuer = x.issuer;
        if (x.not_valid_before !== null) ev.cert_not_valid_before = x.not_valid_before;
        if (x.not_valid_after !== null) ev.cert_not_valid_after = x.not_valid_after;
        ev.cert_key = x.key_length !== undefined ? `${x.key_type ?? x.key_alg} ${x.key_length}` : x.key_type ?? x.key_alg;
        ev.cert_sig_alg = x.sig_alg;
        ev.cert_sha1 = x.sha1;
        if (x.subject_cn.length > 0) ev.cert_cn = x.subject_cn[0];
      }
    }
  }
  ctx.emit(ev);
}
