import { ErrorSummary, type ShownError } from '../../../web/components/ErrorSummary.js';
import { Radios } from '../../../web/components/Radios.js';
import type { PageContext } from '../../../web/context.js';
import { Layout } from '../../../web/layout.js';

export interface FeedbackPageProps {
  ctx: PageContext;
  csrfToken: string;
  page: string;
  useful?: string | undefined;
  errors?: ShownError[];
}

export function FeedbackPage({ ctx, csrfToken, page, useful, errors = [] }: FeedbackPageProps) {
  const { t, locale } = ctx;
  return (
    <Layout ctx={ctx} title={t('feedback.title')} hasErrors={errors.length > 0}>
      <ErrorSummary ctx={ctx} errors={errors} />
      <h1>{t('feedback.title')}</h1>
      <form method="post" action={`/${locale}/feedback`} novalidate>
        <input type="hidden" name="_csrf" value={csrfToken} />
        <input type="hidden" name="page" value={page} />
        <Radios
          ctx={ctx}
          name="useful"
          legend={t('feedback.legend')}
          value={useful}
          required
          error={errors.find((e) => e.field === 'useful')?.message}
          options={[{ value: 'yes', label: t('feedback.yes') }, { value: 'no', label: t('feedback.no') }]}
        />
        <p>{t('feedback.privacy')}</p>
        <button class="button" type="submit">{t('feedback.submit')}</button>
      </form>
      <p><a href={page}>{t('feedback.back')}</a></p>
    </Layout>
  );
}

export function FeedbackThanks({ ctx, page }: { ctx: PageContext; page: string }) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('feedback.thanks.title')}>
      <h1>{t('feedback.thanks.title')}</h1>
      <p>{t('feedback.thanks.text')}</p>
      <p><a href={page}>{t('feedback.back')}</a></p>
    </Layout>
  );
}
