// SCCP message ids: their names (Cisco's, without the "Message" suffix) and which side sends
// each — the station (phone, gateway port, media resource) or the call manager. Station messages
// are numbered from 0x0000, the call manager's from 0x0081, with the later acknowledgements of
// media setup (0x0154, 0x0155) sent by stations again; so the sender is looked up, not computed.

export const FROM_STATION = 1;
export const FROM_CM = 2;

export const KEEP_ALIVE = 0x0000;
export const REGISTER_REQ = 0x0001;
export const REGISTER_ACK = 0x0081;
export const START_MEDIA_TRANSMISSION = 0x008a;
export const VERSION = 0x0098;
export const REGISTER_REJECT = 0x009d;
export const CALL_STATE = 0x0111;

const STATION: [number, string][] = [
  [0x0000, 'KeepAlive'],
  [0x0001, 'RegisterReq'],
  [0x0002, 'IpPort'],
  [0x0003, 'KeypadButton'],
  [0x0004, 'EnblocCall'],
  [0x0005, 'Stimulus'],
  [0x0006, 'OffHook'],
  [0x0007, 'OnHook'],
  [0x0008, 'HookFlash'],
  [0x0009, 'ForwardStatReq'],
  [0x000a, 'SpeedDialStatReq'],
  [0x000b, 'LineStatReq'],
  [0x000c, 'ConfigStatReq'],
  [0x000d, 'TimeDateReq'],
  [0x000e, 'ButtonTemplateReq'],
  [0x000f, 'VersionReq'],
  [0x0010, 'CapabilitiesRes'],
  [0x0012, 'ServerReq'],
  [0x0020, 'Alarm'],
  [0x0021, 'MulticastMediaReceptionAck'],
  [0x0022, 'OpenReceiveChannelAck'],
  [0x0023, 'ConnectionStatisticsRes'],
  [0x0024, 'OffHookWithCgpn'],
  [0x0025, 'SoftKeySetReq'],
  [0x0026, 'SoftKeyEvent'],
  [0x0027, 'Unregister'],
  [0x0028, 'SoftKeyTemplateReq'],
  [0x0029, 'RegisterTokenReq'],
  [0x002a, 'MediaTransmissionFailure'],
  [0x002b, 'HeadsetStatus'],
  [0x002c, 'MediaResourceNotification'],
  [0x002d, 'RegisterAvailableLines'],
  [0x002e, 'DeviceToUserData'],
  [0x002f, 'DeviceToUserDataResponse'],
  [0x0030, 'UpdateCapabilities'],
  [0x0031, 'OpenMultiMediaReceiveChannelAck'],
  [0x0032, 'ClearConference'],
  [0x0033, 'ServiceURLStatReq'],
  [0x0034, 'FeatureStatReq'],
  [0x0035, 'CreateConferenceRes'],
  [0x0036, 'DeleteConferenceRes'],
  [0x0037, 'ModifyConferenceRes'],
  [0x0038, 'AddParticipantRes'],
  [0x0039, 'AuditConferenceRes'],
  [0x0040, 'AuditParticipantRes'],
  [0x0041, 'DeviceToUserDataVersion1'],
  [0x0042, 'DeviceToUserDataResponseVersion1'],
  [0x0043, 'UpdateCapabilitiesV2'],
  [0x0044, 'UpdateCapabilitiesV3'],
  [0x0045, 'PortRes'],
  [0x0046, 'QoSResvNotify'],
  [0x0047, 'QoSErrorNotify'],
  [0x0048, 'SubscriptionStatReq'],
  [0x0049, 'MediaPathEvent'],
  [0x004a, 'MediaPathCapability'],
  [0x004c, 'MwiNotification'],
  [0x0154, 'StartMediaTransmissionAck'],
  [0x0155, 'StartMultiMediaTransmissionAck'],
];

