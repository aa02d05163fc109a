import type { DataRights, SubjectRef } from '@weft/kernel';

export interface SubjectExport {
  subject: SubjectRef;
  exportedAt: string;
  /** Module → table → rows. */
  modules: Record<string, Record<string, unknown[]>>;
}

/**
 * One request, every module: export gathers what each module holds about the
 * subject; erasure runs each module's strategy in the given order (a module
 * that looks the subject up through another — e.g. invitations by email —
 * must come before the one that anonymizes that lookup).
 */
export function createSubjectRights(modules: () => DataRights[], now: () => Date) {
  return {
    async exportSubject(subject: SubjectRef): Promise<SubjectExport> {
      const result: SubjectExport = { subject, exportedAt: now().toISOString(), modules: {} };
      for (const rights of modules()) result.modules[rights.module] = await rights.exportSubject(subject);
      return result;
    },
    async eraseSubject(subject: SubjectRef): Promise<string[]> {
      const erased: string[] = [];
      for (const rights of modules()) {
        await rights.eraseSubject(subject);
        erased.push(rights.module);
      }
      return erased;
    },
  };
}
