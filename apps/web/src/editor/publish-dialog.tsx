import { useState } from 'react';
import { Button } from '../components/button';
import { Dialog } from '../components/dialog';
import { Field } from '../components/field';
import { Textarea } from '../components/input';
import { readDraft, removeDraft, writeDraft } from '../lib/form-draft';

interface PublishDialogProps {
  workflowId: string;
  isOpen: boolean;
  isPublishing: boolean;
  hasUnsavedChanges: boolean;
  problemCount: number;
  nextVersion: number;
  onClose: () => void;
  onPublish: (message: string) => void;
}

/** Publishing makes the draft the live version; the message is what the version list shows. */
export function PublishDialog({ workflowId, isOpen, isPublishing, hasUnsavedChanges, problemCount, nextVersion, onClose, onPublish }: PublishDialogProps) {
  const draftKey = `publish-message:${workflowId}`;
  const [message, setMessage] = useState(() => readDraft<string>(draftKey) ?? '');
  return (
    <Dialog
      isOpen={isOpen}
      title={`Publish version ${nextVersion}`}
      onClose={onClose}
      onSubmit={() => {
        removeDraft(draftKey);
        onPublish(message.trim());
      }}
      footer={
        <>
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" variant="primary" isLoading={isPublishing}>
            {hasUnsavedChanges ? 'Save and publish' : 'Publish'}
          </Button>
        </>
      }
    >
      <div className="stack">
        <p className="muted">Runs started from now on use this version. Runs in progress finish on the version they started with.</p>
        {problemCount > 0 ? (
          <div className="callout callout-warning">The draft has {problemCount === 1 ? 'a problem' : `${problemCount} problems`}; publishing will list what to fix.</div>
        ) : null}
        <Field label="What changed?" isOptional hint="Shown in the version history, like a commit message.">
          {(control) => (
            <Textarea
              {...control}
              rows={3}
              maxLength={1000}
              autoFocus
              value={message}
              onChange={(event) => {
                setMessage(event.target.value);
                writeDraft(draftKey, event.target.value);
              }}
            />
          )}
        </Field>
      </div>
    </Dialog>
  );
}
