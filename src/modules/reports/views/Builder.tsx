import { ErrorSummary, type ShownError } from '../../../web/components/ErrorSummary.js';
import type { PageContext } from '../../../web/context.js';
import { StaffLayout, type StaffFrame } from '../../identity/views/Staff.js';
import type { EditorView } from '../builder.js';
import type { Channel } from '../channels.js';
import { type Problem, type Questionnaire, say } from '../questionnaire.js';
import { describeCondition, type Place } from './Report.js';

export function QuestionnairesPage({ frame, channels }: { frame: StaffFrame; channels: { channel: Channel; hasDraft: boolean }[] }) {
  const { t, locale } = frame.ctx;
  return (
    <StaffLayout frame={frame} title={t('questionnaires.title')}>
      <h1>{t('questionnaires.title')}</h1>
      <p>{t('questionnaires.intro')}</p>
      {channels.length === 0 ? <p>{t('questionnaires.none')}</p> : (
        <ul class="versions">
          {channels.map(({ channel, hasDraft }) => (
            <li>
              <h2><a href={`/${locale}/staff/questionnaires/${channel.id}`}>{channel.name[locale]}</a></h2>
              <p>{t('questionnaires.current', { version: channel.questionnaire.version })}{hasDraft && <> · {t('questionnaires.has_draft')}</>}</p>
              <p><a href={`/${locale}/staff/questionnaires/${channel.id}/settings`}>{t('channel.settings.link')}<span class="visually-hidden"> {channel.name[locale]}</span></a></p>
            </li>
          ))}
        </ul>
      )}
    </StaffLayout>
  );
}

/** A readable account of a questionnaire: what an administrator checks before publishing. */
export function QuestionnaireSummary({ ctx, q, places }: { ctx: PageContext; q: Questionnaire; places: Place[] }) {
  const { t, locale } = ctx;
  return (
    <ol class="questionnaire-summary">
      {q.steps.map((s) => (
        <li>
          <h3><bdi>{say(s.title, locale)}</bdi> <code>{s.id}</code></h3>
          {s.showIf && <p class="hint">{describeCondition(ctx, q, s.showIf, places, 'questionnaires.condition')}</p>}
          <ul>
            {s.fields.map((f) => (
              <li>
                <strong><bdi>{say(f.label, locale)}</bdi></strong> <code>{f.id}</code>
                {' — '}{t(`questionnaires.type.${f.type}`)}, {t(f.required ? 'questionnaires.required' : 'questionnaires.optional')}
                {f.help && <><br /><span class="hint"><bdi>{say(f.help, locale)}</bdi></span></>}
                {f.showIf && <><br /><span class="hint">{describeCondition(ctx, q, f.showIf, places, 'questionnaires.condition')}</span></>}
                {f.options && f.options.length > 0 && <ul>{f.options.map((o) => <li><bdi>{say(o.label, locale)}</bdi> <code>{o.id}</code></li>)}</ul>}
              </li>
            ))}
          </ul>
        </li>
      ))}
    </ol>
  );
}

export const problemMessage = (ctx: PageContext, p: Problem): string => ctx.t(`questionnaires.problem.${p.code}`, { where: p.where, target: p.target ?? '' });

export interface EditorProps {
  frame: StaffFrame; view: EditorView; places: Place[];
  /** The draft as typed (kept as typed when it could not be saved). */
  text: string; note: string; errors?: ShownError[]; notice?: string | undefined;
}

export function QuestionnaireEditor({ frame, view, places, text, note, errors = [], notice }: EditorProps) {
  const { ctx } = frame;
  const { t, locale } = ctx;
  const base = `/${locale}/staff/questionnaires/${view.channel.id}`;
  const title = t('questionnaires.channel', { channel: view.channel.name[locale] });
  const { draft } = view;
  return (
    <StaffLayout frame={frame} title={title} hasErrors={errors.length > 0}>
      <ErrorSummary ctx={ctx} errors={errors} />
      <p><a href={`/${locale}/staff/questionnaires`}>{t('questionnaires.title')}</a></p>
      <h1>{title}</h1>
      {notice && <p class="notice" role="status">{notice}</p>}

      <h2 id="draft">{t('questionnaires.draft')}</h2>
      {!draft ? <p>{t('questionnaires.draft.none')}</p> : (
        <>
          <p><a href={`${base}/preview/${encodeURIComponent(draft.questionnaire.steps[0]?.id ?? 'none')}`}>{t('questionnaires.preview')}</a></p>
          <h3>{t('questionnaires.problems')}</h3>
          {draft.problems.length === 0 ? <p>{t('questionnaires.problems.none')}</p> : <ul>{draft.problems.map((p) => <li>{problemMessage(ctx, p)}</li>)}</ul>}
          <form method="post" action={`${base}/draft`}>
            <input type="hidden" name="_csrf" value={frame.csrfToken} />
            <div class={`field${errors.length ? ' has-error' : ''}`}>
              <label for="questionnaire">{t('questionnaires.json')}</label>
              <span class="hint" id="questionnaire-hint">{t('questionnaires.json.hint')}</span>
              <textarea id="questionnaire" name="questionnaire" class="input code" rows={30} dir="ltr" spellcheck={false} aria-describedby="questionnaire-hint" aria-invalid={errors.length ? 'true' : undefined}>{text}</textarea>
            </div>
            <div class="field">
              <label for="note">{t('questionnaires.note')}</label>
              <input id="note" name="note" class="input" value={note} dir="auto" maxlength={500} />
            </div>
            <button class="button" type="submit">{t('questionnaires.save')}</button>
          </form>
          <form method="post" action={`${base}/publish`}>
            <input type="hidden" name="_csrf" value={frame.csrfToken} />
            <p><button class="button" type="submit">{t('questionnaires.publish')}</button></p>
          </form>
          <h3>{t('questionnaires.summary')}</h3>
          <QuestionnaireSummary ctx={ctx} q={draft.questionnaire} places={places} />
        </>
      )}

      <h2>{t('questionnaires.versions')}</h2>
      <ul class="versions">
        {view.versions.map((v) => (
          <li>
            <h3>{t('questionnaires.version', { version: v.version })}{v.version === view.channel.questionnaire.version && <> — {t('questionnaires.in_use')}</>}</h3>
            <p>{t('questionnaires.published_on', { day: (v.publishedAt ?? '').slice(0, 10) })}{v.note && <> · <bdi>{v.note}</bdi></>}</p>
            <p><a href={`${base}/preview/${encodeURIComponent(v.questionnaire.steps[0]?.id ?? 'none')}?version=${v.version}`}>{t('questionnaires.preview.version', { version: v.version })}</a></p>
            <form method="post" action={`${base}/drafts`}>
              <input type="hidden" name="_csrf" value={frame.csrfToken} />
              <input type="hidden" name="from" value={String(v.version)} />
              <button class="link-button" type="submit">{t(draft ? 'questionnaires.replace_draft' : 'questionnaires.new_draft', { version: v.version })}</button>
            </form>
            {!draft && v.version === view.channel.questionnaire.version && (
              <details>
                <summary>{t('questionnaires.summary')}</summary>
                <QuestionnaireSummary ctx={ctx} q={v.questionnaire} places={places} />
              </details>
            )}
          </li>
        ))}
      </ul>
    </StaffLayout>
  );
}
