import { z } from 'zod';

/**
 * A list endpoint answers a bare JSON array; an envelope such as
 * `{"tasks": [...]}` is accepted too so the UI does not break if the API wraps it.
 */
export function listResponse<T extends z.ZodType>(item: T, envelopeKey: string) {
  return z.preprocess((value) => {
    if (Array.isArray(value) || value === null || typeof value !== 'object') return value;
    return (value as Record<string, unknown>)[envelopeKey];
  }, z.array(item));
}
