/**
 * Which role may use which page: a copy of bff/src/modules/staff/roles.ts CAPABILITIES for the menu only
 * (the pages cannot import the BFF). The server still decides every call; test/miniapp-admin checks the
 * copy against the table.
 */
import type { StaffRole } from '@eid/shared';

export const UI_CAPABILITIES = {
  self: ['officer', 'supervisor', 'auditor', 'administrator', 'national_operator'],
  window: ['officer', 'supervisor'],
  lookup: ['officer', 'supervisor'],
  decide: ['supervisor'],
  audit: ['auditor'],
  dashboard: ['supervisor', 'auditor', 'administrator'],
  accounts: ['administrator'],
  parties: ['administrator'],
  keys: ['administrator', 'auditor'],
} as const satisfies Record<string, readonly StaffRole[]>;

export type UiCapability = keyof typeof UI_CAPABILITIES;

export function may(role: StaffRole | undefined, capability: UiCapability): boolean {
  return role !== undefined && (UI_CAPABILITIES[capability] as readonly string[]).includes(role);
}
