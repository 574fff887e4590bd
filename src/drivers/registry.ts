// The one explicit table of built-in drivers. The contract test loops over it.
import type { Driver } from './contract.js';
import { nutanixDriver } from './nutanix/index.js';
import { numspotDriver } from './numspot/index.js';

export const builtinDrivers: Readonly<Record<string, Driver>> = {
  nutanix: nutanixDriver,
  numspot: numspotDriver,
};

export function driverNames(): string[] {
  return Object.keys(builtinDrivers).sort();
}
