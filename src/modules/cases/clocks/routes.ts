// The holiday table in the back office: platform administrators enter each Islamic holiday once the
// ministry announces it (the shipped dates are projections). Every change is audited.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { h } from 'preact';
import { z } from 'zod';
import type { Database } from '../../../db/index.js';
import { AppError } from '../../../errors.js';
import { pageContext } from '../../../web/context.js';
import { type Locale, locales } from '../../../web/i18n.js';
import { sendPage } from '../../../web/render.js';
import { isPlatformAdmin } from '../../identity/policy.js';
import type { StaffFrame } from '../../identity/views/Staff.js';
import { localDay } from './calendar.js';
import { listMovableHolidays, removeHoliday, setHoliday } from './service.js';
import { DeleteHolidayPage, HolidaysPage } from './views/Holidays.js';

const dayParams = z.object({ day: z.string().regex(/^\d{4}-\d{2}-\d{2}$/) });
const doneQuery = z.object({ done: z.enum(['set', 'removed']).optional().catch(undefined) });
const fieldOf: Record<string, string> = { day: 'day', 'name.ar': 'nameAr', 'name.fr': 'nameFr', 'name.en': 'nameEn', 'name.zgh': 'nameZgh' };

export async function holidayRoutes(app: FastifyInstance, opts: { database: Database }): Promise<void> {
  const { database } = opts;
  const frame = (request: FastifyRequest, reply: FastifyReply, locale: Locale): StaffFrame => ({ ctx: pageContext(request, reply, locale), session: request.session!, csrfToken: reply.generateCsrf() });
  const admin = async (request: FastifyRequest) => { if (!isPlatformAdmin(request.session!)) throw new AppError('forbidden'); };
  const get = { schema: { hide: true }, onRequest: app.authenticate, preHandler: [admin] };
  const post = { schema: { hide: true }, onRequest: app.authenticate, preHandler: [app.csrfProtection, admin] };
  const years = () => { const y = Number(localDay(new Date()).slice(0, 4)); return [y - 1, Math.min(y + 2, 2099)] as const; };

  for (const locale of locales) {
    app.get(`/${locale}/staff/holidays`, get, async (request, reply) => {
      reply.header('cache-control', 'no-store');
      return sendPage(reply, h(HolidaysPage, { frame: frame(request, reply, locale), holidays: await listMovableHolidays(database.db, ...years()), done: doneQuery.parse(request.query).done }));
    });

    app.post(`/${locale}/staff/holidays`, post, async (request, reply) => {
      const body = (request.body ?? {}) as Record<string, string>;
      const input = {
        day: body.day ?? '',
        name: { ar: body.nameAr ?? '', fr: body.nameFr ?? '', en: body.nameEn ?? '', zgh: body.nameZgh?.trim() ? body.nameZgh : null },
        provisional: body.provisional === 'yes',
      };
      try {
        await setHoliday(database, input, `user:${request.session!.user.id}`);
      } catch (err) {
        if (!(err instanceof AppError) || err.code !== 'validation_failed') throw err;
        const fr = frame(request, reply, locale);
        const errors = (err.fields ?? []).map((f) => ({ field: fieldOf[f.field] ?? 'day', message: fr.ctx.t(f.messageKey, f.values) }));
        return sendPage(reply, h(HolidaysPage, { frame: fr, holidays: await listMovableHolidays(database.db, ...years()), errors, values: body }), 400);
      }
      return reply.redirect(`/${locale}/staff/holidays?done=set`, 303);
    });

    app.get(`/${locale}/staff/holidays/:day/delete`, get, async (request, reply) => {
      const { day } = dayParams.parse(request.params);
      const holiday = (await listMovableHolidays(database.db, 1970, 2099)).find((x) => x.day === day);
      if (!holiday) throw new AppError('not_found');
      return sendPage(reply, h(DeleteHolidayPage, { frame: frame(request, reply, locale), holiday }));
    });

    app.post(`/${locale}/staff/holidays/:day/delete`, post, async (request, reply) => {
      const { day } = dayParams.parse(request.params);
      await removeHoliday(database, day, `user:${request.session!.user.id}`);
      return reply.redirect(`/${locale}/staff/holidays?done=removed`, 303);
    });
  }
}
