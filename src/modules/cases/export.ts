// The case file export (for a prosecutor or an auditor): one ZIP holding a printable, self-contained
// HTML file of the whole case in the exporter's language, the attachments decrypted as stored, and a
// SHA256SUMS file. The ZIP is produced as it is sent, attachment by attachment, so memory stays flat
// whatever their size; the SHA-256 of the whole ZIP is computed on the way out and written to the
// audit log (`case.exported`) once the response has gone out in full, or `case.export-aborted` if it
// did not. The reporter's identity is never part of an export.
import crypto from 'node:crypto';
import { Readable } from 'node:stream';
import { writeTransaction } from '../../db/index.js';
import { AppError } from '../../errors.js';
import type { Locale } from '../../web/i18n.js';
import { fitsInZip, safeFileName, uniqueNames, ZipWriter } from '../../web/zip.js';
import { appendAudit } from '../audit/service.js';
import { listOrganisations, membersWithRoles } from '../identity/directory.js';
import { rolesFor } from '../identity/roles.js';
import type { ResolvedSession } from '../identity/service.js';
import { listRegions } from '../institutions/service.js';
import { openAttachment } from '../reports/attachments/service.js';
import { answerRows, channelById, questionnaireVersion } from '../reports/channels.js';
import { canExportCases } from './policy.js';
import { type CasesContext, type CaseView, openCase, reportKeys } from './service.js';
import { type CaseFileNames, caseFileHtml, type ExportedFile } from './views/CaseFile.js';

export interface CaseExport {
  /** The archive's file name, e.g. case-42-2026-05-04.zip. */
  name: string;
  /** The ZIP, produced as it is read. It fails (and must not be taken as complete) if a file cannot be read. */
  stream: Readable;
  /**
   * Records in the audit log how the export ended; call it once the response is over. `delivered`:
   * the whole response was handed to the network. Only a delivered, complete archive is `case.exported`.
   */
  settle(delivered: boolean): Promise<void>;
}

/** Room left for the HTML file and SHA256SUMS when checking that an export fits a ZIP without ZIP64. */
const TEXT_ALLOWANCE = 256 * 1024 * 1024;

const pick = (locale: Locale, o: { name_ar: string; name_fr: string; name_en: string; name_zgh: string | null }) => (locale === 'zgh' ? o.name_zgh ?? o.name_fr : o[`name_${locale}`]);

/** Names of what the case refers to, in the exporter's language; staff of other organisations stay unnamed. */
async function caseNames(ctx: CasesContext, s: ResolvedSession, view: CaseView, locale: Locale): Promise<CaseFileNames> {
  const { db } = ctx.database;
  const orgs = await listOrganisations(db);
  const ours = new Set([view.organisationId, s.user.organisation_id!, ...(view.officeId ? [view.officeId] : [])]);
  for (const o of orgs) if (o.kind === 'office' && o.parent_id === view.organisationId) ours.add(o.id);
  const people = await membersWithRoles(db, [...ours], rolesFor('institution'));
  const regions = await listRegions(db);
  const name = (x: { ar: string; fr: string; en: string; zgh: string | null }) => (locale === 'zgh' ? x.zgh ?? x.fr : x[locale]);
  const places = regions.flatMap((r) => [{ code: r.code, name: name(r.name) }, ...r.provinces.map((p) => ({ code: p.code, name: name(p.name) }))]);
  const channel = await channelById(db, view.channelId);
  // The questionnaire the report was made with, so answers read with the labels that were asked.
  const questionnaire = (await questionnaireVersion(db, view.channelId, view.content.questionnaireVersion)) ?? channel?.questionnaire;
  return {
    channel: channel?.name[locale] ?? String(view.channelId),
    organisations: new Map(orgs.map((o) => [o.id, pick(locale, o)])),
    people: new Map(people.map((p) => [p.id, p.display_name])),
    region: view.region ? places.find((p) => p.code === view.region)?.name ?? view.region : null,
    answers: answerRows(questionnaire && { questionnaire }, view.content.answers, places, locale),
  };
}

async function* tap(source: AsyncIterable<Buffer>, onChunk: (chunk: Buffer) => void): AsyncGenerator<Buffer> {
  for await (const chunk of source) {
    onChunk(chunk);
    yield chunk;
  }
}

