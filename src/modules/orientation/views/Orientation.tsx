import { ErrorSummary } from '../../../web/components/ErrorSummary.js';
import { Radios } from '../../../web/components/Radios.js';
import type { PageContext } from '../../../web/context.js';
import { Layout } from '../../../web/layout.js';
import type { Institution, Office } from '../../institutions/directory.js';
import { DONT_KNOW, type OutcomeNode, type QuestionNode, type Step } from '../graph.js';

export interface QuestionPageProps {
  ctx: PageContext;
  version: number;
  path: string[];
  question: QuestionNode;
  progress: { n: number; max: number };
  regions: { code: string; name: string }[];
  backHref: string;
  error?: boolean;
}

export function QuestionPage({ ctx, version, path, question, progress, regions, backHref, error }: QuestionPageProps) {
  const { t, locale } = ctx;
  const options = [
    ...(question.type === 'region' ? regions.map((r) => ({ value: r.code, label: r.name })) : question.answers.map((a) => ({ value: a.id, label: a.label[locale] }))),
    ...(question.dontKnow ? [{ value: DONT_KNOW, label: t('orientation.dont_know') }] : []),
  ];
  const message = t(question.dontKnow ? 'orientation.choose' : 'orientation.choose_plain');
  return (
    <Layout ctx={ctx} title={`${question.text[locale]} — ${t('orientation.title')}`} hasErrors={error}>
      <p><a href={backHref}>{t('orientation.back')}</a></p>
      <ErrorSummary ctx={ctx} errors={error ? [{ field: 'answer', message }] : []} />
      <p class="progress">{t('orientation.progress', progress)}</p>
      {progress.n === 1 && <p>{t('orientation.intro')}</p>}
      <form method="get" action={`/${locale}/orientation`} novalidate>
        <input type="hidden" name="v" value={String(version)} />
        <input type="hidden" name="path" value={path.join('.')} />
        <div class="question">
          <Radios ctx={ctx} name="answer" legend={question.text[locale]} options={options} error={error ? message : undefined} required heading />
        </div>
        {question.help && <p class="hint">{question.help[locale]}</p>}
        <button class="button" type="submit" name="go" value="1">{t('orientation.continue')}</button>
      </form>
    </Layout>
  );
}

export interface ResultPageProps {
  ctx: PageContext;
  outcome: OutcomeNode;
  steps: Step[];
  institutions: Institution[];
  office?: Office | undefined;
  reportHref: (slug: string) => string;
  backHref: string;
}

export function ResultPage({ ctx, outcome, steps, institutions, office, reportHref, backHref }: ResultPageProps) {
  const { t, locale } = ctx;
  const none = institutions.length === 0;
  const title = none ? t('orientation.result.none_title') : t('orientation.result.title');
  const reasons = steps.map((s) => s.reason?.[locale]).filter((r): r is string => !!r);
  return (
    <Layout ctx={ctx} title={title}>
      <p><a href={backHref}>{t('orientation.back')}</a></p>
      <h1>{title}</h1>
      {institutions.map((i) => <p class="outcome-name"><strong>{i.name[locale]}</strong></p>)}
      <p class="lead">{outcome.explanation[locale]}</p>
      {reasons.length > 0 && (
        <section aria-labelledby="why"><h2 id="why">{t('orientation.result.why')}</h2><ul>{reasons.map((r) => <li>{r}</li>)}</ul></section>
      )}
      {outcome.prepare.length > 0 && (
        <section aria-labelledby="prepare"><h2 id="prepare">{t('orientation.result.prepare')}</h2><ul>{outcome.prepare.map((p) => <li>{p[locale]}</li>)}</ul></section>
      )}
      {institutions.map((i) => (
        <section aria-labelledby={`next-${i.slug}`}>
          <h2 id={`next-${i.slug}`}>{t('orientation.result.next')}</h2>
          {i.receivesReports && <p><a class="button" href={reportHref(i.slug)}>{t('dir.report_here')}</a></p>}
          <ul>
            {i.channels.filter((c) => c.type !== 'online-here').map((c) => (
              <li>{t(`dir.channel.${c.type}`)}{c.value && <>: <span dir="ltr">{c.type === 'external-site' ? c.value.replace(/^https?:\/\//, '') : c.value}</span></>}</li>
            ))}
          </ul>
          {office && office.institution === i.slug && <p class="notice">{t('orientation.result.office', { office: office.name[locale] })}</p>}
          {i.deadlines?.length ? <><h3>{t('dir.deadlines')}</h3><ul>{i.deadlines.map((d) => <li>{d.text[locale]}</li>)}</ul></> : null}
          <p><a href={`/${locale}/institutions/${i.slug}`}>{t('orientation.result.more')}</a></p>
        </section>
      ))}
      {outcome.elsewhere && (
        <section aria-labelledby="elsewhere"><h2 id="elsewhere">{t('orientation.result.elsewhere')}</h2><p>{outcome.elsewhere[locale]}</p></section>
      )}
      <p class="hint">{t('orientation.print')}</p>
      <p><a href={`/${locale}/orientation`}>{t('orientation.restart')}</a></p>
    </Layout>
  );
}
