// Names for OPC UA numbers (OPC 10000-6 §5.2.2.9 NodeId encodings of the services' DefaultBinary
// encodings, OPC 10000-4 §5 service sets, OPC 10000-4 §7.39 status codes — the subset a channel,
// session or security decision produces; others print as hex).

/** DefaultBinary encoding ids (namespace 0) of the service messages, by OPC 10000-4's service sets. */
export const SERVICE_NAMES: ReadonlyMap<number, string> = new Map([
  [397, 'ServiceFault'],
  [422, 'FindServersRequest'], [425, 'FindServersResponse'],
  [428, 'GetEndpointsRequest'], [431, 'GetEndpointsResponse'],
  [437, 'RegisterServerRequest'], [440, 'RegisterServerResponse'],
  [446, 'OpenSecureChannelRequest'], [449, 'OpenSecureChannelResponse'],
  [452, 'CloseSecureChannelRequest'], [455, 'CloseSecureChannelResponse'],
  [461, 'CreateSessionRequest'], [464, 'CreateSessionResponse'],
  [467, 'ActivateSessionRequest'], [470, 'ActivateSessionResponse'],
  [473, 'CloseSessionRequest'], [476, 'CloseSessionResponse'],
  [479, 'CancelRequest'], [482, 'CancelResponse'],
  [488, 'AddNodesRequest'], [491, 'AddNodesResponse'],
  [494, 'AddReferencesRequest'], [497, 'AddReferencesResponse'],
  [500, 'DeleteNodesRequest'], [503, 'DeleteNodesResponse'],
  [506, 'DeleteReferencesRequest'], [509, 'DeleteReferencesResponse'],
  [527, 'BrowseRequest'], [530, 'BrowseResponse'],
  [533, 'BrowseNextRequest'], [536, 'BrowseNextResponse'],
  [554, 'TranslateBrowsePathsToNodeIdsRequest'], [557, 'TranslateBrowsePathsToNodeIdsResponse'],
  [560, 'RegisterNodesRequest'], [563, 'RegisterNodesResponse'],
  [566, 'UnregisterNodesRequest'], [569, 'UnregisterNodesResponse'],
  [615, 'QueryFirstRequest'], [618, 'QueryFirstResponse'],
  [621, 'QueryNextRequest'], [624, 'QueryNextResponse'],
  [631, 'ReadRequest'], [634, 'ReadResponse'],
  [664, 'HistoryReadRequest'], [667, 'HistoryReadResponse'],
  [673, 'WriteRequest'], [676, 'WriteResponse'],
  [700, 'HistoryUpdateRequest'], [703, 'HistoryUpdateResponse'],
  [712, 'CallRequest'], [715, 'CallResponse'],
  [751, 'CreateMonitoredItemsRequest'], [754, 'CreateMonitoredItemsResponse'],
  [763, 'ModifyMonitoredItemsRequest'], [766, 'ModifyMonitoredItemsResponse'],
  [769, 'SetMonitoringModeRequest'], [772, 'SetMonitoringModeResponse'],
  [775, 'SetTriggeringRequest'], [778, 'SetTriggeringResponse'],
  [781, 'DeleteMonitoredItemsRequest'], [784, 'DeleteMonitoredItemsResponse'],
  [787, 'CreateSubscriptionRequest'], [790, 'CreateSubscriptionResponse'],
  [793, 'ModifySubscriptionRequest'], [796, 'ModifySubscriptionResponse'],
  [799, 'SetPublishingModeRequest'], [802, 'SetPublishingModeResponse'],
  [826, 'PublishRequest'], [829, 'PublishResponse'],
  [832, 'RepublishRequest'], [835, 'RepublishResponse'],
  [841, 'TransferSubscriptionsRequest'], [844, 'TransferSubscriptionsResponse'],
  [847, 'DeleteSubscriptionsRequest'], [850, 'DeleteSubscriptionsResponse'],
  [12208, 'FindServersOnNetworkRequest'], [12209, 'FindServersOnNetworkResponse'],
  [12211, 'RegisterServer2Request'], [12212, 'RegisterServer2Response'],
]);

export const OPEN_SECURE_CHANNEL_REQUEST = 446;
export const OPEN_SECURE_CHANNEL_RESPONSE = 449;
export const FIND_SERVERS_RESPONSE = 425;
export const GET_ENDPOINTS_RESPONSE = 431;
export const CREATE_SESSION_REQUEST = 461;
export const CREATE_SESSION_RESPONSE = 464;
export const ACTIVATE_SESSION_REQUEST = 467;
export const ACTIVATE_SESSION_RESPONSE = 470;
export const SERVICE_FAULT = 397;

