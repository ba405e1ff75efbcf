import { ErrorSummary, type ShownError } from '../../../web/components/ErrorSummary.js';
import { TextField } from '../../../web/components/TextField.js';
import type { AuditLogTable } from '../../../db/schema.js';
import type { UserRow } from '../admin.js';
import type { Role } from '../roles.js';
import { StaffLayout, type StaffFrame } from './Staff.js';

const Hidden = ({ csrf }: { csrf: string }) => <input type="hidden" name="_csrf" value={csrf} />;

export function UsersPage({ frame, rows, page, hasMore, roleChoices, sent }: { frame: StaffFrame; rows: UserRow[]; page: number; hasMore: boolean; roleChoices: (row: UserRow) => Role[]; sent?: boolean }) {
  const { t, locale } = frame.ctx;
  return (
    <StaffLayout frame={frame} title={t('users.title')}>
      <h1>{t('users.title')}</h1>
      {sent && <p class="notice" role="status">{t('users.invite.sent')}</p>}
      <p><a class="button" href={`/${locale}/staff/users/invite`}>{t('users.invite')}</a></p>
      {rows.length === 0 ? <p>{t('users.empty')}</p> : (
        <div class="table-wrap"><table class="table">
          <caption class="visually-hidden">{t('users.title')}</caption>
          <thead><tr>
            <th scope="col">{t('users.col.name')}</th><th scope="col">{t('users.col.email')}</th><th scope="col">{t('users.col.organisation')}</th>
            <th scope="col">{t('users.col.role')}</th><th scope="col">{t('users.col.status')}</th><th scope="col">{t('users.col.actions')}</th>
          </tr></thead>
          <tbody>
            {rows.map((r) => (
              <tr>
                <td><bdi>{r.name}</bdi></td><td dir="ltr">{r.email}</td><td>{r.organisation}</td>
                <td>
                  {r.status === 'deactivated' || r.id === frame.session.user.id ? r.roles.join(', ') : (
                    <form method="post" action={`/${locale}/staff/users/${r.id}/role`} class="inline-form">
                      <Hidden csrf={frame.csrfToken} />
                      <label class="visually-hidden" for={`role-${r.id}`}>{t('users.change_role')}</label>
                      <select id={`role-${r.id}`} name="role" class="input">
                        {roleChoices(r).map((role) => <option value={role} selected={r.roles.includes(role)}>{role}</option>)}
                      </select>
                      <button class="link-button" type="submit">{t('users.change_role')}</button>
                    </form>
                  )}
                </td>
                <td>{t(`users.status.${r.status}`)}{r.needsKey && <><br /><small>{t('users.needs_key')}</small></>}</td>
                <td>{r.status !== 'deactivated' && r.id !== frame.session.user.id && <a href={`/${locale}/staff/users/${r.id}/deactivate`}>{t('users.deactivate')}</a>}</td>
              </tr>
            ))}
          </tbody>
        </table></div>
      )}
      {hasMore && <p><a href={`/${locale}/staff/users?page=${page + 1}`}>{t('users.more')}</a></p>}
    </StaffLayout>
  );
}

export interface InviteValues { email?: string; name?: string; role?: string; organisation?: string }

export function InvitePage({ frame, organisations, roles, values = {}, errors = [] }: { frame: StaffFrame; organisations: { id: number; label: string }[]; roles: Role[]; values?: InviteValues; errors?: ShownError[] }) {
  const { t, locale } = frame.ctx;
  const err = (f: string) => errors.find((e) => e.field === f)?.message;
  return (
    <StaffLayout frame={frame} title={t('users.invite')} hasErrors={errors.length > 0}>
      <ErrorSummary ctx={frame.ctx} errors={errors} />
      <h1>{t('users.invite')}</h1>
      <form method="post" action={`/${locale}/staff/users/invite`} novalidate>
        <Hidden csrf={frame.csrfToken} />
        <TextField ctx={frame.ctx} name="name" label={t('users.invite.name')} value={values.name} required error={err('name')} />
        <TextField ctx={frame.ctx} name="email" type="email" label={t('users.col.email')} value={values.email} required ltr error={err('email')} />
        <div class={`field${err('organisation') ? ' has-error' : ''}`}>
          <label for="organisation">{t('users.invite.organisation')}</label>
          <select id="organisation" name="organisation" class="input">
            {organisations.map((o) => <option value={String(o.id)} selected={values.organisation === String(o.id)}>{o.label}</option>)}
          </select>
        </div>
        <div class={`field${err('role') ? ' has-error' : ''}`}>
          <label for="role">{t('users.col.role')}</label>
          {err('role') && <span class="field-error" id="role-error">{err('role')}</span>}
          <select id="role" name="role" class="input" aria-describedby={err('role') ? 'role-error' : undefined}>
            {roles.map((r) => <option value={r} selected={values.role === r}>{r}</option>)}
          </select>
        </div>
        <button class="button" type="submit">{t('users.invite.submit')}</button>
      </form>
    </StaffLayout>
  );
}

