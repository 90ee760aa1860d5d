export * from './asn.ts';
export * from './members.ts';
