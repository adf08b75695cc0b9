export { assess, metrics, AssessError, RULES, type AssessInput, type AssessResult } from './assess.js';
export { Observer, ENCRYPTED_SERVICES, type Observations, type HostObs, type Traffic, type CredentialObs, type PhiObs, type TlsWeakness, type ServiceObs, type PairObs } from './observe.js';
export { RISKS, RISK_BY_ID, risk, type RiskDef } from './risks.js';
export { CRITICALITY, level, scoreDevice } from './scoring.js';
export { inferSegments, isLocalAddress, subnetOf } from './segments.js';
export { devicesFromObservations, deviceFromHost, osFromHints } from './hosts.js';
export { deviceIdentities, judgeEol, windowsIdentities, windowsVersionOf, softwareIdentities } from './identity.js';
export { findingId } from './context.js';
