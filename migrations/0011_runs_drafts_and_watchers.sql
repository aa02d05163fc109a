ALTER TABLE "runs" ALTER COLUMN "version_id" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "runs" ALTER COLUMN "version_number" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "runs" ADD COLUMN "draft_graph" jsonb;--> statement-breakpoint
ALTER TABLE "runs" ADD COLUMN "is_watched" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "runs" ADD CONSTRAINT "runs_version_or_draft" CHECK (("runs"."version_id" IS NOT NULL AND "runs"."version_number" IS NOT NULL) OR "runs"."draft_graph" IS NOT NULL);--> statement-breakpoint
-- Live run events: a run someone follows (is_watched) announces every change
-- of its row — claim, checkpoint (each one renews the lease in the same
-- statement that writes the step), wait, end, cancel — on weft_run_progress
-- with its id. Watchers re-read the run on each one. The WHEN clause keeps
-- the trigger free for every other run: no function call, no NOTIFY.
CREATE FUNCTION runs_notify_watchers() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('weft_run_progress', NEW.id::text);
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER runs_notify_watchers AFTER UPDATE ON runs
  FOR EACH ROW WHEN (NEW.is_watched) EXECUTE FUNCTION runs_notify_watchers();
