import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { queryKeys } from '@/lib/query-keys';
import type { FolderMappingBody } from '@/features/tasks/lib/folder-mapping';

export type FolderMappingInput = FolderMappingBody;

export const updateFolderMapping = (taskId: number, input: FolderMappingInput) =>
  api.put(`/tasks/${taskId}/folder-mapping`, input);

export function useUpdateFolderMapping(taskId: number, { onSuccess }: { onSuccess?: () => void } = {}) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: FolderMappingInput) => updateFolderMapping(taskId, input),
    onSuccess: async () => {
      onSuccess?.();
      await Promise.all([
        client.invalidateQueries({ queryKey: queryKeys.task(taskId) }),
        client.invalidateQueries({ queryKey: queryKeys.plan(taskId) }),
      ]);
    },
  });
}
