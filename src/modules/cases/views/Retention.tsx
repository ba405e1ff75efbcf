// The retention part of a case page: when the case will be deleted, its legal holds, and the forms
// to place (handlers) or lift (institution admins) one. Kept apart from Cases.tsx.
import { FieldError, type ShownError } from '../../../web/components/ErrorSummary.js';
import type { StaffFrame } from '../../identity/views/Staff.js';
import type { RetentionView } from '../retention.js';

export interface RetentionSectionProps {
  view: RetentionView;
  canPlace: boolean;
  canRelease: boolean;
}

export function RetentionSection({ frame, caseId, closed, retention, errors, people }: { frame: StaffFrame; caseId: number; closed: boolean; retention: RetentionSectionProps; errors: ShownError[]; people: Map<number, string> }) {
  const { t, locale } = frame.ctx;
  const { view } = retention;
  const err = (f: string) => errors.find((e) => e.field === f)?.message;
  const action = (what: string) => `/${locale}/staff/cases/${caseId}/${what}`;
  let status: string;
  if (view.legalHold) status = t('case.retention.held');
  else if (view.deletionDay) status = t('case.retention.scheduled', { day: view.deletionDay });
  else if (closed && view.retentionEnd) status = t('case.retention.kept_until', { day: view.retentionEnd });
  else status = t('case.retention.open');
  return (
    <section aria-labelledby="retention">
      <h2 id="retention">{t('case.retention')}</h2>
      <p>{status}</p>
      {view.holds.length > 0 && (
        <ul>
          {view.holds.map((h) => (
            <li>{t(`case.hold.${h.action}`, { day: h.day })}{h.actorId !== null && <> · <bdi>{people.get(h.actorId) ?? ''}</bdi></>} — <span dir="auto">{h.reason}</span></li>
          ))}
        </ul>
      )}
      {!view.legalHold && retention.canPlace && (
        <form method="post" action={action('legal-hold')} novalidate>
          <input type="hidden" name="_csrf" value={frame.csrfToken} />
          <div class={`field${err('holdReason') ? ' has-error' : ''}`}>
            <label for="holdReason">{t('case.hold.reason')}</label>
            <span class="hint" id="holdReason-hint">{t('case.hold.hint')}</span>
            <FieldError ctx={frame.ctx} id="holdReason-error" message={err('holdReason')} />
            <textarea id="holdReason" name="holdReason" class="input" rows={2} dir="auto" aria-describedby={err('holdReason') ? 'holdReason-hint holdReason-error' : 'holdReason-hint'} />
          </div>
          <button class="button" type="submit">{t('case.hold.submit')}</button>
        </form>
      )}
      {view.legalHold && retention.canRelease && (
        <form method="post" action={action('legal-hold/release')} novalidate>
          <input type="hidden" name="_csrf" value={frame.csrfToken} />
          <div class={`field${err('releaseReason') ? ' has-error' : ''}`}>
            <label for="releaseReason">{t('case.hold.release.reason')}</label>
            <span class="hint" id="releaseReason-hint">{t('case.hold.release.hint')}</span>
            <FieldError ctx={frame.ctx} id="releaseReason-error" message={err('releaseReason')} />
            <textarea id="releaseReason" name="releaseReason" class="input" rows={2} dir="auto" aria-describedby={err('releaseReason') ? 'releaseReason-hint releaseReason-error' : 'releaseReason-hint'} />
          </div>
          <button class="button danger" type="submit">{t('case.hold.release.submit')}</button>
        </form>
      )}
    </section>
  );
}
