import { queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { queryKeys } from '@/lib/query-keys';
import { notificationSettingsSchema } from '@/features/notifications/api/notification-schema';

export const getNotificationSettings = (signal?: AbortSignal) =>
  api.get('/settings/notifications', notificationSettingsSchema, signal);

export const getNotificationSettingsQueryOptions = () =>
  queryOptions({ queryKey: queryKeys.notificationSettings, queryFn: ({ signal }) => getNotificationSettings(signal) });

export const useNotificationSettings = () => useQuery(getNotificationSettingsQueryOptions());