const CM: [number, string][] = [
  [0x0081, 'RegisterAck'],
  [0x0082, 'StartTone'],
  [0x0083, 'StopTone'],
  [0x0085, 'SetRinger'],
  [0x0086, 'SetLamp'],
  [0x0087, 'SetHookFlashDetect'],
  [0x0088, 'SetSpeakerMode'],
  [0x0089, 'SetMicroMode'],
  [0x008a, 'StartMediaTransmission'],
  [0x008b, 'StopMediaTransmission'],
  [0x008f, 'CallInfo'],
  [0x0090, 'ForwardStat'],
  [0x0091, 'SpeedDialStat'],
  [0x0092, 'LineStat'],
  [0x0093, 'ConfigStat'],
  [0x0094, 'DefineTimeDate'],
  [0x0095, 'StartSessionTransmission'],
  [0x0096, 'StopSessionTransmission'],
  [0x0097, 'ButtonTemplate'],
  [0x0098, 'VersionRes'],
  [0x0099, 'DisplayText'],
  [0x009a, 'ClearDisplay'],
  [0x009b, 'CapabilitiesReq'],
  [0x009d, 'RegisterReject'],
  [0x009e, 'ServerRes'],
  [0x009f, 'Reset'],
  [0x0100, 'KeepAliveAck'],
  [0x0101, 'StartMulticastMediaReception'],
  [0x0102, 'StartMulticastMediaTransmission'],
  [0x0103, 'StopMulticastMediaReception'],
  [0x0104, 'StopMulticastMediaTransmission'],
  [0x0105, 'OpenReceiveChannel'],
  [0x0106, 'CloseReceiveChannel'],
  [0x0107, 'ConnectionStatisticsReq'],
  [0x0108, 'SoftKeyTemplateRes'],
  [0x0109, 'SoftKeySetRes'],
  [0x0110, 'SelectSoftKeys'],
  [0x0111, 'CallState'],
  [0x0112, 'DisplayPromptStatus'],
  [0x0113, 'ClearPromptStatus'],
  [0x0114, 'DisplayNotify'],
  [0x0115, 'ClearNotify'],
  [0x0116, 'ActivateCallPlane'],
  [0x0117, 'DeactivateCallPlane'],
  [0x0118, 'UnregisterAck'],
  [0x0119, 'BackSpaceReq'],
  [0x011a, 'RegisterTokenAck'],
  [0x011b, 'RegisterTokenReject'],
  [0x011c, 'StartMediaFailureDetection'],
  [0x011d, 'DialedNumber'],
  [0x011e, 'UserToDeviceData'],
  [0x011f, 'FeatureStat'],
  [0x0120, 'DisplayPriNotify'],
  [0x0121, 'ClearPriNotify'],
  [0x0122, 'StartAnnouncement'],
  [0x0123, 'StopAnnouncement'],
  [0x0124, 'AnnouncementFinish'],
  [0x0127, 'NotifyDtmfTone'],
  [0x0128, 'SendDtmfTone'],
  [0x012f, 'ServiceURLStat'],
  [0x0130, 'CallSelectStat'],
  [0x0131, 'OpenMultiMediaReceiveChannel'],
  [0x0132, 'StartMultiMediaTransmission'],
  [0x0133, 'StopMultiMediaTransmission'],
  [0x0134, 'MiscellaneousCommand'],
  [0x0135, 'FlowControlCommand'],
  [0x0136, 'CloseMultiMediaReceiveChannel'],
  [0x0137, 'CreateConferenceReq'],
  [0x0138, 'DeleteConferenceReq'],
  [0x0139, 'ModifyConferenceReq'],
  [0x013a, 'AddParticipantReq'],
  [0x013b, 'DropParticipantReq'],
  [0x013c, 'AuditConferenceReq'],
  [0x013d, 'AuditParticipantReq'],
  [0x013f, 'UserToDeviceDataVersion1'],
  [0x0140, 'VideoDisplayCommand'],
  [0x0141, 'FlowControlNotify'],
  [0x0142, 'ConfigStatV2'],
  [0x0143, 'DisplayNotifyV2'],
  [0x0144, 'DisplayPriNotifyV2'],
  [0x0145, 'DisplayPromptStatusV2'],
  [0x0146, 'FeatureStatV2'],
  [0x0147, 'LineStatV2'],
  [0x0148, 'ServiceURLStatV2'],
  [0x0149, 'SpeedDialStatV2'],
  [0x014a, 'CallInfoV2'],
  [0x014b, 'PortReq'],
  [0x014c, 'PortClose'],
  [0x014d, 'QoSListen'],
  [0x014e, 'QoSPath'],
  [0x014f, 'QoSTeardown'],
  [0x0150, 'UpdateDSCP'],
  [0x0151, 'QoSModify'],
  [0x0152, 'SubscriptionStat'],
  [0x0153, 'Notification'],
];

/**
 * Messages only a phone's call manager sends it: ringer, lamps, tones, soft keys, the call plane
 * and call states drive a handset's user interface, which conference bridges and media
 * termination points do not have.
 */
export const PHONE_UI = new Set([0x0082, 0x0085, 0x0086, 0x0088, 0x0099, 0x0110, 0x0111, 0x0112, 0x0116, 0x0145]);

const NAMES = new Map<number, string>();
const SENDER = new Map<number, number>();
for (const [id, name] of STATION) {
  NAMES.set(id, name);
  SENDER.set(id, FROM_STATION);
}
for (const [id, name] of CM) {
  NAMES.set(id, name);
  SENDER.set(id, FROM_CM);
}

/** Cisco's name of a message id, or undefined for one not listed. */
export function messageName(id: number): string | undefined {
  return NAMES.get(id);
}

/** FROM_STATION, FROM_CM, or 0 for an id not listed. */
export function messageSender(id: number): number {
  return SENDER.get(id) ?? 0;
}
