import { z } from 'zod';
import type { SessionOut, UserOut } from '@/client/types.gen';
import { zSessionOut } from '@/client/zod.gen';

// Responses: generated from the API's OpenAPI document (docs/frontend-client.md).
export const sessionSchema = zSessionOut;

/** GET /auth/me: a 401 means logged out; so does a 200 with `user: null`, if the API answers that way. */
export const meSchema = z.union([sessionSchema, z.object({ user: z.null() }).transform(() => null)]);

export type User = UserOut;
export type Session = SessionOut;
