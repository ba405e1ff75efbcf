import { z } from 'zod';

export const names = z
  .object({
    ar: z.string().describe('Name in Arabic'),
    fr: z.string().describe('Name in French'),
    en: z.string().describe('Name in English'),
    zgh: z.string().nullable().describe('Name in Tifinagh, where a source gives it'),
  })
  .describe('Official names by language');

export const province = z
  .object({
    code: z.string().describe('Stable slug of the province or prefecture'),
    type: z.enum(['province', 'prefecture']).describe('Kind of division'),
    name: names,
  })
  .meta({ id: 'Province' });

export const region = z
  .object({
    code: z.string().describe('ISO 3166-2:MA code, e.g. MA-06'),
    hcpCode: z.string().describe('Code of the Haut-Commissariat au Plan, e.g. 06'),
    name: names,
    population2024: z.number().int().nullable().describe('Population at the 2024 census (HCP)'),
    provinces: z.array(province).describe('Provinces and prefectures of the region'),
  })
  .meta({ id: 'Region' });

export const regionList = z
  .object({ data: z.array(region), licence: z.string().describe('Licence of the data'), sources: z.array(z.string()).describe('Where the data comes from') })
  .describe('The 12 regions of Morocco with their provinces and prefectures');

export const regionParams = z.object({ code: z.string().regex(/^MA-\d{2}$/).describe('ISO 3166-2:MA region code, e.g. MA-01') });

export type Region = z.infer<typeof region>;

const text = z.object({ ar: z.string(), fr: z.string(), en: z.string(), zgh: z.string() }).describe('The same text in Arabic, French, English and Tamazight (Tifinagh)');
const fact = z.object({ text, source: z.string().describe('Where the fact comes from') }).describe('A fact with its source');

export const institution = z
  .object({
    slug: z.string().describe('Stable identifier, e.g. inpplc'),
    acronym: z.string().describe('Usual acronym'),
    name: text.describe('Full official name'),
    mandate: fact,
    handles: fact,
    notHandles: fact.optional(),
    preconditions: z.array(fact).optional().describe('Conditions to meet before turning to the institution'),
    channels: z.array(z.object({
      type: z.enum(['online-here', 'external-site', 'online-elsewhere', 'phone', 'in-person', 'post', 'email']).describe('How to reach it'),
      value: z.string().optional().describe('Address, number or URL, where relevant'),
      source: z.string(),
    })),
    deadlines: z.array(fact).optional().describe('Legal or announced response deadlines'),
    website: z.string().nullable().describe('Official website'),
    receivesReports: z.boolean().describe('Whether reports can be sent to it on this portal'),
  })
  .meta({ id: 'Institution' });

export const institutionList = z.object({ data: z.array(institution), licence: z.string().describe('Licence of the data') }).describe('The institutions directory');
export const institutionParams = z.object({ slug: z.string().regex(/^[a-z0-9-]{2,63}$/).describe('Institution identifier, e.g. mediateur') });
