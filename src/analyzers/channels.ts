// Connections a control protocol negotiates on ports of the moment, by the conn.log service of
// the control protocol: FTP's data channels (RFC 959 PORT/PASV), TFTP's transfers (RFC 1350: the
// server answers from a new port), the RTP/RTCP and T.38 media a SIP SDP announces (RFC 3264).
// They are not services a device offers (the monitor's baselines skip them) and a port rule from
// one capture would be wrong for the next transfer or call (the policy leaves them to helpers).

export const CHANNELS_OF: Readonly<Record<string, readonly string[]>> = {
  ftp: ['ftp-data'],
  tftp: ['tftp-data'],
  sip: ['rtp', 'rtcp', 'srtp', 'srtcp', 'udptl'],
};

/** Every negotiated channel's conn.log service name. */
export const CHANNEL_SERVICES: ReadonlySet<string> = new Set(Object.values(CHANNELS_OF).flat());

/** A conn.log service (possibly "rtp,rtcp") made only of negotiated channels. */
export function isChannelService(service: string): boolean {
  if (service === '') return false;
  if (service.indexOf(',') < 0) return CHANNEL_SERVICES.has(service);
  return service.split(',').every((s) => CHANNEL_SERVICES.has(s));
}
