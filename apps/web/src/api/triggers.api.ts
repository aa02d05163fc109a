import { api } from './api-client';

export interface Schedule {
  id: string;
  workflowId: string;
  versionId: string;
  nodeId: string;
  cron: string;
  timezone: string;
  missedFirePolicy: string;
  nextFireAt: string;
  lastFiredAt: string | null;
  lastRunId: string | null;
}

export const triggersApi = {
  listSchedules: (workspace: string) => api.get<{ items: Schedule[] }>(`/api/v1/workspaces/${encodeURIComponent(workspace)}/schedules`).then((reply) => reply.items),
};
