import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { FolderRuleDecision, FolderRulesPreviewOut } from '@/client/types.gen';
import { zFolderRulesPreviewOut } from '@/client/zod.gen';
import { apiRequest } from '@/lib/api-client';

// The response schema is generated from the API's OpenAPI document (docs/frontend-client.md).
export type { FolderRuleDecision, FolderRulesPreviewOut };

export type FolderRulesPreviewInput = {
  include: string[];
  exclude: string[];
  /** The plan's source folder names, and the source's separator (rules see "/" between levels). */
  folders: string[];
  separator: string;
  exclude_folders: string[];
};

/** A computation on the server (Python's `re`, as a run decides): no IMAP, nothing saved. */
export const previewFolderRules = (taskId: number, input: FolderRulesPreviewInput, signal?: AbortSignal) =>
  apiRequest('POST', `/tasks/${taskId}/folder-rules/preview`, { body: input, schema: zFolderRulesPreviewOut, signal });

/** A query, not a mutation: a refused pattern is shown next to the rules, not in the error banner.
 * Off (`enabled` false) for a viewer, who may not change the rules nor ask for their preview: the
 * saved rules' decisions come with the plan. */
export const useFolderRulesPreview = (taskId: number, input: FolderRulesPreviewInput, enabled = true) =>
  useQuery({
    enabled,
    queryKey: ['folder-rules-preview', taskId, input],
    queryFn: ({ signal }) => previewFolderRules(taskId, input, signal),
    placeholderData: keepPreviousData,
    staleTime: Infinity,
    retry: false,
  });
