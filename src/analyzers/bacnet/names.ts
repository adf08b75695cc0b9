// Names of BACnet enumerations (ANSI/ASHRAE 135 §21, Annex J) as CISA's icsnpp-bacnet logs them,
// so bacnet.log reads the same as that peer's bacnet.log.

export const BVLC_FUNCTIONS: Record<number, string> = {
  0x00: 'BVLC_Result',
  0x01: 'Write_Broadcast_Distribution_Table',
  0x02: 'Read_Broadcast_Distribution_Table',
  0x03: 'Read_Broadcast_Distribution_Table_Ack',
  0x04: 'Forwarded_NPDU',
  0x05: 'Register_Foreign_Device',
  0x06: 'Read_Foreign_Device_Table',
  0x07: 'Read_Foreign_Device_Table_Ack',
  0x08: 'Delete_Foreign_Device_Table_Entry',
  0x09: 'Distribute_Broadcast_to_Network',
  0x0a: 'Original_Unicast_NPDU',
  0x0b: 'Original_Broadcast_NPDU',
  0x0c: 'Secure_BVLL',
};

export const PDU_TYPES = ['CONFIRMED_REQUEST', 'UNCONFIRMED_REQUEST', 'SIMPLE_ACK', 'COMPLEX_ACK', 'SEGMENT_ACK', 'ERROR_PDU', 'REJECT_PDU', 'ABORT_PDU'];

/** BACnetConfirmedServiceChoice (§21). */
export const CONFIRMED_SERVICES = [
  'acknowledge_alarm',
  'confirmed_cov_notification',
  'confirmed_event_notification',
  'get_alarm_summary',
  'get_enrollment_summary',
  'subscribe_cov',
  'atomic_read_file',
  'atomic_write_file',
  'add_list_element',
  'remove_list_element',
  'create_object',
  'delete_object',
  'read_property',
  'read_property_conditional',
  'read_property_multiple',
  'write_property',
  'write_property_multiple',
  'device_communication_control',
  'confirmed_private_transfer',
  'confirmed_text_message',
  'reinitialize_device',
  'vt_open',
  'vt_close',
  'vt_data',
  'authenticate',
  'request_key',
  'read_range',
  'life_safety_operation',
  'subscribe_cov_property',
  'get_event_information',
  'subscribe_cov_property_multiple',
  'confirmed_cov_notification_multiple',
  'confirmed_audit_notification',
  'audit_log_query',
];

/** BACnetUnconfirmedServiceChoice (§21). */
export const UNCONFIRMED_SERVICES = [
  'i_am',
  'i_have',
  'unconfirmed_cov_notification',
  'unconfirmed_event_notification',
  'unconfirmed_private_transfer',
  'unconfirmed_text_message',
  'time_synchronization',
  'who_has',
  'who_is',
  'utc_time_synchronization',
  'write_group',
  'unconfirmed_cov_notification_multiple',
  'unconfirmed_audit_notification',
  'who_am_i',
  'you_are',
];

/** Network layer message types (§6.2.4). */
export const NETWORK_MESSAGES = [
  'who_is_router_to_network',
  'i_am_router_to_network',
  'i_could_be_router_to_network',
  'reject_message_to_network',
  'router_busy_to_network',
  'router_available_to_network',
  'initialize_routing_table',
  'initialize_routing_table_ack',
  'establish_connection_to_network',
  'disconnect_connection_to_network',
  'challenge_request',
  'security_payload',
  'security_response',
  'request_key_update',
  'update_key_set',
  'update_distribution_key',
  'request_master_key',
  'set_master_key',
  'what_is_network_number',
  'network_number_is',
];

/** BACnetErrorCode (§21), the values in use. */
export const ERROR_CODES: Record<number, string> = {
  0: 'other',
  1: 'authentication-failed',
  2: 'configuration-in-progress',
  3: 'device-busy',
  4: 'dynamic-creation-not-supported',
  5: 'file-access-denied',
  6: 'incompatible-security-levels',
  7: 'inconsistent-parameters',
  8: 'inconsistent-selection-criterion',
  9: 'invalid-data-type',
  10: 'invalid-file-access-method',
  11: 'invalid-file-start-position',
  12: 'invalid-operator-name',
  13: 'invalid-parameter-data-type',
  14: 'invalid-time-stamp',
  15: 'key-generation-error',
  16: 'missing-required-parameter',
  17: 'no-objects-of-specified-type',
  18: 'no-space-for-object',
  19: 'no-space-to-add-list-element',
  20: 'no-space-to-write-property',
  21: 'no-vt-sessions-available',
  22: 'property-is-not-a-list',
  23: 'object-deletion-not-permitted',
  24: 'object-identifier-already-exists',
  25: 'operational-problem',
  26: 'password-failure',
  27: 'read-access-denied',
  28: 'security-not-supported',
  29: 'service-request-denied',
  30: 'timeout',
  31: 'unknown-object',
  32: 'unknown-property',
  34: 'unknown-vt-class',
  35: 'unknown-vt-session',
  36: 'unsupported-object-type',
  37: 'value-out-of-range',
  38: 'vt-session-already-closed',
  39: 'vt-session-termination-failure',
  40: 'write-access-denied',
  41: 'character-set-not-supported',
  42: 'invalid-array-index',
  43: 'cov-subscription-failed',
  44: 'not-cov-property',
  45: 'optional-functionality-not-supported',
  46: 'invalid-configuration-data',
  47: 'datatype-not-supported',
  48: 'duplicate-name',
  49: 'duplicate-object-id',
  50: 'property-is-not-an-array',
};

