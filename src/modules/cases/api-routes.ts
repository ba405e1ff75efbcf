// The case-handling API, for staff only: authentication first (401 for anyone anonymous, whatever
// the body or id), then validation, then the service's own checks (403 without the role, 404 for
// another institution's case).
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError } from '../../errors.js';
import { sendDownload } from '../../web/download.js';
import { jsonResponse, problemResponse, responses } from '../../web/openapi.js';
import type { ResolvedSession } from '../identity/service.js';
import { canDecideCustody, canHandleCases, canSeeCases, canTakeOver } from './policy.js';
import * as s from './schemas.js';
import * as custody from './custody.js';
import * as cases from './service.js';

const staffErrors = {
  401: problemResponse('Not signed in: a staff session cookie is required'),
  403: problemResponse('Signed in without the role, or without the keys, that this needs'),
};
const conflict = { 409: problemResponse('The case is not in a state that allows this') };

export async function caseApiRoutes(app: FastifyInstance, opts: { ctx: cases.CasesContext }): Promise<void> {
  const { ctx } = opts;
  const r = app.withTypeProvider<ZodTypeProvider>();
  const session = (request: FastifyRequest) => request.session!;
  // Authentication, then the role (neither needs the input), before any validation.
  const only = (allowed: (s: ResolvedSession) => boolean) => ({
    onRequest: [app.authenticate, async (request: FastifyRequest) => { if (!allowed(request.session!)) throw new AppError('forbidden'); }],
  });
  const guarded = only(canSeeCases);
  const handlers = only(canHandleCases);
  const doc = (operationId: string, summary: string, description: string) => ({ tags: ['cases'], operationId, summary, description, security: [{ session: [] }] });

  r.get('/api/v1/cases', {
    ...guarded,
    schema: {
      ...doc('listCases', 'The inbox: cases of the caller\'s institution or office', 'Metadata only (status, channel, region, handler, due days); nothing is decrypted. 25 per page.'),
      querystring: s.inboxQuery,
      response: responses({ 200: jsonResponse('One page of cases', s.inboxPage), ...staffErrors }),
    },
  }, async (request, reply) => {
    const q = request.query;
    reply.header('cache-control', 'no-store');
    return cases.inbox(ctx, session(request), { ...q, channelId: q.channel, overdue: q.overdue === 'true' });
  });

  r.get('/api/v1/cases/:id', {
    ...guarded,
    schema: {
      ...doc('getCase', 'Open a case', 'Decrypts the report, messages, notes and custody requests with the caller\'s keys. Every read is written to the audit log.'),
      params: s.caseParams,
      response: responses({ 200: jsonResponse('The case', s.caseView), ...staffErrors }),
    },
  }, async (request, reply) => {
    reply.header('cache-control', 'no-store');
    return cases.openCase(ctx, session(request), request.params.id);
  });

  r.get('/api/v1/cases/:id/attachments/:file', {
    ...guarded,
    schema: {
      ...doc('downloadCaseAttachment', 'Download an attachment of a case', 'Decrypted as it streams; always served as application/octet-stream with Content-Disposition: attachment and a sandboxing CSP. Audited.'),
      params: s.attachmentParams,
      response: responses({ 200: { description: 'The file', content: { 'application/octet-stream': { schema: z.string() } } }, ...staffErrors }),
    },
  }, async (request, reply) => sendDownload(reply, await cases.downloadAttachment(ctx, session(request), request.params.id, request.params.file)));

  r.get('/api/v1/cases/:id/attachments/:file/original', {
    ...guarded,
    schema: {
      ...doc('downloadCaseAttachmentOriginal', 'Download the untouched original of an attachment',
        'Only where the channel keeps originals and metadata removal changed the file (the attachment\'s `original` is not null); 404 otherwise. The original may hold what identifies the reporter (GPS position, device, author). Served like the cleaned copy; audited apart, as case.attachment-original-read.'),
      params: s.attachmentParams,
      response: responses({ 200: { description: 'The original file', content: { 'application/octet-stream': { schema: z.string() } } }, ...staffErrors, 404: problemResponse('No such case or file, or no original kept for it') }),
    },
  }, async (request, reply) => sendDownload(reply, await cases.downloadAttachment(ctx, session(request), request.params.id, request.params.file, { original: true })));

  const action = <B extends import('zod').ZodType>(path: string, operationId: string, summary: string, description: string, body: B, run: (request: FastifyRequest, id: number, body: import('zod').output<B>) => Promise<unknown>) =>
    r.post(path, {
      ...handlers,
      schema: { ...doc(operationId, summary, description), params: s.caseParams, body, response: responses({ 200: jsonResponse('Done', s.done), ...staffErrors, ...conflict }) },
    }, async (request) => {
      await run(request, request.params.id, request.body as import('zod').output<B>);
      return { ok: true as const };
    });

  action('/api/v1/cases/:id/status', 'changeCaseStatus', 'Move a case to its next status',
    'received → acknowledged → assessment → investigation → closed (closing needs an outcome). Acknowledging and closing send the reporter a notice.',
    s.statusBody, (request, id, b) => cases.changeStatus(ctx, session(request), id, b));
  action('/api/v1/cases/:id/messages', 'messageReporter', 'Send the reporter a message', 'Sealed to the report key; the reporter reads it with their receipt.',
    s.messageBody, (request, id, b) => cases.messageReporter(ctx, session(request), id, b.body));
  action('/api/v1/cases/:id/notes', 'addCaseNote', 'Add an internal note', 'Never shown to the reporter; sealed to the report key.',
    s.messageBody, (request, id, b) => cases.addNote(ctx, session(request), id, b.body));
  action('/api/v1/cases/:id/assignment', 'assignCase', 'Assign a case to a handler or a regional office', 'An office that takes a case receives its own copy of the report key.',
    s.assignmentBody, (request, id, b) => cases.assign(ctx, session(request), id, b));
  action('/api/v1/cases/:id/labels', 'setCaseLabels', 'Replace the labels of a case', 'Lower-case tokens (letters, digits, hyphens), at most 20.',
    s.labelsBody, (request, id, b) => cases.setLabels(ctx, session(request), id, b.labels));
  action('/api/v1/cases/:id/transfer', 'transferCase', 'Transfer a case to another institution',
    'The report key is sealed to the receiving institution; the sender keeps a record of the transfer but can no longer read the case. The reporter is told; the receipt keeps working.',
    s.transferBody, (request, id, b) => cases.transfer(ctx, session(request), id, b));

  action('/api/v1/cases/:id/protection-measures', 'recordProtectionMeasure', 'Record a measure protecting the reporter',
    'E.g. identity kept out of records, a dedicated contact (law 37-10), with its own follow-up day. The reporter sees it.',
    s.measureBody, (request, id, b) => cases.recordMeasure(ctx, session(request), id, b));

  r.post('/api/v1/cases/:id/protection-items/:item', {
    ...handlers,
    schema: {
      ...doc('updateProtectionItem', 'Update a protection request, reprisal or measure', 'Its status (open, in place, closed) and its own follow-up day.'),
      params: s.protectionParams, body: s.protectionUpdateBody,
      response: responses({ 200: jsonResponse('Done', s.done), ...staffErrors }),
    },
  }, async (request) => {
    await cases.updateProtection(ctx, session(request), request.params.id, request.params.item, request.body);
    return { ok: true as const };
  });

  r.post('/api/v1/cases/:id/deadlines/:deadline', {
    ...handlers,
    schema: {
      ...doc('markDeadlineMet', 'Mark a further deadline of a case as met', 'E.g. the administration concerned answered the Médiateur. Audited.'),
      params: s.deadlineParams,
      response: responses({ 200: jsonResponse('Done', s.done), ...staffErrors, ...conflict }),
    },
  }, async (request) => {
    await cases.markDeadlineMet(ctx, session(request), request.params.id, request.params.deadline);
    return { ok: true as const };
  });

  r.post('/api/v1/cases/take-over', {
    ...only(canTakeOver),
    schema: {
      ...doc('takeOverCases', 'Hand every open case of a colleague to another handler', 'Institution admins only, e.g. when a handler has left.'),
      body: s.takeOverBody,
      response: responses({ 200: jsonResponse('How many cases moved', s.movedResult), ...staffErrors }),
    },
  }, async (request) => ({ ok: true as const, moved: await cases.takeOver(ctx, session(request), request.body) }));

  r.post('/api/v1/cases/:id/custody-requests', {
    ...handlers,
    schema: {
      ...doc('requestIdentity', 'Ask a custodian for the reporter\'s identity', 'Needs a reason; a custodian of the institution approves or refuses.'),
      params: s.caseParams, body: s.custodyBody,
      response: responses({ 200: jsonResponse('The request', s.requestCreated), ...staffErrors, ...conflict }),
    },
  }, async (request) => ({ ok: true as const, requestId: await custody.requestIdentity(ctx, session(request), request.params.id, request.body.reason) }));

  r.post('/api/v1/custody-requests/:id/decision', {
    ...only(canDecideCustody),
    schema: {
      ...doc('decideIdentityRequest', 'Approve or refuse a request for a reporter\'s identity', 'Custodians only, and never on their own request.'),
      params: s.requestParams, body: s.decisionBody,
      response: responses({ 200: jsonResponse('Done', s.done), ...staffErrors, ...conflict }),
    },
  }, async (request) => {
    await custody.decideIdentity(ctx, session(request), request.params.id, request.body);
    return { ok: true as const };
  });

  r.post('/api/v1/custody-requests/:id/disclosure', {
    ...handlers,
    schema: {
      ...doc('discloseIdentity', 'Unseal the identity after approval', 'Only the handler who asked, once approved. Audited; the reporter is told unless a legal exception was recorded.'),
      params: s.requestParams,
      response: responses({ 200: jsonResponse('The identity', s.identityView), ...staffErrors }),
    },
  }, async (request, reply) => {
    reply.header('cache-control', 'no-store');
    return custody.discloseIdentity(ctx, session(request), request.params.id);
  });
}
