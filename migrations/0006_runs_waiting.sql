CREATE TABLE "run_callbacks" (
	"token_hash" text PRIMARY KEY NOT NULL,
	"run_id" uuid NOT NULL,
	"node_id" text NOT NULL,
	"workspace_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "runs" DROP CONSTRAINT "runs_status_valid";--> statement-breakpoint
ALTER TABLE "run_steps" ADD COLUMN "wait" jsonb;--> statement-breakpoint
ALTER TABLE "runs" ADD COLUMN "wait_node_id" text;--> statement-breakpoint
ALTER TABLE "runs" ADD COLUMN "resume_input" jsonb;--> statement-breakpoint
ALTER TABLE "run_callbacks" ADD CONSTRAINT "run_callbacks_run_id_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."runs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "run_callbacks_run_idx" ON "run_callbacks" USING btree ("run_id");--> statement-breakpoint
CREATE INDEX "runs_waiting_idx" ON "runs" USING btree ("available_at") WHERE "runs"."status" = 'waiting';--> statement-breakpoint
ALTER TABLE "runs" ADD CONSTRAINT "runs_status_valid" CHECK ("runs"."status" IN ('queued', 'running', 'waiting', 'succeeded', 'failed', 'cancelled', 'timed_out'));