export function DeactivatePage({ frame, user }: { frame: StaffFrame; user: { id: number; name: string } }) {
  const { t, locale } = frame.ctx;
  return (
    <StaffLayout frame={frame} title={t('users.deactivate.title', { name: user.name })}>
      <h1><bdi>{t('users.deactivate.title', { name: user.name })}</bdi></h1>
      <p>{t('users.deactivate.text')}</p>
      <form method="post" action={`/${locale}/staff/users/${user.id}/deactivate`}>
        <Hidden csrf={frame.csrfToken} />
        <button class="button danger" type="submit">{t('users.deactivate.confirm')}</button>
        {' '}<a href={`/${locale}/staff/users`}>{t('users.cancel')}</a>
      </form>
    </StaffLayout>
  );
}

export function KeysPage({ frame, holding, pending, errors = [] }: { frame: StaffFrame; holding: boolean; pending: number; errors?: ShownError[] }) {
  const { t, locale } = frame.ctx;
  return (
    <StaffLayout frame={frame} title={t('keys.title')} hasErrors={errors.length > 0}>
      <ErrorSummary ctx={frame.ctx} errors={errors} />
      <h1>{t('keys.title')}</h1>
      {holding ? (
        <>
          <p>{t('keys.holding')}</p>
          {pending > 0 && (
            <form method="post" action={`/${locale}/staff/keys/grant`}>
              <Hidden csrf={frame.csrfToken} />
              <p>{t('keys.grant.text', { count: pending })}</p>
              <button class="button" type="submit">{t('keys.grant.submit')}</button>
            </form>
          )}
        </>
      ) : (
        <>
          <p>{t('keys.not_holding')}</p>
          <form method="post" action={`/${locale}/staff/keys/claim`} novalidate>
            <Hidden csrf={frame.csrfToken} />
            <TextField ctx={frame.ctx} name="recoveryKey" label={t('keys.claim.label')} hint={t('keys.claim.hint')} autocomplete="off" required ltr error={errors[0]?.message} />
            <button class="button" type="submit">{t('keys.claim.submit')}</button>
          </form>
        </>
      )}
    </StaffLayout>
  );
}

export function AuditPage({ frame, rows, hasMore, filter }: { frame: StaffFrame; rows: AuditLogTable[]; hasMore: boolean; filter: Record<string, string | undefined> }) {
  const { t, locale } = frame.ctx;
  const query = (extra: Record<string, string>) => new URLSearchParams(Object.entries({ ...filter, ...extra }).filter((e): e is [string, string] => !!e[1])).toString();
  return (
    <StaffLayout frame={frame} title={t('audit.title')}>
      <h1>{t('audit.title')}</h1>
      <form method="get" action={`/${locale}/staff/audit`} class="filters">
        <TextField ctx={frame.ctx} name="action" label={t('audit.action')} value={filter.action} ltr />
        <TextField ctx={frame.ctx} name="actor" label={t('audit.actor')} value={filter.actor} ltr />
        <TextField ctx={frame.ctx} name="target" label={t('audit.target')} value={filter.target} ltr />
        <button class="button" type="submit">{t('audit.filter')}</button>
      </form>
      {rows.length === 0 ? <p>{t('audit.empty')}</p> : (
        <div class="table-wrap"><table class="table" dir="ltr">
          <caption class="visually-hidden">{t('audit.title')}</caption>
          <thead><tr><th scope="col">#</th><th scope="col">{t('audit.time')}</th><th scope="col">{t('audit.actor')}</th><th scope="col">{t('audit.action')}</th><th scope="col">{t('audit.target')}</th><th scope="col">{t('audit.details')}</th></tr></thead>
          <tbody>{rows.map((r) => <tr><td>{r.seq}</td><td>{r.at.replace('T', ' ').slice(0, 19)}</td><td>{r.actor}</td><td>{r.action}</td><td>{r.target}</td><td><code>{r.details === '{}' ? '' : r.details}</code></td></tr>)}</tbody>
        </table></div>
      )}
      {hasMore && <p><a href={`/${locale}/staff/audit?${query({ before: String(rows.at(-1)!.seq) })}`}>{t('audit.older')}</a></p>}
    </StaffLayout>
  );
}
