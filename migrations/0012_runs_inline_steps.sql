-- Inline steps for runs written after they ended (runs.steps), and the two indexes that only
-- unfinished or keyed runs need made partial: fewer writes per stored webhook run.
DROP INDEX "runs_idempotency_idx";--> statement-breakpoint
DROP INDEX "runs_workflow_status_idx";--> statement-breakpoint
ALTER TABLE "runs" ADD COLUMN "steps" jsonb;--> statement-breakpoint
CREATE UNIQUE INDEX "runs_idempotency_idx" ON "runs" USING btree ("workflow_id","idempotency_key") WHERE "runs"."idempotency_key" IS NOT NULL;--> statement-breakpoint
CREATE INDEX "runs_workflow_status_idx" ON "runs" USING btree ("workflow_id","status") WHERE "runs"."status" IN ('queued', 'running', 'waiting');