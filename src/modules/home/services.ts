/**
 * The portal's citizen services, in the order the home page lists them, with their page paths.
 * `open` services have their own module; the others show a "coming soon" page.
 */
export const services: readonly { key: string; path: string; open?: boolean }[] = [
  { key: 'orientation', path: 'orientation', open: true },
  { key: 'report', path: 'report', open: true },
  { key: 'followup', path: 'follow-up', open: true },
  { key: 'institutions', path: 'institutions', open: true },
  { key: 'officials', path: 'officials' },
  { key: 'data', path: 'data' },
  { key: 'ngos', path: 'ngos' },
  { key: 'consultations', path: 'consultations' },
  { key: 'guide', path: 'guide' },
];
