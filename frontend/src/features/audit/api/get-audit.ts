import { useInfiniteQuery } from '@tanstack/react-query';
import { z } from 'zod';
import { api } from '@/lib/api-client';
import { listResponse } from '@/lib/list-response';
import { queryKeys } from '@/lib/query-keys';

export const auditEntrySchema = z.object({
  id: z.number(),
  at: z.string(),
  actor: z.string(),
  address: z.string().nullable(),
  action: z.string(),
  target_type: z.string().nullable(),
  target_id: z.number().nullable(),
  task_id: z.number().nullable(),
  before: z.record(z.string(), z.unknown()).nullable(),
  after: z.record(z.string(), z.unknown()).nullable(),
});

export type AuditEntry = z.infer<typeof auditEntrySchema>;
export type AuditFilters = { task_id: string; user: string; action: string };

export const AUDIT_PAGE_SIZE = 50;

export function auditPath(filters: AuditFilters, cursor: number | null): string {
  const params = new URLSearchParams({ limit: String(AUDIT_PAGE_SIZE) });
  for (const [name, value] of Object.entries(filters)) if (value.trim()) params.set(name, value.trim());
  if (cursor !== null) params.set('cursor', String(cursor));
  return `/audit?${params.toString()}`;
}

/** Newest first, a page at a time: the next page starts below the last row's id. */
export const useAudit = (filters: AuditFilters) =>
  useInfiniteQuery({
    queryKey: queryKeys.audit(filters),
    initialPageParam: null as number | null,
    queryFn: ({ pageParam, signal }) => api.get(auditPath(filters, pageParam), listResponse(auditEntrySchema, 'audit'), signal),
    getNextPageParam: (page) => (page.length === AUDIT_PAGE_SIZE ? (page.at(-1)?.id ?? null) : null),
  });
