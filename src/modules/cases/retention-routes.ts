// Retention in the case API: placing and lifting legal holds. (The case page's forms are in
// routes.ts, which renders the case again when a form has a problem.) Authentication and the role
// come first, before any validation, as in api-routes.ts.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { AppError } from '../../errors.js';
import { jsonResponse, problemResponse, responses } from '../../web/openapi.js';
import type { ResolvedSession } from '../identity/service.js';
import { canPlaceLegalHold, canReleaseLegalHold } from './policy.js';
import { placeLegalHold, releaseLegalHold } from './retention.js';
import * as s from './schemas.js';
import type { CasesContext } from './service.js';

const errors = {
  401: problemResponse('Not signed in: a staff session cookie is required'),
  403: problemResponse('Signed in without the role, or without the keys, that this needs'),
  409: problemResponse('The case is already on hold (placing), or is not (lifting)'),
};

export async function caseRetentionRoutes(app: FastifyInstance, opts: { ctx: CasesContext }): Promise<void> {
  const { ctx } = opts;
  const r = app.withTypeProvider<ZodTypeProvider>();
  const only = (allowed: (s: ResolvedSession) => boolean) => ({
    onRequest: [app.authenticate, async (request: FastifyRequest) => { if (!allowed(request.session!)) throw new AppError('forbidden'); }],
  });
  const doc = (operationId: string, summary: string, description: string) => ({ tags: ['cases'], operationId, summary, description, security: [{ session: [] }] });

  r.post('/api/v1/cases/:id/legal-hold', {
    ...only(canPlaceLegalHold),
    schema: {
      ...doc('placeLegalHold', 'Place a legal hold on a case', 'Suspends its deletion at the end of retention, e.g. for a court case. Handlers and institution admins; audited.'),
      params: s.caseParams, body: s.holdBody,
      response: responses({ 200: jsonResponse('Done', s.done), ...errors }),
    },
  }, async (request) => {
    await placeLegalHold(ctx, request.session!, request.params.id, request.body.reason);
    return { ok: true as const };
  });

  r.post('/api/v1/cases/:id/legal-hold/release', {
    ...only(canReleaseLegalHold),
    schema: {
      ...doc('releaseLegalHold', 'Lift the legal hold of a case', 'Institution admins only. The case is then warned about anew and deleted 30 days later at the earliest, once its retention has ended; audited.'),
      params: s.caseParams, body: s.holdBody,
      response: responses({ 200: jsonResponse('Done', s.done), ...errors }),
    },
  }, async (request) => {
    await releaseLegalHold(ctx, request.session!, request.params.id, request.body.reason);
    return { ok: true as const };
  });
}
