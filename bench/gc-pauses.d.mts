export interface GcPauses { count: number; total: number; max: number }
export function watchGcPauses(): { stop(): GcPauses };
