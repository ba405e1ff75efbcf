/** The portal's citizen services, in the order the home page lists them, with their page paths. */
export const services = [
  { key: 'orientation', path: 'orientation' },
  { key: 'report', path: 'report' },
  { key: 'followup', path: 'follow-up' },
  { key: 'institutions', path: 'institutions' },
  { key: 'officials', path: 'officials' },
  { key: 'data', path: 'data' },
  { key: 'ngos', path: 'ngos' },
  { key: 'consultations', path: 'consultations' },
  { key: 'guide', path: 'guide' },
] as const;
