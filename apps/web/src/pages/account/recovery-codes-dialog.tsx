import { Button } from '../../components/button';
import { CopyButton } from '../../components/copy-button';
import { Dialog } from '../../components/dialog';
import { DownloadIcon } from '../../components/icons';

function downloadText(filename: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/plain' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  link.click();
  URL.revokeObjectURL(url);
}

/** Recovery codes are shown this once: only their hashes are kept by the server. */
export function RecoveryCodesDialog({ codes, onClose }: { codes: string[] | null; onClose: () => void }) {
  const text = codes?.join('\n') ?? '';
  return (
    <Dialog
      isOpen={codes !== null}
      title="Save your recovery codes"
      onClose={onClose}
      footer={
        <Button variant="primary" onClick={onClose}>
          I saved them
        </Button>
      }
    >
      <div className="stack">
        <div className="callout callout-warning">
          Each code signs you in once if you lose your phone. They will not be shown again: store them in your password manager or print them.
        </div>
        <div className="recovery-codes" aria-label="Recovery codes">
          {codes?.map((code) => <span key={code}>{code}</span>)}
        </div>
        <div className="row">
          <CopyButton value={text} label="Copy codes" />
          <Button size="sm" variant="ghost" icon={<DownloadIcon />} onClick={() => downloadText('weft-recovery-codes.txt', `${text}\n`)}>
            Download
          </Button>
        </div>
      </div>
    </Dialog>
  );
}
