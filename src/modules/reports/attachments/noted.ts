/** Records what a cleaner removed, each kind once (the reporter and staff see the list). */
export const noter = (stripped: string[]) => (what: string): void => {
  if (!stripped.includes(what)) stripped.push(what);
};
