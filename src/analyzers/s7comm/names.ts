// Names of S7comm header values as CISA's icsnpp-s7comm logs them (ROSCTR, job functions,
// user-data function groups and subfunctions, SZL ids), and of S7comm-plus opcodes/functions.

export const ROSCTR_JOB = 1;
export const ROSCTR_ACK = 2;
export const ROSCTR_ACK_DATA = 3;
export const ROSCTR_USERDATA = 7;

export const ROSCTR_NAMES: Record<number, string> = {
  1: 'Job-Request',
  2: 'ACK',
  3: 'ACK-Data',
  7: 'User-Data',
};

export const JOB_FUNCTIONS: Record<number, string> = {
  0x00: 'CPU Services',
  0x04: 'Read Variable',
  0x05: 'Write Variable',
  0x1a: 'Request Download',
  0x1b: 'Download Block',
  0x1c: 'Download Ended',
  0x1d: 'Start Upload',
  0x1e: 'Upload',
  0x1f: 'End Upload',
  0x28: 'PLC Control',
  0x29: 'PLC Stop',
  0xf0: 'Setup Communication',
};

export const FUNCTION_PI_SERVICE = 0x28;

/** Program invocation services named in a PLC Control job (as icsnpp-s7comm describes them). */
export const PI_SERVICES: Record<string, string> = {
  _INSE: 'PLC Activate Module',
  _DELE: 'PLC Delete Module',
  P_PROGRAM: 'PLC Start / Stop',
  _MODU: 'PLC Copy Ram to Rom',
  _GARB: 'Compress PLC memory',
  _N_LOGIN_: 'Login',
  _N_LOGOUT: 'Logout',
  _N_CANCEL: 'Cancels NC alarm',
};

export const GROUP_CPU = 4;
export const GROUP_SECURITY = 5;
export const SUBFUNCTION_READ_SZL = 1;
export const SUBFUNCTION_PLC_PASSWORD = 1;

export const USERDATA_GROUPS: Record<number, string> = {
  0: 'Mode Transition',
  1: 'Programmer Commands',
  2: 'Cyclic Data',
  3: 'Block Functions',
  4: 'CPU Functions',
  5: 'Security',
  6: 'PBC BSEND/BRECV',
  7: 'Time Functions',
  15: 'NC Programming',
};

export const USERDATA_TYPES: Record<number, string> = { 0: 'Push', 4: 'Request', 8: 'Response' };

export const USERDATA_SUBFUNCTIONS: Record<number, Record<number, string>> = {
  1: { 0x01: 'Request Diag Data (Type 1)', 0x02: 'VarTab', 0x0c: 'Read Diag Data', 0x0e: 'Remove Diag Data', 0x0f: 'Erase', 0x13: 'Forces', 0x14: 'Request Diag Data (Type 2)' },
  2: { 0x01: 'Memory', 0x04: 'Unsubscribe', 0x05: 'Memory2' },
  3: { 0x01: 'List Blocks', 0x02: 'List Blocks of Type', 0x03: 'Get Block Info' },
  4: {
    0x01: 'Read SZL',
    0x02: 'Message Service',
    0x03: 'Diagnostic Message',
    0x05: 'ALARM_8 Indication',
    0x06: 'NOTIFY Indication',
    0x07: 'ALARM_8 Lock',
    0x08: 'ALARM_8 Unlock',
    0x0b: 'ALARM Ack',
    0x0c: 'ALARM Ack Indication',
    0x0d: 'ALARM Lock Indication',
    0x0e: 'ALARM Unlock Indication',
    0x11: 'ALARM_SQ Indication',
    0x12: 'ALARM_S Indication',
    0x13: 'ALARM Query',
    0x16: 'NOTIFY_8 Indication',
  },
  5: { 0x01: 'PLC Password', 0x02: 'Clean Session Password' },
  7: { 0x01: 'Read Clock', 0x02: 'Set Clock', 0x03: 'Read Clock (following)', 0x04: 'Set Clock' },
};

export const ERROR_CLASSES: Record<number, string> = {
  0x00: 'No error',
  0x81: 'Application relationship error',
  0x82: 'Object definition error',
  0x83: 'No resources available error',
  0x84: 'Error on service processing',
  0x85: 'Error on supplies',
  0x87: 'Access error',
};

/** SZL partial list numbers (System Status Lists, S7-300/400 System Software manual §34). */
export const SZL_NAMES: Record<number, string> = {
  0x0000: 'List of all SZL-IDs',
  0x0011: 'Module identification',
  0x0012: 'CPU characteristics',
  0x0013: 'User memory areas',
  0x0014: 'System areas',
  0x0015: 'Block types',
  0x0019: 'Status of the module LEDs',
  0x001c: 'Component Identification',
  0x0022: 'Interrupt status',
  0x0025: 'Assignment between process image partitions and OBs',
  0x0032: 'Communication status data',
  0x0037: 'Ethernet details of the module',
  0x0074: 'Status of the module LEDs',
  0x0091: 'Module status information',
  0x0092: 'Rack / station status information',
  0x0094: 'Rack / station status information',
  0x0096: 'Module status information, PROFINET IO and PROFIBUS DP',
  0x00a0: 'Diagnostic buffer of the CPU',
  0x00b1: 'Module diagnostic information (data record 0)',
  0x0111: 'Module identification',
  0x011c: 'Component Identification',
  0x0131: 'Communication capability parameters',
  0x0132: 'Communication status data',
  0x0424: 'Modes',
};

export const S7P_OPCODES: Record<number, string> = {
  0x31: 'Request',
  0x32: 'Response',
  0x33: 'Notification',
  0x02: 'Response2',
};

export const S7P_FUNCTIONS: Record<number, string> = {
  0x04bb: 'Explore',
  0x04ca: 'Create Object',
  0x04d4: 'Delete Object',
  0x04f2: 'Set Variable',
  0x04fc: 'Get Variable',
  0x0524: 'Add Link',
  0x0542: 'Set Multi Variables',
  0x054c: 'Get Multi Variables',
  0x0556: 'Begin Sequence',
  0x0560: 'End Sequence',
  0x056b: 'Invoke',
  0x0586: 'Get Var Sub Streamed',
};

export function hex(v: number, digits: number): string {
  return `0x${v.toString(16).padStart(digits, '0')}`;
}
