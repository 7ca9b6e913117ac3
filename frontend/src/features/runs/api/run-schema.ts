// Response types and schemas: generated from the API's OpenAPI document (src/client, never
// edited by hand; docs/frontend-client.md). Named here for the feature's readers.
import type { AccountRunOut, ErrorItem, RunDetail as RunDetailOut, RunOut, RunStatus } from '@/client/types.gen';
import { zRunDetail, zRunOut } from '@/client/zod.gen';

export type { RunStatus };
export const runSchema = zRunOut;
export type Run = RunOut;
export type MessageError = ErrorItem;
export type AccountRun = AccountRunOut;
export const runDetailSchema = zRunDetail;
export type RunDetail = RunDetailOut;
