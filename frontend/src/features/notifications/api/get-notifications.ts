import { queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { listResponse } from '@/lib/list-response';
import { queryKeys } from '@/lib/query-keys';
import { notificationSchema } from '@/features/notifications/api/notification-schema';

const notificationsSchema = listResponse(notificationSchema, 'notifications');

export const getNotifications = (signal?: AbortSignal) => api.get('/notifications?limit=100', notificationsSchema, signal);

export const getNotificationsQueryOptions = () =>
  queryOptions({ queryKey: queryKeys.notifications, queryFn: ({ signal }) => getNotifications(signal) });

/** Polled while deliveries are pending or retrying (they settle within seconds to a day). */
export const useNotifications = ({ pollMs }: { pollMs?: number | false } = {}) =>
  useQuery({ ...getNotificationsQueryOptions(), refetchInterval: pollMs ?? false });
