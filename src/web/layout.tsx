import type { ComponentChildren } from 'preact';
import { assetUrl } from './assets.js';
import type { PageContext } from './context.js';
import { locales, localeInfo } from './i18n.js';

export interface LayoutProps {
  ctx: PageContext;
  title: string;
  /** When the page shows validation errors, the browser title starts with "Error:". */
  hasErrors?: boolean;
  children: ComponentChildren;
}

export function Layout({ ctx, title, hasErrors, children }: LayoutProps) {
  const { t, locale } = ctx;
  const fullTitle = `${hasErrors ? `${t('errors.prefix')} ` : ''}${title} — ${t('site.name')}`;
  return (
    <html lang={locale} dir={localeInfo[locale].dir}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{fullTitle}</title>
        <link rel="stylesheet" href={assetUrl('styles.css')} />
        {/* No icon yet: an empty one stops browsers asking for /favicon.ico, a 404 on every first visit. */}
        <link rel="icon" href="data:," />
        {locales.map((l) => (
          <link rel="alternate" hreflang={l} href={`/${l}${ctx.rest}`} />
        ))}
      </head>
      <body>
        <a class="skip" href="#main">{t('layout.skip')}</a>
        <header class="site">
          <div class="wrap">
            {/* No aria-label: the link's name is its visible text (WCAG 2.5.3 Label in Name). */}
            <a class="brand" href={`/${locale}/`}>
              {t('site.name')}
              <small>{t('site.tagline')}</small>
            </a>
            <nav class="langs" aria-label={t('layout.language')}>
              <ul>
                {locales.map((l) => (
                  <li>
                    <a href={`/${l}${ctx.rest}`} lang={l} hreflang={l} aria-current={l === locale ? 'true' : undefined}>
                      {localeInfo[l].name}
                    </a>
                  </li>
                ))}
              </ul>
            </nav>
          </div>
        </header>
        <main id="main" tabindex={-1}>
          <div class="wrap">{children}</div>
        </main>
        <footer class="site">
          <div class="wrap">
            <ul>
              <li><a href={`/${locale}/feedback?page=${encodeURIComponent(`/${locale}${ctx.rest}`)}`}>{t('layout.footer.feedback')}</a></li>
              <li><a href="/api/docs" hreflang="en">{t('layout.footer.api')}</a></li>
            </ul>
            <p>{t('layout.footer.about')}</p>
          </div>
        </footer>
      </body>
    </html>
  );
}
