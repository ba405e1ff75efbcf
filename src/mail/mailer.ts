// Outgoing e-mail through nodemailer: SMTP when SMTP_URL is set, otherwise each message is written
// as an .eml file under DATA_DIR/outbox (embedded installs and development need no mail server).
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import nodemailer from 'nodemailer';

export interface Mail { to: string; subject: string; text: string }

export interface Mailer {
  /** True when mail leaves through SMTP; false when it is written to DATA_DIR/outbox. */
  readonly smtp: boolean;
  send(mail: Mail): Promise<void>;
  close(): void;
}

export function createMailer(opts: { smtpUrl: string | undefined; from: string; dataDir: string }): Mailer {
  if (opts.smtpUrl) {
    const transport = nodemailer.createTransport(opts.smtpUrl);
    return {
      smtp: true,
      async send(mail) {
        await transport.sendMail({ from: opts.from, ...mail });
      },
      close: () => transport.close(),
    };
  }
  const outbox = path.join(opts.dataDir, 'outbox');
  const transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  return {
    smtp: false,
    async send(mail) {
      const info = await transport.sendMail({ from: opts.from, ...mail });
      fs.mkdirSync(outbox, { recursive: true, mode: 0o700 });
      const name = `${new Date().toISOString().replace(/[:.]/g, '-')}-${crypto.randomBytes(4).toString('hex')}.eml`;
      fs.writeFileSync(path.join(outbox, name), info.message as Buffer, { mode: 0o600 });
    },
    close: () => transport.close(),
  };
}
