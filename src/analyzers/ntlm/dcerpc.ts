// The DCE-RPC connection-oriented parser lives with the DCE-RPC analyzer; NTLM reads auth
// verifiers through the same functions.
export * from '../dcerpc/parse.js';
