import type { ScheduleList, ScheduleView } from '@weft/contracts';
import { api } from './api-client';

export type Schedule = ScheduleView;

export const triggersApi = {
  listSchedules: (workspace: string) => api.get<ScheduleList>(`/api/v1/workspaces/${encodeURIComponent(workspace)}/schedules`).then((reply) => reply.items),
};
