// Typed events of UPnP control (SOAP actions carried by HTTP POSTs) and device descriptions.
import type { UpnpDescription } from './description.js';

/**
 * One action invoked on a UPnP service and its answer, from the HTTP transaction that carried
 * them. The port-mapping fields are those of the Internet Gateway Device's WANIPConnection /
 * WANPPPConnection actions (AddPortMapping, AddAnyPortMapping, DeletePortMapping, the
 * Get*PortMappingEntry getters) and of WANIPv6FirewallControl's pinholes (AddPinhole): from the
 * request's in-arguments, else from the answer's out-arguments (a listing names the mapping there).
 */
export interface UpnpActionEvent {
  type: 'upnp.action';
  tsSec: number;
  tsNsec: number;
  packet: number;
  /** The device whose service was controlled (the HTTP server) and its port. */
  host: string;
  host_p: number;
  /** The control point that invoked the action. */
  client: string;
  /** The control URL (the request's target). */
  uri?: string;
  /** The service type URN ("urn:schemas-upnp-org:service:WANIPConnection:2"). */
  service?: string;
  action: string;
  /** success: an <action>Response; error: a Fault or another HTTP status; no_response: none seen. */
  result: 'success' | 'error' | 'no_response';
  status_code?: number;
  error_code?: number;
  error_description?: string;
  remote_host?: string;
  remote_port?: number;
  external_port?: number;
  protocol?: string;
  internal_client?: string;
  internal_port?: number;
  enabled?: boolean;
  description?: string;
  lease_duration?: number;
  /** AddAnyPortMapping's answer: the external port the gateway chose. */
  reserved_port?: number;
  /** GetExternalIPAddress's answer: the gateway's address on the Internet. */
  external_ip?: string;
  /** AddPinhole's answer: the pinhole's id. */
  pinhole_id?: number;
  /** The request's argument names (values other than the fields above are never kept). */
  arguments?: string[];
  [k: string]: unknown;
}

/** A UPnP device description fetched from the device (the HTTP server): what it says it is. */
export interface UpnpDeviceEvent extends Omit<UpnpDescription, 'truncated'> {
  type: 'upnp.device';
  tsSec: number;
  tsNsec: number;
  packet: number;
  host: string;
  host_p: number;
  /** The description's URL path (the SSDP LOCATION's). */
  uri?: string;
  [k: string]: unknown;
}
