import { registerErrorCodes } from '@weft/kernel';

export const WorkflowErrors = registerErrorCodes({
  WORKFLOW_NOT_FOUND: 404,
  WORKFLOW_VERSION_NOT_FOUND: 404,
  /** The graph has problems; `details` lists every one with its node id and path. */
  WORKFLOW_INVALID: 422,
  WORKFLOW_ARCHIVED: 409,
  WORKFLOW_NOT_PUBLISHED: 409,
  /** Another active workflow of the workspace already listens on this webhook path. */
  WORKFLOW_WEBHOOK_PATH_TAKEN: 409,
  /** An import document that is not a Weft workflow export. */
  WORKFLOW_DOCUMENT_INVALID: 400,
  /** The draft has no node with this id. */
  WORKFLOW_NODE_NOT_FOUND: 404,
});
