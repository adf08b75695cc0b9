// wlan.log: one line per distinct 802.11 beacon, probe or association request: ts, kind, the
// three MAC header addresses, network name, channel, protection and the WPS device identity.
import type { LogMapper } from '../logs.js';
import { formatTime } from '../../report/logwriter.js';
import { putSet } from '../connid.js';
import type { WlanMgmt } from './events.js';

const wlanLog: LogMapper = (e, _c, m) => {
  const ev = e as WlanMgmt;
  // Fields in a fixed order (the parser sets protection last, after reading every element).
  const rec = putSet(
    { ts: Number(formatTime(m.tsSec, m.tsNsec)) },
    {
      kind: ev.kind,
      receiver: ev.receiver,
      transmitter: ev.transmitter,
      bssid: ev.bssid,
      ssid: ev.ssid,
      ssid_hidden: ev.ssid_hidden,
      channel: ev.channel,
      security: ev.security,
      pairwise_ciphers: ev.pairwise_ciphers,
      akm_suites: ev.akm_suites,
      wps_manufacturer: ev.wps_manufacturer,
      wps_model_name: ev.wps_model_name,
      wps_model_number: ev.wps_model_number,
      wps_device_name: ev.wps_device_name,
      wps_device_type: ev.wps_device_type,
      wps_serial_number: ev.wps_serial_number,
    },
  );
  rec.packet = ev.packet;
  return { log: 'wlan', record: rec };
};

export const WLAN_LOGS: Record<string, LogMapper> = { 'wlan.mgmt': wlanLog };
