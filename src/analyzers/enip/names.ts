// Names of EtherNet/IP encapsulation commands and statuses (CIP Vol 2 §2-3, §2-3.3), CIP services
// (CIP Vol 1 Appendix A) and object classes (Vol 1 §5), spelled as CISA's icsnpp-enip logs them,
// and CIP device profiles (Vol 1 §6-7) for ListIdentity's device type.

export const COMMANDS: Record<number, string> = {
  0x0000: 'NOP',
  0x0004: 'List Services',
  0x0063: 'List Identity',
  0x0064: 'List Interfaces',
  0x0065: 'Register Session',
  0x0066: 'Unregister Session',
  0x006f: 'Send RR Data',
  0x0070: 'Send Unit Data',
  0x0072: 'Indicate Status',
  0x0073: 'Cancel',
};

export const STATUSES: Record<number, string> = {
  0x0000: 'Success',
  0x0001: 'Invalid or unsupported command',
  0x0002: 'Insufficient memory',
  0x0003: 'Incorrectly formed data',
  0x0064: 'Invalid session handle',
  0x0065: 'Invalid length',
  0x0069: 'Unsupported protocol version',
};

export const CIP_SERVICES: Record<number, string> = {
  0x01: 'Get Attributes All',
  0x02: 'Set Attributes All',
  0x03: 'Get Attribute List',
  0x04: 'Set Attribute List',
  0x05: 'Reset',
  0x06: 'Start',
  0x07: 'Stop',
  0x08: 'Create',
  0x09: 'Delete',
  0x0a: 'Multiple Service Packet',
  0x0d: 'Apply Attributes',
  0x0e: 'Get Attribute Single',
  0x10: 'Set Attributes Single',
  0x11: 'Find Next Object Instance',
  0x14: 'Error Response',
  0x15: 'Restore',
  0x16: 'Save',
  0x17: 'No Operation',
  0x18: 'Get Member',
  0x19: 'Set Member',
  0x1a: 'Insert Member',
  0x1b: 'Remove Member',
  0x1c: 'Group Sync',
};

/** Connection Manager (class 0x06) object-specific services. */
export const CONNECTION_MANAGER_SERVICES: Record<number, string> = {
  0x4e: 'Forward Close',
  0x52: 'Unconnected Send',
  0x54: 'Forward Open',
  0x56: 'Get Connection Data',
  0x57: 'Search Connection Data',
  0x5b: 'Large Forward Open',
  0x5a: 'Get Connection Owner',
};

export const CLASS_CONNECTION_MANAGER = 0x06;

export const CIP_CLASSES: Record<number, string> = {
  0x01: 'Identity',
  0x02: 'Message Router',
  0x03: 'DeviceNet',
  0x04: 'Assembly',
  0x05: 'Connection',
  0x06: 'Connection Manager',
  0x07: 'Register',
  0x08: 'Discrete Input Point',
  0x09: 'Discrete Output Point',
  0x0a: 'Analog Input Point',
  0x0b: 'Analog Output Point',
  0x0e: 'Presence Sensing',
  0x0f: 'Parameter',
  0x10: 'Parameter Group',
  0x12: 'Group',
  0x29: 'Control Supervisor',
  0x2a: 'AC/DC Drive',
  0x37: 'File',
  0x43: 'Time Sync',
  0x44: 'Modbus',
  0x47: 'Device Level Ring',
  0x48: 'QoS',
  0xf4: 'Port',
  0xf5: 'TCP/IP Interface',
  0xf6: 'Ethernet Link',
};

/** CIP general status codes (Vol 1 Appendix B). */
export const CIP_STATUSES: Record<number, string> = {
  0x00: 'Success',
  0x01: 'Connection failure',
  0x02: 'Resource unavailable',
  0x03: 'Invalid parameter value',
  0x04: 'Path segment error',
  0x05: 'Path destination unknown',
  0x06: 'Partial transfer',
  0x07: 'Connection lost',
  0x08: 'Service not supported',
  0x09: 'Invalid attribute value',
  0x0a: 'Attribute list error',
  0x0b: 'Already in requested mode/state',
  0x0c: 'Object state conflict',
  0x0d: 'Object already exists',
  0x0e: 'Attribute not settable',
  0x0f: 'Privilege violation',
  0x10: 'Device state conflict',
  0x11: 'Reply data too large',
  0x13: 'Not enough data',
  0x14: 'Attribute not supported',
  0x15: 'Too much data',
  0x16: 'Object does not exist',
  0x1e: 'Embedded service error',
  0x20: 'Invalid parameter',
};

/** CIP device profiles (device type in the Identity object). */
export const DEVICE_TYPES: Record<number, string> = {
  0x00: 'Generic Device (deprecated)',
  0x02: 'AC Drive',
  0x03: 'Motor Overload',
  0x04: 'Limit Switch',
  0x05: 'Inductive Proximity Switch',
  0x06: 'Photoelectric Sensor',
  0x07: 'General Purpose Discrete I/O',
  0x09: 'Resolver',
  0x0c: 'Communications Adapter',
  0x0e: 'Programmable Logic Controller',
  0x10: 'Position Controller',
  0x13: 'DC Drive',
  0x15: 'Contactor',
  0x16: 'Motor Starter',
  0x17: 'Soft Start',
  0x18: 'Human-Machine Interface',
  0x1a: 'Mass Flow Controller',
  0x1b: 'Pneumatic Valve',
  0x1c: 'Vacuum Pressure Gauge',
  0x1d: 'Process Control Value',
  0x1e: 'Residual Gas Analyzer',
  0x1f: 'DC Power Generator',
  0x20: 'RF Power Generator',
  0x21: 'Turbomolecular Vacuum Pump',
  0x22: 'Encoder',
  0x23: 'Safety Discrete I/O Device',
  0x24: 'Fluid Flow Controller',
  0x25: 'CIP Motion Drive',
  0x26: 'CompoNet Repeater',
  0x27: 'Mass Flow Controller, Enhanced',
  0x28: 'CIP Modbus Device',
  0x29: 'CIP Modbus Translator',
  0x2a: 'Safety Analog I/O Device',
  0x2b: 'Generic Device (keyable)',
  0x2c: 'Managed Ethernet Switch',
  0x2d: 'CIP Motion Safety Drive Device',
  0x2e: 'Safety Drive Device',
  0x2f: 'CIP Motion Encoder',
  0x30: 'CIP Motion Converter',
  0x31: 'CIP Motion I/O',
  0xc8: 'Embedded Component',
};

export function hex(v: number, digits: number): string {
  return `0x${v.toString(16).padStart(digits, '0')}`;
}

export function cipServiceName(service: number, classId: number): string {
  const s = service & 0x7f;
  const common = CIP_SERVICES[s];
  if (common !== undefined) return common;
  if (classId === CLASS_CONNECTION_MANAGER) {
    const cm = CONNECTION_MANAGER_SERVICES[s];
    if (cm !== undefined) return cm;
  }
  return `Service ${hex(s, 2)}`;
}
