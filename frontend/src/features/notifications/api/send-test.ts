import { useMutation, useQueryClient } from '@tanstack/react-query';
import { z } from 'zod';
import { api } from '@/lib/api-client';
import { queryKeys } from '@/lib/query-keys';
import { notificationSchema } from '@/features/notifications/api/notification-schema';

const testSchema = z.object({ notifications: z.array(notificationSchema) });

export const sendTestNotification = () => api.post('/settings/notifications/test', undefined, testSchema);

export function useSendTestNotification() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: sendTestNotification,
    onSuccess: () => client.invalidateQueries({ queryKey: queryKeys.notifications }),
  });
}
