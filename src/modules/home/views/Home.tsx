import type { PageContext } from '../../../web/context.js';
import { Layout } from '../../../web/layout.js';
import { services } from '../services.js';

export function Home({ ctx }: { ctx: PageContext }) {
  const { t, locale } = ctx;
  return (
    <Layout ctx={ctx} title={t('site.tagline')}>
      <h1>{t('home.title')}</h1>
      <p class="lead">{t('home.lead')}</p>
      <h2>{t('home.services')}</h2>
      <ul class="cards">
        {services.map((s) => (
          <li>
            <h3><a href={`/${locale}/${s.path}`}>{t(`home.service.${s.key}.title`)}</a></h3>
            <p>{t(`home.service.${s.key}.text`)}</p>
          </li>
        ))}
      </ul>
      <section class="note" aria-labelledby="privacy-title">
        <h2 id="privacy-title">{t('home.privacy.title')}</h2>
        <p>{t('home.privacy.text')}</p>
      </section>
    </Layout>
  );
}
