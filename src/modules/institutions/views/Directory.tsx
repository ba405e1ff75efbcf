import type { PageContext } from '../../../web/context.js';
import { Layout } from '../../../web/layout.js';
import type { Fact, Institution, Office } from '../directory.js';

const FactText = ({ ctx, fact }: { ctx: PageContext; fact: Fact }) => (
  <>
    {fact.text[ctx.locale]} <small class="source">{ctx.t('dir.source', { source: fact.source })}</small>
  </>
);

export function DirectoryPage({ ctx, institutions }: { ctx: PageContext; institutions: Institution[] }) {
  const { t, locale } = ctx;
  return (
    <Layout ctx={ctx} title={t('dir.title')}>
      <h1>{t('dir.title')}</h1>
      <p class="lead">{t('dir.intro')}</p>
      <p><a href={`/${locale}/orientation`}>{t('dir.orientation_link')}</a></p>
      <ul class="cards">
        {institutions.map((i) => (
          <li>
            <h2 class="card-title"><a href={`/${locale}/institutions/${i.slug}`}>{i.name[locale]}</a></h2>
            <p>{i.handles.text[locale]}</p>
            {i.receivesReports && <p><strong>{t('dir.receives_reports')}</strong></p>}
          </li>
        ))}
      </ul>
      <p>{t('dir.open_data')} <a href="/api/v1/institutions" hreflang="en">JSON</a> · <a href="/api/v1/institutions.csv">CSV</a></p>
    </Layout>
  );
}

export interface InstitutionPageProps {
  ctx: PageContext;
  institution: Institution;
  offices: number;
  regions: { code: string; name: string }[];
  region?: string | undefined;
  office?: Office | null | undefined;
}

export function InstitutionPage({ ctx, institution: i, offices, regions, region, office }: InstitutionPageProps) {
  const { t, locale } = ctx;
  return (
    <Layout ctx={ctx} title={i.name[locale]}>
      <p><a href={`/${locale}/institutions`}>{t('dir.title')}</a></p>
      <h1>{i.name[locale]} <span dir="ltr">({i.acronym})</span></h1>
      <h2>{t('dir.mandate')}</h2>
      <p><FactText ctx={ctx} fact={i.mandate} /></p>
      <h2>{t('dir.handles')}</h2>
      <p><FactText ctx={ctx} fact={i.handles} /></p>
      {i.notHandles && <><h2>{t('dir.not_handles')}</h2><p><FactText ctx={ctx} fact={i.notHandles} /></p></>}
      {i.preconditions?.length ? <><h2>{t('dir.preconditions')}</h2><ul>{i.preconditions.map((f) => <li><FactText ctx={ctx} fact={f} /></li>)}</ul></> : null}
      <h2>{t('dir.channels')}</h2>
      <ul>
        {i.channels.map((c) => (
          <li>
            {c.type === 'online-here' ? <a href={`/${locale}/report?institution=${i.slug}`}>{t('dir.report_here')}</a> : t(`dir.channel.${c.type}`)}
            {c.value && <>: <span dir="ltr">{c.type === 'external-site' ? c.value.replace(/^https?:\/\//, '') : c.value}</span></>}
            {' '}<small class="source">{t('dir.source', { source: c.source })}</small>
          </li>
        ))}
      </ul>
      {i.website && <p>{t('dir.website')}: <span dir="ltr">{i.website.replace(/^https?:\/\//, '')}</span></p>}
      {i.deadlines?.length ? <><h2>{t('dir.deadlines')}</h2><ul>{i.deadlines.map((f) => <li><FactText ctx={ctx} fact={f} /></li>)}</ul></> : null}
      {offices > 0 && (
        <section aria-labelledby="offices-title">
          <h2 id="offices-title">{t('dir.offices')}</h2>
          <form method="get" action={`/${locale}/institutions/${i.slug}`}>
            <label for="region">{t('dir.office_lookup')}</label>
            <select id="region" name="region" class="input">
              {regions.map((r) => <option value={r.code} selected={region === r.code}>{r.name}</option>)}
            </select>
            {' '}<button class="button" type="submit">{t('dir.find')}</button>
          </form>
          {office === null && <p class="notice" role="status">{t('dir.office_none')}</p>}
          {office && (
            <div class="notice" role="status">
              <p>{t('dir.office_found', { office: office.name[locale] })}</p>
              {office.address && <p>{office.address[locale]}</p>}
              {office.hours && <p>{office.hours[locale]}</p>}
              {office.phone && <p dir="ltr">{office.phone}</p>}
              {office.email && <p dir="ltr">{office.email}</p>}
            </div>
          )}
        </section>
      )}
    </Layout>
  );
}
