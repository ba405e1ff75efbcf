import type { PageContext } from './context.js';
import { Layout } from './layout.js';

/** The page shown for any error on an HTML route, in the page's language. */
export function ErrorPage({ ctx, code, requestId }: { ctx: PageContext; code: string; requestId?: string | undefined }) {
  const { t, locale } = ctx;
  const textKey = `errors.${code}.text`;
  const text = code === 'not_found' || code === 'internal' || code === 'csrf_failed' ? t(textKey) : undefined;
  return (
    <Layout ctx={ctx} title={t(`errors.${code}.title`)}>
      <h1>{t(`errors.${code}.title`)}</h1>
      {text && <p>{text}</p>}
      {requestId && code === 'internal' && <p>{t('errors.reference', { id: requestId })}</p>}
      <p><a href={`/${locale}/`}>{t('errors.back_home')}</a></p>
    </Layout>
  );
}
