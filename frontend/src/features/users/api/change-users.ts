import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { queryKeys } from '@/lib/query-keys';
import type { Role } from '@/lib/role';
import { userSchema, type UserInput } from '@/features/users/api/user-schema';

export const createUser = (input: UserInput) => api.post('/users', input, userSchema);
export const setUserRole = ({ id, role }: { id: number; role: Role }) => api.patch(`/users/${id}`, { role }, userSchema);
export const deleteUser = (id: number) => api.delete(`/users/${id}`);

function useUsersMutation<T>(fn: (input: T) => Promise<unknown>, onSuccess?: () => void) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: queryKeys.users });
      onSuccess?.();
    },
  });
}

export const useCreateUser = (onSuccess?: () => void) => useUsersMutation(createUser, onSuccess);
export const useSetUserRole = () => useUsersMutation(setUserRole);
export const useDeleteUser = () => useUsersMutation(deleteUser);
