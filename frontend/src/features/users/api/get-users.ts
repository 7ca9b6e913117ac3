import { queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { listResponse } from '@/lib/list-response';
import { queryKeys } from '@/lib/query-keys';
import { userSchema } from '@/features/users/api/user-schema';

export const getUsers = (signal?: AbortSignal) => api.get('/users', listResponse(userSchema, 'users'), signal);

export const getUsersQueryOptions = () =>
  queryOptions({ queryKey: queryKeys.users, queryFn: ({ signal }) => getUsers(signal) });

export const useUsers = () => useQuery(getUsersQueryOptions());
