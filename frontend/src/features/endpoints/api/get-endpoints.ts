import { queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { listResponse } from '@/lib/list-response';
import { queryKeys } from '@/lib/query-keys';
import { endpointSchema } from '@/features/endpoints/api/endpoint-schema';

export const getEndpoints = (signal?: AbortSignal) =>
  api.get('/endpoints', listResponse(endpointSchema, 'endpoints'), signal);

export const getEndpointsQueryOptions = () =>
  queryOptions({ queryKey: queryKeys.endpoints, queryFn: ({ signal }) => getEndpoints(signal) });

export const useEndpoints = () => useQuery(getEndpointsQueryOptions());
