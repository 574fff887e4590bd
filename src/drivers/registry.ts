// The one explicit table of built-in drivers. The contract test loops over it.
import type { Driver } from './contract.js';
import { nutanixDriver } from './nutanix/index.js';

export const builtinDrivers: Readonly<Record<string, Driver>> = {
  nutanix: nutanixDriver,
};

export function driverNames(): string[] {
  return Object.keys(builtinDrivers).sort();
}
