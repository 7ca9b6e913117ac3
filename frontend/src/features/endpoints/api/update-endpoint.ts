import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { queryKeys } from '@/lib/query-keys';
import {
  endpointSchema,
  toEndpointRequest,
  type Endpoint,
  type EndpointInput,
} from '@/features/endpoints/api/endpoint-schema';

export const updateEndpoint = ({ id, input }: { id: number; input: EndpointInput }) =>
  api.patch(`/endpoints/${id}`, toEndpointRequest(input), endpointSchema);

export function useUpdateEndpoint({ onSuccess }: { onSuccess?: (endpoint: Endpoint) => void } = {}) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: updateEndpoint,
    onSuccess: (endpoint) => {
      void client.invalidateQueries({ queryKey: queryKeys.endpoints });
      onSuccess?.(endpoint);
    },
  });
}
