import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { queryKeys } from '@/lib/query-keys';
import {
  notificationSettingsSchema,
  type NotificationSettingsInput,
} from '@/features/notifications/api/notification-schema';

export const saveNotificationSettings = (input: NotificationSettingsInput) =>
  api.put('/settings/notifications', input, notificationSettingsSchema);

export function useSaveNotificationSettings({ onSuccess }: { onSuccess?: () => void } = {}) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: saveNotificationSettings,
    onSuccess: async () => {
      onSuccess?.();
      await client.invalidateQueries({ queryKey: queryKeys.notificationSettings });
    },
  });
}
