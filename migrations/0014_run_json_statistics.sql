-- The planner never uses statistics of these JSON documents (no query filters or joins on them),
-- and gathering them was most of ANALYZE's time on the run tables: on the embedded database,
-- where the maintenance job's ANALYZE holds the only connection, run_steps took 1.3 s with them
-- and 0.16 s without. 0 = ANALYZE skips the column.
ALTER TABLE "runs" ALTER COLUMN "input" SET STATISTICS 0;--> statement-breakpoint
ALTER TABLE "runs" ALTER COLUMN "response" SET STATISTICS 0;--> statement-breakpoint
ALTER TABLE "runs" ALTER COLUMN "error" SET STATISTICS 0;--> statement-breakpoint
ALTER TABLE "runs" ALTER COLUMN "steps" SET STATISTICS 0;--> statement-breakpoint
ALTER TABLE "runs" ALTER COLUMN "draft_graph" SET STATISTICS 0;--> statement-breakpoint
ALTER TABLE "runs" ALTER COLUMN "resume_input" SET STATISTICS 0;--> statement-breakpoint
ALTER TABLE "run_steps" ALTER COLUMN "output" SET STATISTICS 0;--> statement-breakpoint
ALTER TABLE "run_steps" ALTER COLUMN "error" SET STATISTICS 0;--> statement-breakpoint
ALTER TABLE "run_steps" ALTER COLUMN "wait" SET STATISTICS 0;