/** UserIdentityToken DefaultBinary encoding ids (OPC 10000-4 §7.41). */
export const IDENTITY_TOKENS: ReadonlyMap<number, string> = new Map([
  [321, 'AnonymousIdentityToken'],
  [324, 'UserNameIdentityToken'],
  [327, 'X509IdentityToken'],
  [940, 'IssuedIdentityToken'],
]);
export const USERNAME_IDENTITY_TOKEN = 324;

/** MessageSecurityMode (OPC 10000-4 §7.20); 0 is Invalid. */
export const SECURITY_MODES = ['Invalid', 'None', 'Sign', 'SignAndEncrypt'];

/** ApplicationType (OPC 10000-4 §7.2). */
export const APPLICATION_TYPES = ['Server', 'Client', 'ClientAndServer', 'DiscoveryServer'];

/** The security policy URIs' common prefix (OPC 10000-7 security policies). */
export const POLICY_PREFIX = 'http://opcfoundation.org/UA/SecurityPolicy#';
export const POLICY_NONE = `${POLICY_PREFIX}None`;

/** "Basic256Sha256" for the standard policies, the URI itself for others. */
export function policyName(uri: string): string {
  return uri.startsWith(POLICY_PREFIX) && uri.length > POLICY_PREFIX.length ? uri.slice(POLICY_PREFIX.length) : uri;
}

const STATUS_NAMES: ReadonlyMap<number, string> = new Map([
  [0x00000000, 'Good'],
  [0x80000000, 'Bad'],
  [0x80010000, 'BadUnexpectedError'],
  [0x80020000, 'BadInternalError'],
  [0x80030000, 'BadOutOfMemory'],
  [0x80040000, 'BadResourceUnavailable'],
  [0x80050000, 'BadCommunicationError'],
  [0x80060000, 'BadEncodingError'],
  [0x80070000, 'BadDecodingError'],
  [0x80080000, 'BadEncodingLimitsExceeded'],
  [0x800a0000, 'BadTimeout'],
  [0x800b0000, 'BadServiceUnsupported'],
  [0x800c0000, 'BadShutdown'],
  [0x800d0000, 'BadServerNotConnected'],
  [0x800e0000, 'BadServerHalted'],
  [0x80100000, 'BadTooManyOperations'],
  [0x80120000, 'BadCertificateInvalid'],
  [0x80130000, 'BadSecurityChecksFailed'],
  [0x80140000, 'BadCertificateTimeInvalid'],
  [0x80160000, 'BadCertificateHostNameInvalid'],
  [0x80170000, 'BadCertificateUriInvalid'],
  [0x801a0000, 'BadCertificateUntrusted'],
  [0x801d0000, 'BadCertificateRevoked'],
  [0x801f0000, 'BadUserAccessDenied'],
  [0x80200000, 'BadIdentityTokenInvalid'],
  [0x80210000, 'BadIdentityTokenRejected'],
  [0x80220000, 'BadSecureChannelIdInvalid'],
  [0x80230000, 'BadInvalidTimestamp'],
  [0x80240000, 'BadNonceInvalid'],
  [0x80250000, 'BadSessionIdInvalid'],
  [0x80260000, 'BadSessionClosed'],
  [0x80270000, 'BadSessionNotActivated'],
  [0x802a0000, 'BadRequestHeaderInvalid'],
  [0x80530000, 'BadRequestTypeInvalid'],
  [0x80540000, 'BadSecurityModeRejected'],
  [0x80550000, 'BadSecurityPolicyRejected'],
  [0x80560000, 'BadTooManySessions'],
  [0x80570000, 'BadUserSignatureInvalid'],
  [0x80580000, 'BadApplicationSignatureInvalid'],
  [0x80e60000, 'BadSecurityModeInsufficient'],
  [0x807d0000, 'BadTcpServerTooBusy'],
  [0x807e0000, 'BadTcpMessageTypeInvalid'],
  [0x807f0000, 'BadTcpSecureChannelUnknown'],
  [0x80800000, 'BadTcpMessageTooLarge'],
  [0x80810000, 'BadTcpNotEnoughResources'],
  [0x80820000, 'BadTcpInternalError'],
  [0x80830000, 'BadTcpEndpointUrlInvalid'],
  [0x80840000, 'BadRequestInterrupted'],
  [0x80850000, 'BadRequestTimeout'],
  [0x80860000, 'BadSecureChannelClosed'],
  [0x80870000, 'BadSecureChannelTokenUnknown'],
  [0x80880000, 'BadSequenceNumberInvalid'],
  [0x80be0000, 'BadProtocolVersionUnsupported'],
]);

/** A status code's symbolic name; the low 16 bits (info bits) are ignored for the name. */
export function statusName(code: number): string {
  const n = STATUS_NAMES.get((code & 0xffff0000) >>> 0);
  return n ?? `0x${(code >>> 0).toString(16).padStart(8, '0')}`;
}
