// Typed events of the SCCP analyzer.

/**
 * One SCCP connection, reported when it ends (sccp.log): who the station said it is in its
 * RegisterReq, how the call manager answered, and counts of what followed. Never the parties of
 * a call: CallInfo's names and numbers, dialled digits and display texts are not read.
 */
export interface SccpSession {
  type: 'sccp.session';
  tsSec: number;
  tsNsec: number;
  packet: number;
  /** Whether the connection's originator is the station (phone, gateway port, media resource), once a message showed which side is which. */
  station_is_orig?: boolean;
  device_name?: string;
  /** The MAC a phone's "SEP<MAC>" device name carries. */
  mac?: string;
  /** Cisco's device type number, and its model name when the table knows it. */
  device_type?: number;
  model?: string;
  /** What kind of station the device type is: phone, conference-bridge, media-resource, gateway-port. */
  station_kind?: string;
  /** The address the station registered with (behind NAT, not the connection's). */
  station_ip?: string;
  max_streams?: number;
  protocol_version?: number;
  /** RegisterReq's firmwareLoadName, else the VersionMessage's version string. */
  firmware?: string;
  /** true on RegisterAck, false on RegisterReject (with its text). */
  registered?: boolean;
  reject_reason?: string;
  /** The call manager drove a handset's user interface (ringer, lamps, soft keys, call states). */
  phone_ui?: boolean;
  messages: number;
  /** Distinct call references of CallState messages. */
  calls: number;
  /** StartMediaTransmission messages, and the RTP destinations they named. */
  media: number;
  media_peers: string[];
  /** Message names in the order first seen (ids not listed as 0x…). */
  message_names: string[];
  [k: string]: unknown;
}
