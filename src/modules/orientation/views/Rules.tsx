import { ErrorSummary, type ShownError } from '../../../web/components/ErrorSummary.js';
import { StaffLayout, type StaffFrame } from '../../identity/views/Staff.js';
import type { OutcomeStatistics, Version } from '../service.js';

export function RulesPage({ frame, versions, stats }: { frame: StaffFrame; versions: Omit<Version, 'graph'>[]; stats: OutcomeStatistics[] }) {
  const { t, locale } = frame.ctx;
  return (
    <StaffLayout frame={frame} title={t('rules.title')}>
      <h1>{t('rules.title')}</h1>
      <p>{t('rules.intro')}</p>
      <ul class="versions">
        {versions.map((v) => {
          const s = stats.find((x) => x.version === v.id);
          return (
            <li>
              <h2>{t('rules.version', { id: v.id })} — {t(`rules.status.${v.status}`)}</h2>
              {v.note && <p><bdi>{v.note}</bdi></p>}
              {s && <p>{t('rules.counts', { total: s.total, none: s.notCompetent })}</p>}
              <p><a href={`/${locale}/staff/orientation/${v.id}`}>{t('rules.open')}</a></p>
              <form method="post" action={`/${locale}/staff/orientation/drafts`}>
                <input type="hidden" name="_csrf" value={frame.csrfToken} />
                <input type="hidden" name="from" value={String(v.id)} />
                <button class="link-button" type="submit">{t('rules.new_draft')}</button>
              </form>
            </li>
          );
        })}
      </ul>
    </StaffLayout>
  );
}

export function RulesEditor({ frame, version, graph, note, errors = [], saved, published }: { frame: StaffFrame; version: Omit<Version, 'graph'>; graph: string; note: string; errors?: ShownError[]; saved?: boolean; published?: boolean }) {
  const { t, locale } = frame.ctx;
  const draft = version.status === 'draft';
  return (
    <StaffLayout frame={frame} title={t('rules.version', { id: version.id })} hasErrors={errors.length > 0}>
      <ErrorSummary ctx={frame.ctx} errors={errors} />
      <p><a href={`/${locale}/staff/orientation`}>{t('rules.title')}</a></p>
      <h1>{t('rules.version', { id: version.id })} — {t(`rules.status.${version.status}`)}</h1>
      {saved && <p class="notice" role="status">{t('rules.saved')}</p>}
      {published && <p class="notice" role="status">{t('rules.published')}</p>}
      <form method="post" action={`/${locale}/staff/orientation/${version.id}`}>
        <input type="hidden" name="_csrf" value={frame.csrfToken} />
        <div class={`field${errors.length && draft ? ' has-error' : ''}`}>
          <label for="graph">{t('rules.graph')}</label>
          <span class="hint" id="graph-hint">{t('rules.graph.hint')}</span>
          <textarea id="graph" name="graph" class="input code" rows={24} dir="ltr" spellcheck={false} readonly={!draft} aria-describedby="graph-hint">{graph}</textarea>
        </div>
        <div class="field">
          <label for="note">{t('rules.note')}</label>
          <input id="note" name="note" class="input" value={note} readonly={!draft} dir="auto" />
        </div>
        {draft && <button class="button" type="submit">{t('rules.save')}</button>}
      </form>
      {draft && (
        <form method="post" action={`/${locale}/staff/orientation/${version.id}/publish`}>
          <input type="hidden" name="_csrf" value={frame.csrfToken} />
          <p><button class="button" type="submit">{t('rules.publish')}</button></p>
        </form>
      )}
    </StaffLayout>
  );
}
