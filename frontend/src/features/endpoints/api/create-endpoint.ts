import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { queryKeys } from '@/lib/query-keys';
import {
  endpointSchema,
  toEndpointRequest,
  type Endpoint,
  type EndpointInput,
} from '@/features/endpoints/api/endpoint-schema';

export const createEndpoint = (input: EndpointInput) => api.post('/endpoints', toEndpointRequest(input), endpointSchema);

export function useCreateEndpoint({ onSuccess }: { onSuccess?: (endpoint: Endpoint) => void } = {}) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: createEndpoint,
    onSuccess: (endpoint) => {
      void client.invalidateQueries({ queryKey: queryKeys.endpoints });
      onSuccess?.(endpoint);
    },
  });
}