/** BACnetRejectReason (§21). */
export const REJECT_REASONS = [
  'other',
  'buffer-overflow',
  'inconsistent-parameters',
  'invalid-parameter-data-type',
  'invalid-tag',
  'missing-required-parameter',
  'parameter-out-of-range',
  'too-many-arguments',
  'undefined-enumeration',
  'unrecognized-service',
];

/** BACnetAbortReason (§21). */
export const ABORT_REASONS = [
  'other',
  'buffer-overflow',
  'invalid-apdu-in-this-state',
  'preempted-by-higher-priority-task',
  'segmentation-not-supported',
  'security-error',
  'insufficient-security',
  'window-size-out-of-range',
  'application-exceeded-reply-time',
  'out-of-resources',
  'tsm-timeout',
  'apdu-too-long',
];

/** BACnetSegmentation (§21). */
export const SEGMENTATION = ['segmented-both', 'segmented-transmit', 'segmented-receive', 'no-segmentation'];

/** BACnetObjectType (§21), standard types. */
export const OBJECT_TYPES = [
  'analog-input',
  'analog-output',
  'analog-value',
  'binary-input',
  'binary-output',
  'binary-value',
  'calendar',
  'command',
  'device',
  'event-enrollment',
  'file',
  'group',
  'loop',
  'multi-state-input',
  'multi-state-output',
  'notification-class',
  'program',
  'schedule',
  'averaging',
  'multi-state-value',
  'trend-log',
  'life-safety-point',
  'life-safety-zone',
  'accumulator',
  'pulse-converter',
  'event-log',
  'global-group',
  'trend-log-multiple',
  'load-control',
  'structured-view',
  'access-door',
  'timer',
  'access-credential',
  'access-point',
  'access-rights',
  'access-user',
  'access-zone',
  'credential-data-input',
  'network-security',
  'bitstring-value',
  'characterstring-value',
  'datepattern-value',
  'date-value',
  'datetimepattern-value',
  'datetime-value',
  'integer-value',
  'large-analog-value',
  'octetstring-value',
  'positive-integer-value',
  'timepattern-value',
  'time-value',
  'notification-forwarder',
  'alert-enrollment',
  'channel',
  'lighting-output',
  'binary-lighting-output',
  'network-port',
  'elevator-group',
  'escalator',
  'lift',
];

export const OBJECT_DEVICE = 8;

/** BACnetPropertyIdentifier (§21): the properties this analyzer names. */
export const PROP_APPLICATION_SOFTWARE_VERSION = 12;
export const PROP_DESCRIPTION = 28;
export const PROP_FIRMWARE_REVISION = 44;
export const PROP_LOCATION = 58;
export const PROP_MODEL_NAME = 70;
export const PROP_OBJECT_NAME = 77;
export const PROP_VENDOR_IDENTIFIER = 120;
export const PROP_VENDOR_NAME = 121;

export const PROPERTIES: Record<number, string> = {
  4: 'active-text',
  8: 'all',
  12: 'application-software-version',
  28: 'description',
  36: 'event-state',
  44: 'firmware-revision',
  46: 'inactive-text',
  56: 'local-date',
  57: 'local-time',
  58: 'location',
  62: 'max-apdu-length-accepted',
  65: 'max-pres-value',
  69: 'min-pres-value',
  70: 'model-name',
  74: 'number-of-states',
  75: 'object-identifier',
  76: 'object-list',
  77: 'object-name',
  79: 'object-type',
  80: 'optional',
  81: 'out-of-service',
  84: 'polarity',
  85: 'present-value',
  87: 'priority-array',
  96: 'protocol-object-types-supported',
  97: 'protocol-services-supported',
  98: 'protocol-version',
  103: 'reliability',
  104: 'relinquish-default',
  105: 'required',
  107: 'segmentation-supported',
  110: 'state-text',
  111: 'status-flags',
  112: 'system-status',
  117: 'units',
  120: 'vendor-identifier',
  121: 'vendor-name',
  131: 'log-buffer',
  139: 'protocol-revision',
  168: 'profile-name',
  371: 'property-list',
};

export function propertyName(p: number): string {
  const n = PROPERTIES[p];
  if (n !== undefined) return n;
  // Proprietary property identifiers start at 512 (§23.4.3); icsnpp names them so.
  return p >= 512 ? `Vendor Specific (${p})` : `property-${p}`;
}

export function objectTypeName(t: number): string {
  return OBJECT_TYPES[t] ?? (t >= 128 ? `vendor-specific-${t}` : `object-type-${t}`);
}
