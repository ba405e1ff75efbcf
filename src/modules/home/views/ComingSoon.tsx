import type { PageContext } from '../../../web/context.js';
import { Layout } from '../../../web/layout.js';

export function ComingSoon({ ctx, serviceKey }: { ctx: PageContext; serviceKey: string }) {
  const { t, locale } = ctx;
  const service = t(`home.service.${serviceKey}.title`);
  return (
    <Layout ctx={ctx} title={t('soon.title', { service })}>
      <h1>{t('soon.title', { service })}</h1>
      <p>{t(`home.service.${serviceKey}.text`)}</p>
      <p>{t('soon.text')}</p>
      <p><a href={`/${locale}/`}>{t('soon.back')}</a></p>
    </Layout>
  );
}
