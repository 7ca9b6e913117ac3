import { createContext, use } from 'react';
import { z } from 'zod';

export const ROLES = ['viewer', 'operator', 'admin'] as const;
export const roleSchema = z.enum(ROLES);
export type Role = z.infer<typeof roleSchema>;

/** Each role includes the ones before it in ROLES (the API enforces the same order). */
export function roleAllows(role: Role | null, needed: Role): boolean {
  return role !== null && ROLES.indexOf(role) >= ROLES.indexOf(needed);
}

/** Why the signed-in user cannot do something that needs `needed`, or null when they can. */
export function blockedReason(role: Role | null, needed: Role): string | null {
  if (role === null || roleAllows(role, needed)) return null;
  return `Your role (${role}) cannot do this: it needs ${needed}. Ask an admin.`;
}

/** The signed-in user's role (provided by the app shell), for the buttons and pages below it. */
export const RoleContext = createContext<Role | null>(null);

export const useRole = () => use(RoleContext);

/** Why the current user may not do an action that needs `needed` (default: operator), or null. */
export const useBlockedReason = (needed: Role = 'operator') => blockedReason(useRole(), needed);
