// The 802.11 management-frame analyzer: one event per distinct beacon, probe and association
// request (transmitter, network, protection and WPS identity), one per deauthentication or
// disassociation frame (for the monitor's flood detector), damage as weirds.
import type { FrameContext } from '../types.js';
import type { WlanDeauth, WlanMgmt } from './events.js';
import { parseWlanDeauth, parseWlanMgmt } from './parse.js';

/** A management frame whose Frame Control arrived swapped, put right (frames are < 2,500 bytes). */
const scratch = new Uint8Array(4096);

export function wlanFrame(ctx: FrameContext, buf: Uint8Array, off: number, len: number): void {
  if (ctx.packet.wlanFcSwapped && len >= 2 && len <= scratch.length) {
    scratch.set(buf.subarray(off, off + len));
    scratch[0] = buf[off + 1];
    scratch[1] = buf[off];
    buf = scratch;
    off = 0;
  }
  const r = parseWlanMgmt(buf, off, len);
  if (r === null) {
    const d = parseWlanDeauth(buf, off, len);
    if (d === 'truncated') ctx.weird('wlan.truncated');
    else if (d !== null) {
      const ev: WlanDeauth = { ...d, type: 'wlan.deauth', packet: ctx.packet.packetNo };
      ctx.emit(ev);
    }
    return;
  }
  if (r === 'truncated') {
    ctx.weird('wlan.truncated');
    return;
  }
  for (const p of r.problems) ctx.weird(`wlan.${p}`);
  const { problems: _p, ...info } = r;
  // The same transmitter announcing the same thing again is no news.
  const key = `${info.kind}|${info.transmitter}|${info.bssid}|${info.ssid ?? ''}|${info.channel ?? ''}|${info.security ?? ''}|${info.pairwise_ciphers?.join(',') ?? ''}|${info.akm_suites?.join(',') ?? ''}|${info.wps_manufacturer ?? ''}|${info.wps_model_name ?? ''}|${info.wps_model_number ?? ''}|${info.wps_device_name ?? ''}|${info.wps_device_type ?? ''}`;
  if (!ctx.once(key)) return;
  const ev: WlanMgmt = { ...info, type: 'wlan.mgmt', packet: ctx.packet.packetNo };
  ctx.emit(ev);
}
