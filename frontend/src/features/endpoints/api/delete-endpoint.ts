import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { queryKeys } from '@/lib/query-keys';

export const deleteEndpoint = (id: number) => api.delete(`/endpoints/${id}`);

export function useDeleteEndpoint({ onSuccess }: { onSuccess?: () => void } = {}) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: deleteEndpoint,
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: queryKeys.endpoints });
      onSuccess?.();
    },
  });
}
