// Typed events of the HSRP analyzer.

/** One HSRP group's message (hsrp.log). */
export interface HsrpEvent {
  type: 'hsrp.message';
  /** The sending router's address and MAC. */
  router: string;
  mac_src: string;
  version: number;
  opcode: string;
  state: string;
  group: number;
  priority: number;
  hello_time: number;
  hold_time: number;
  virtual_ip: string;
  /** v2: the router's identifier. */
  identifier?: string;
  /** "text" (the password itself is never logged), "md5", or "none" (version 1 always carries text). */
  auth: string;
  /** The text is Cisco's default "cisco" (a group configured without `standby authentication`). */
  auth_is_default?: boolean;
  packet: number;
  [k: string]: unknown;
}
