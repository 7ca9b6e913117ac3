import type { FieldValues, Path, UseFormSetError } from 'react-hook-form';
import { ApiError } from '@/lib/api-client';

/**
 * Put the server's per-field messages (error.fields) under the matching form
 * fields. The message itself is already in the error banner.
 */
export function applyServerFieldErrors<T extends FieldValues>(
  error: unknown,
  setError: UseFormSetError<T>,
  fieldNames: readonly Path<T>[],
): void {
  if (!(error instanceof ApiError)) return;
  for (const [name, message] of Object.entries(error.fields)) {
    const field = fieldNames.find((f) => f === name);
    if (field) setError(field, { type: 'server', message });
  }
}
