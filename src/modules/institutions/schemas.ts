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