const sha256 = (data: Buffer) => crypto.createHash('sha256').update(data).digest('hex');

/**
 * Exports a case for the signed-in handler. Opening it is audited as `case.read` (before anything is
 * sent); the caller sends `stream` and then calls `settle`. Throws before streaming for anything the
 * caller did wrong (not_found, forbidden, keys_missing, export_too_large).
 */
export async function exportCase(ctx: CasesContext, s: ResolvedSession, reportId: number, locale: Locale): Promise<CaseExport> {
  if (!canExportCases(s)) throw new AppError('forbidden');
  const view = await openCase(ctx, s, reportId);
  const keys = await reportKeys(ctx, s, reportId);
  const attachmentBytes = view.attachments.reduce((sum, a) => sum + a.size, 0);
  if (!fitsInZip(view.attachments.length + 2, attachmentBytes + TEXT_ALLOWANCE)) throw new AppError('export_too_large');
  const names = await caseNames(ctx, s, view, locale);
  const exportedAt = new Date();
  const htmlName = `case-${reportId}.html`;
  const paths = uniqueNames(view.attachments.map((a, i) => `${i + 1}-${safeFileName(a.name)}`)).map((n) => `attachments/${n}`);

  const state = { bytes: 0, complete: false, failed: false, sha256: '', htmlSha256: '' };
  const whole = crypto.createHash('sha256');

  async function* archive(): AsyncGenerator<Buffer> {
    const zip = new ZipWriter(exportedAt);
    const files: ExportedFile[] = [];
    for (const [i, a] of view.attachments.entries()) {
      const file = await openAttachment({ db: ctx.database.db, storage: ctx.uploads.storage, reportId, attachmentId: a.id, reportKeys: keys });
      const hash = crypto.createHash('sha256');
      let bytes = 0;
      yield* zip.add(paths[i]!, tap(file.stream, (chunk) => { hash.update(chunk); bytes += chunk.length; }));
      files.push({ ...a, number: i + 1, path: paths[i]!, bytes, sha256: hash.digest('hex') });
    }
    // The HTML comes after the files, so that it can list their fingerprints without reading them twice.
    const html = caseFileHtml({ locale, view, names, files, exporter: { id: s.user.id, name: s.user.display_name }, exportedAt: exportedAt.toISOString() });
    state.htmlSha256 = sha256(html);
    yield* zip.add(htmlName, html);
    // The format of sha256sum: `sha256sum -c SHA256SUMS` checks the extracted files.
    const sums = [`${state.htmlSha256}  ${htmlName}`, ...files.map((f) => `${f.sha256}  ${f.path}`)].join('\n') + '\n';
    yield* zip.add('SHA256SUMS', Buffer.from(sums));
    yield* zip.finish();
  }

  async function* counted(): AsyncGenerator<Buffer> {
    try {
      for await (const chunk of archive()) {
        whole.update(chunk);
        state.bytes += chunk.length;
        yield chunk;
      }
    } catch (err) {
      state.failed = true;
      throw err;
    }
    state.sha256 = whole.digest('hex');
    state.complete = true;
  }

  let settled = false;
  return {
    name: `case-${reportId}-${exportedAt.toISOString().slice(0, 10)}.zip`,
    stream: Readable.from(counted(), { objectMode: false, highWaterMark: 64 * 1024 }),
    async settle(delivered) {
      if (settled) return;
      settled = true;
      const done = delivered && state.complete;
      await writeTransaction(ctx.database, (trx) => appendAudit(trx, ctx.database.dialect, {
        actor: `user:${s.user.id}`, organisation: `org:${s.user.organisation_id}`, target: `case:${reportId}`,
        ...(done
          ? { action: 'case.exported', details: { sha256: state.sha256, html_sha256: state.htmlSha256, attachments: view.attachments.length, bytes: state.bytes } }
          // "failed": the portal could not produce the archive (e.g. a stored file was altered); "closed": the client went away.
          : { action: 'case.export-aborted', details: { reason: state.failed ? 'failed' : 'closed', bytes: state.bytes } }),
      }));
    },
  };
}
