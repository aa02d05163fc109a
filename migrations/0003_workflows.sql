CREATE TABLE "webhook_triggers" (
	"id" uuid PRIMARY KEY NOT NULL,
	"workspace_id" uuid NOT NULL,
	"workspace_slug" text NOT NULL,
	"workflow_id" uuid NOT NULL,
	"version_id" uuid NOT NULL,
	"node_id" text NOT NULL,
	"path" text NOT NULL,
	"method" text NOT NULL,
	"mode" text NOT NULL,
	"auth" jsonb NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	CONSTRAINT "webhook_triggers_mode_valid" CHECK ("webhook_triggers"."mode" IN ('sync', 'async'))
);
--> statement-breakpoint
CREATE TABLE "workflow_versions" (
	"id" uuid PRIMARY KEY NOT NULL,
	"workflow_id" uuid NOT NULL,
	"workspace_id" uuid NOT NULL,
	"version" integer NOT NULL,
	"graph" jsonb NOT NULL,
	"message" text DEFAULT '' NOT NULL,
	"published_by" text NOT NULL,
	"published_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "workflows" (
	"id" uuid PRIMARY KEY NOT NULL,
	"workspace_id" uuid NOT NULL,
	"name" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"draft_graph" jsonb NOT NULL,
	"draft_updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"published_version_id" uuid,
	"saving_policy" text DEFAULT 'all' NOT NULL,
	"concurrency_limit" integer,
	"timeout_ms" integer DEFAULT 300000 NOT NULL,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"archived_at" timestamp with time zone,
	CONSTRAINT "workflows_saving_policy_valid" CHECK ("workflows"."saving_policy" IN ('all', 'failed', 'none')),
	CONSTRAINT "workflows_concurrency_positive" CHECK ("workflows"."concurrency_limit" IS NULL OR "workflows"."concurrency_limit" > 0),
	CONSTRAINT "workflows_timeout_positive" CHECK ("workflows"."timeout_ms" > 0)
);
--> statement-breakpoint
CREATE TABLE "run_retention_policies" (
	"workspace_id" uuid PRIMARY KEY NOT NULL,
	"max_age_days" integer DEFAULT 30 NOT NULL,
	"max_runs" integer DEFAULT 10000 NOT NULL,
	CONSTRAINT "run_retention_positive" CHECK ("run_retention_policies"."max_age_days" > 0 AND "run_retention_policies"."max_runs" > 0)
);
--> statement-breakpoint
CREATE TABLE "run_steps" (
	"run_id" uuid NOT NULL,
	"node_id" text NOT NULL,
	"status" text NOT NULL,
	"port" text,
	"output" jsonb,
	"output_truncated" boolean DEFAULT false NOT NULL,
	"error" jsonb,
	"attempts" integer DEFAULT 0 NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"finished_at" timestamp with time zone NOT NULL,
	CONSTRAINT "run_steps_run_id_node_id_pk" PRIMARY KEY("run_id","node_id")
);
--> statement-breakpoint
CREATE TABLE "runs" (
	"id" uuid PRIMARY KEY NOT NULL,
	"workspace_id" uuid NOT NULL,
	"workflow_id" uuid NOT NULL,
	"version_id" uuid NOT NULL,
	"version_number" integer NOT NULL,
	"status" text NOT NULL,
	"trigger_kind" text NOT NULL,
	"idempotency_key" text,
	"source_run_id" uuid,
	"input" jsonb,
	"response" jsonb,
	"error" jsonb,
	"attempt" integer DEFAULT 0 NOT NULL,
	"concurrency_limit" integer,
	"timeout_ms" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"available_at" timestamp with time zone DEFAULT now() NOT NULL,
	"started_at" timestamp with time zone,
	"finished_at" timestamp with time zone,
	"cancel_requested_at" timestamp with time zone,
	"lease_owner" text,
	"lease_expires_at" timestamp with time zone,
	CONSTRAINT "runs_status_valid" CHECK ("runs"."status" IN ('queued', 'running', 'succeeded', 'failed', 'cancelled', 'timed_out'))
);
--> statement-breakpoint
ALTER TABLE "webhook_triggers" ADD CONSTRAINT "webhook_triggers_workflow_id_workflows_id_fk" FOREIGN KEY ("workflow_id") REFERENCES "public"."workflows"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "workflow_versions" ADD CONSTRAINT "workflow_versions_workflow_id_workflows_id_fk" FOREIGN KEY ("workflow_id") REFERENCES "public"."workflows"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "run_steps" ADD CONSTRAINT "run_steps_run_id_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."runs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "webhook_triggers_node_idx" ON "webhook_triggers" USING btree ("workflow_id","node_id");--> statement-breakpoint
CREATE UNIQUE INDEX "webhook_triggers_active_path_idx" ON "webhook_triggers" USING btree ("workspace_id","path") WHERE "webhook_triggers"."active";--> statement-breakpoint
CREATE INDEX "webhook_triggers_slug_path_idx" ON "webhook_triggers" USING btree ("workspace_slug","path");--> statement-breakpoint
CREATE UNIQUE INDEX "workflow_versions_number_idx" ON "workflow_versions" USING btree ("workflow_id","version");--> statement-breakpoint
CREATE INDEX "workflow_versions_published_by_idx" ON "workflow_versions" USING btree ("published_by");--> statement-breakpoint
CREATE INDEX "workflows_workspace_idx" ON "workflows" USING btree ("workspace_id","id");--> statement-breakpoint
CREATE INDEX "workflows_created_by_idx" ON "workflows" USING btree ("created_by");--> statement-breakpoint
CREATE UNIQUE INDEX "runs_idempotency_idx" ON "runs" USING btree ("workflow_id","idempotency_key");--> statement-breakpoint
CREATE INDEX "runs_workspace_created_idx" ON "runs" USING btree ("workspace_id","created_at","id");--> statement-breakpoint
CREATE INDEX "runs_workflow_status_idx" ON "runs" USING btree ("workflow_id","status");--> statement-breakpoint
CREATE INDEX "runs_due_idx" ON "runs" USING btree ("available_at") WHERE "runs"."status" = 'queued';--> statement-breakpoint
CREATE INDEX "runs_leased_idx" ON "runs" USING btree ("lease_expires_at") WHERE "runs"."status" = 'running';--> statement-breakpoint
-- A published version is immutable: runs record the version they ran, and
-- rollback publishes an old graph again instead of editing history.
CREATE FUNCTION workflow_versions_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.graph IS DISTINCT FROM OLD.graph OR NEW.version IS DISTINCT FROM OLD.version OR NEW.workflow_id IS DISTINCT FROM OLD.workflow_id THEN
    RAISE EXCEPTION 'a published workflow version is immutable' USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NEW;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER workflow_versions_immutable BEFORE UPDATE ON workflow_versions
  FOR EACH ROW EXECUTE FUNCTION workflow_versions_guard();
