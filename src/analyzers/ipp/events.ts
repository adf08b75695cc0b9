// Typed events of IPP (carried by HTTP POSTs of application/ipp).

/** One IPP request and its response, from the HTTP transaction that carried them. */
export interface IppTransactionEvent {
  type: 'ipp.transaction';
  tsSec: number;
  tsNsec: number;
  packet: number;
  /** Address of the printer (the HTTP server) and its port. */
  host: string;
  host_p: number;
  version?: string;
  operation?: string;
  status?: string;
  requesting_user_name?: string;
  printer_uri?: string;
  document_format?: string;
  status_message?: string;
  printer_make_and_model?: string;
  printer_device_id?: string;
  printer_info?: string;
  printer_location?: string;
  printer_name?: string;
  printer_firmware?: string;
  [k: string]: unknown;
}
