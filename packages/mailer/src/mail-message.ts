/** One outgoing mail. `text` is required: every mail must read well without HTML. */
export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html?: string;
}

export interface Mailer {
  send(message: MailMessage): Promise<void>;
  /** Closes the SMTP connection, if any. */
  close(): Promise<void>;
}
